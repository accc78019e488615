import { describe, expect, it } from 'vitest';
import { backendRefusal, backendText } from '../../src/shared/backend-text';
import { RequestRejected } from '../../src/main/core/pool/connection';
import { AnalyticsSettingsSchema } from '../../src/shared/analytics';
import { parseFrame, ServerFrameSchema } from '../../src/shared/protocol';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
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
    sock.frame({ t: 'reply', id: 'k-1', ok: false, error: { code: 'E_DB_CONSTRAINT', message: STACK } });
    const e = (await lookup.catch((x: unknown) => x)) as RequestRejected;
    expect(e).toBeInstanceOf(RequestRejected);
    expect(e.message).toBe("TypeError: Cannot read properties of undefined (reading 'id')");
    expect(e.extra?.detail).toContain('at Gym.checkin (/srv/gym/index.js:42:7) {"sql":"INSERT INTO visits VALUES (1)"}');
    expect(e.extra?.detail).not.toMatch(/\n/);
  });
});
