import { describe, expect, it } from 'vitest';
import { backendId, backendRefusal, backendText, shownJson } from '../../src/shared/backend-text';
import { toCheckinEntry } from '../../src/main/core/feed';
import { readCheckinDetail, eventWords, reconsideredWords } from '../../src/shared/words';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { OfflineDecisions } from '../../src/main/core/desk/offline-decisions';
import { LastKnown } from '../../src/main/core/state/last-known';
import type { Outbox } from '../../src/main/core/delivery/outbox';
import { AnalyticsSettingsSchema } from '../../src/shared/analytics';
import { MemberSchema, parseFrame, ServerFrameSchema } from '../../src/shared/protocol';
import type WebSocket from 'ws';
import { BackendConnection, RequestFailed, RequestRejected } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/** Names and messages from a backend reach staff's screens: they may not rearrange the screen's words. */
describe('text a backend supplies', () => {
  it('loses direction overrides, isolates and invisible spaces; keeps joiners, marks and every script', () => {
    expect(backendText('Ana\u202E lla\u202C')).toBe('Ana lla');
    expect(backendText('\u2067x\u2069 \u200By\uFEFF\u2060')).toBe('x y');
    for (const s of ['José Núñez', 'محمد علي', 'דוד\u200F', 'क्‍ष', 'family 👨\u200D👩\u200D👧', 'نامه\u200Cها']) expect(backendText(s)).toBe(s);
    // The same answer every time (a global pattern's test() would remember where it stopped).
    expect([1, 2, 3].map(() => backendText('a\u202Eb'))).toEqual(['ab', 'ab', 'ab']);
  });

  it('applies to member names in events, instance names and error messages as frames are read', () => {
    const event = parseFrame(
      ServerFrameSchema,
      JSON.stringify({ t: 'event', stream: 'gym', seq: 1, ts: 1, body: { kind: 'checkin', cardId: 'C1', member: { id: 'M1', name: 'Eve\u202Edeined', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 } }),
    );
    expect(event).toMatchObject({ ok: true, frame: { body: { member: { name: 'Evedeined' } } } });
    const welcome = parseFrame(ServerFrameSchema, JSON.stringify({ t: 'welcome', version: 2, instance: 'i\u2066-1', heartbeatMs: 1000, limits: { maxFrameBytes: 1024 } }));
    expect(welcome).toMatchObject({ ok: true, frame: { instance: 'i-1' } });
    const error = parseFrame(ServerFrameSchema, JSON.stringify({ t: 'error', code: 'internal', message: '\u202Ekaerb' }));
    expect(error).toMatchObject({ ok: true, frame: { message: 'kaerb' } });
  });
});

describe('a close reason from the backend', () => {
  it('reaches the log and screens without its direction overrides', () => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), socketFactory: () => sock as unknown as WebSocket });
    const reasons: string[] = [];
    conn.on('close', (r: string) => reasons.push(r));
    conn.connect();
    sock.emit('open');
    sock.emit('close', 4999, Buffer.from('\u202E\u202Edetavitca roolf'));
    expect(reasons).toEqual(['closed (4999 detavitca roolf)']);
  });
});

const STACK = 'TypeError: Cannot read properties of undefined (reading \'id\')\n    at Gym.checkin (/srv/gym/index.js:42:7) {"sql":"INSERT INTO visits VALUES (1)"}';

describe('control characters and length', () => {
  it('a line on a screen has no NUL, tab or line break, one space between words, and an end', () => {
    expect(backendText('evil\u0000')).toBe('evil');
    expect(backendText(' a\tb\r\n\n  c\u0007d\u0085e\u2028f ')).toBe('a b c d e f');
    expect(backendText('x'.repeat(5_000))).toHaveLength(1_000);
    expect(backendText('word '.repeat(100), 20)).toBe('word word word word…');
  });

  it('a gym name typed with a NUL and an override is kept without them (it goes into every export)', () => {
    const parsed = AnalyticsSettingsSchema.shape.siteName.safeParse('\u202Eevil\u0000 gym\n');
    expect(parsed).toMatchObject({ success: true, data: 'evil gym' });
  });
});

describe('a refusal from the backend', () => {
  it('a plain reason is shown as it is; a stack trace or JSON as its first line, without the JSON', () => {
    expect(backendRefusal('Card is blocked\u0000')).toEqual({ line: 'Card is blocked', developer: false });
    expect(backendRefusal(STACK)).toEqual({ line: "TypeError: Cannot read properties of undefined (reading 'id')", developer: true });
    expect(backendRefusal('{"error":"E_DB","detail":{"sql":"INSERT"}}')).toEqual({ line: 'no reason in words; its whole answer is in the log for IT', developer: true });
    expect(backendRefusal('insert failed {"sql":"INSERT"}')).toEqual({ line: 'insert failed', developer: true });
  });

  it('reaches the caller (and so Dead letters and the feed) as one short line; the whole answer is its detail, for the log', async () => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), heartbeatMs: 60_000, socketFactory: () => sock as unknown as WebSocket });
    conn.connect();
    sock.emit('open');
    sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
    const lookup = conn.request('lookup', { query: 'a' }, { id: 'k-1' });
    sock.frame({ t: 'reply', id: 'k-1', ok: false, error: { code: 'bad-request', message: STACK } });
    const e = (await lookup.catch((x: unknown) => x)) as RequestRejected;
    expect(e).toBeInstanceOf(RequestRejected);
    expect(e.message).toBe("TypeError: Cannot read properties of undefined (reading 'id')");
    expect(e.extra?.detail).toContain('at Gym.checkin (/srv/gym/index.js:42:7) {"sql":"INSERT INTO visits VALUES (1)"}');
    expect(e.extra?.detail).not.toMatch(/\n/);
    // A code the protocol does not define is tried again (failure-codes.ts), and said the same way.
    const again = conn.request('lookup', { query: 'a' }, { id: 'k-2' });
    sock.frame({ t: 'reply', id: 'k-2', ok: false, error: { code: 'E_DB_CONSTRAINT', message: STACK } });
    const f = (await again.catch((x: unknown) => x)) as RequestFailed;
    expect(f).toBeInstanceOf(RequestFailed);
    expect(f.message).toBe("TypeError: Cannot read properties of undefined (reading 'id')");
    expect(f.detail).toContain('at Gym.checkin (/srv/gym/index.js:42:7) {"sql":"INSERT INTO visits VALUES (1)"}');
    expect(f.detail).not.toMatch(/\n/);
  });
});

/** Ids come back to the backend exactly; where staff read them, nothing in them may rearrange or hide. */
describe('member and card ids, phone and expiry from a backend', () => {
  const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
  const event = {
    t: 'event',
    stream: 'gym',
    seq: 1,
    ts: 1,
    body: { kind: 'checkin', cardId: '4000\u202E91', member: { id: 'M\u2066\u200B7', name: 'Ana', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 },
  };

  it('an id is shown with each character nobody sees as a visible mark; a plain id as it is', () => {
    expect(backendId('M\u202E1000')).toBe('M\uFFFD1000');
    expect(backendId('a\u200Bb\u0000c\u2028d\u061Ce\uFEFF')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD');
    for (const id of ['M00001', '04:A3:2B:1C', 'A-123456', 'Ünal-7', '会员12']) expect(backendId(id)).toBe(id);
    expect(shownJson(JSON.stringify({ cardId: '40\u202E01\u{E0041}' }))).toBe('{"cardId":"40\\u202e01\\udb40\\udc41"}');
    // Pretty-printed, as Dead letters shows a body: its line breaks stay breaks (they read "{\u000a" on screen).
    expect(shownJson(JSON.stringify({ a: 1, b: 'x\ny' }, null, 2))).toBe('{\n  "a": 1,\n  "b": "x\\ny"\n}');
  });

  it('a frame keeps ids exactly (they are sent back); phone and expiry, read only by people, are cleaned', () => {
    const m = MemberSchema.parse({ id: 'M\u202E1', cardId: 'C\u202E1', name: 'A', phone: '555\u202E-0100\u0000', status: 'active', expiresOn: '2030-01-01\u2067' });
    expect(m).toMatchObject({ id: 'M\u202E1', cardId: 'C\u202E1', phone: '555-0100', expiresOn: '2030-01-01' });
    const frame = parseFrame(ServerFrameSchema, JSON.stringify(event));
    expect(frame).toMatchObject({ ok: true, frame: { body: { cardId: '4000\u202E91', member: { id: 'M\u2066\u200B7' } } } });
  });

  it("a check-in event reaches the feed, the event log and exports with its ids as staff are shown them", () => {
    const frame = parseFrame(ServerFrameSchema, JSON.stringify(event));
    if (!frame.ok || frame.frame.t !== 'event') throw new Error('not an event');
    const entry = toCheckinEntry(frame.frame)!;
    expect([entry.cardId, entry.memberId]).toEqual(['4000\uFFFD91', 'M\uFFFD\uFFFD7']);
    // A detail stored before (or by another console whose export is reviewed) is read as one plain line.
    expect(readCheckinDetail('unknown-card 4000\u202E91')).toMatchObject({ who: '400091' });
    expect(eventWords({ category: 'checkin', type: 'denied', detail: 'unknown-card 4000\u202E91' }).detail).not.toMatch(UNSEEN);
  });

  it("a conflict an offline decision meets names its card as staff are shown it", () => {
    const db = new Database(':memory:');
    migrate(db, CONSOLE_MIGRATIONS);
    const outbox = new EventEmitter();
    const conflicts: string[] = [];
    // As front-desk.ts says it: the card as staff are shown it (the answer keeps it as sent, for a rescan).
    new OfflineDecisions(db, outbox as unknown as Outbox, (a) => conflicts.push(reconsideredWords(`Card ${backendId(a.card)}`, a.decided, a.backend))).record('k', 'C\u202E1', { allowed: true, reason: 'ok' }, 1);
    outbox.emit('reply', 'k', 'checkin', { verdict: { allowed: false, reason: 'duplicate' } });
    expect(conflicts).toEqual(["Card C\uFFFD1: this PC let them in while the gym's system was slow or away; the gym's system turned this down: already checked in. Check with the member."]);
  });

  it('check-ins kept by a console that showed ids as they came are shown cleaned after the update', () => {
    const db = new Database(':memory:');
    migrate(db, CONSOLE_MIGRATIONS);
    const row = { seq: 1, ts: 1, cardId: 'C\u202E1', memberId: 'M\u202E1', name: 'Ana', status: 'active', allowed: true, reason: 'ok', source: 'door', note: null };
    db.prepare("INSERT INTO last_known (key, value, at) VALUES ('checkins', ?, 1)").run(JSON.stringify([row]));
    const kept = new LastKnown(db, new FakeClock(), () => ({ occupancy: null, checkins: [] }));
    expect(kept.restore().checkins).toMatchObject([{ cardId: 'C\uFFFD1', memberId: 'M\uFFFD1' }]);
  });
});
