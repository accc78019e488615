import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel } from '../../src/main/core/delivery/channel';
import type { Lane } from '../../src/main/core/delivery/lanes';
import { RequestFailed, RequestTimedOut } from '../../src/main/core/pool/connection';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * One instance that fails a message (`error internal` with its id: RequestFailed) as often as `fails` says for its card
 * or note, answers it with a code the protocol does not define (`odd`), or leaves it unanswered (`silent`), and takes
 * the others: `applied` counts what it took, by key, and when; `sent` is every send, by card or note, and when.
 */
function rig(fails: (what: string, tries: number) => 'fail' | 'odd' | 'silent' | 'take') {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-aside-'));
  dirs.push(dir);
  const clock = new FakeClock();
  const applied = new Map<string, { n: number; at: number }>();
  const tries = new Map<string, number>();
  let sends = 0;
  const sent: { what: string; at: number }[] = [];
  const ch: Channel = {
    id: 's1',
    ready: () => true,
    send: (_op, body, key, h) => {
      sends++;
      const b = JSON.parse(body) as { cardId?: string; data?: string };
      const what = b.cardId ?? b.data ?? '';
      const n = (tries.get(key) ?? 0) + 1;
      tries.set(key, n);
      const how = fails(what, n);
      sent.push({ what, at: clock.mono() });
      if (how === 'silent') return void clock.setTimeout(() => h.failed(new RequestTimedOut('checkin timed out after 10000 ms')), 10_000);
      queueMicrotask(() => {
        if (how === 'fail') return h.failed(new RequestFailed('internal', 'The backend failed on this request; it was not applied.'));
        if (how === 'odd') return h.failed(new RequestFailed('quota-exceeded', 'Try again next month.', false));
        const was = applied.get(key);
        applied.set(key, { n: (was?.n ?? 0) + 1, at: was?.at ?? clock.mono() });
        h.acked();
      });
    },
  };
  const db = openConsoleDb(dir);
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: { get: () => ch, pick: () => ch }, clock });
  const step = async (ms: number) => {
    await flush();
    clock.advance(ms);
    await flush();
    await flush();
  };
  return { clock, outbox, applied, sent, sends: () => sends, step, done: () => (outbox.close(), db.close()) };
}

describe('a message the backend fails on steps aside, and its lane goes on', () => {
  it('one check-in failed on every time: the 20 after it are taken at once; it is tried on its own and ends a dead letter after 10 tries', async () => {
    const r = rig((card) => (card === 'BAD00013' ? 'fail' : 'take'));
    const bad = await r.outbox.enqueue('realtime', 'checkin', { cardId: 'BAD00013', source: 'kiosk' });
    await r.step(100);
    const enqueued = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      await r.step(600);
      const { key } = await r.outbox.enqueue('realtime', 'checkin', { cardId: `GOOD${String(i).padStart(4, '0')}`, source: 'kiosk' });
      enqueued.set(key, r.clock.mono());
      await r.step(50);
      expect(r.applied.get(key)?.n).toBe(1); // taken within 50 ms, though the bad one is still being tried
    }
    expect(r.outbox.view().why).toMatch(/^The gym's backend is failing on 1 check-in this PC sent it, though it takes the others/);
    for (let s = 0; s < 600 && r.outbox.deadLetters().length === 0; s++) await r.step(500);
    expect(r.outbox.deadLetters().map((d) => [d.key, d.reason])).toEqual([[bad.key, expect.stringMatching(/^the backend kept failing on it \(internal, 10 tries\): The backend failed on this request; it was not applied\.$/)]]);
    expect(r.applied.has(bad.key)).toBe(false);
    expect([...r.applied.values()].every((a) => a.n === 1)).toBe(true);
    expect(r.outbox.view()).toMatchObject({ queued: 0, inFlight: 0, why: null });
    r.done();
  });

  it('one check-in left unanswered while the backend answers others steps aside too, and is sent again under its key', async () => {
    const r = rig((card, tries) => (card === 'SLOW0001' && tries < 3 ? 'silent' : 'take'));
    const slow = await r.outbox.enqueue('realtime', 'checkin', { cardId: 'SLOW0001', source: 'kiosk' });
    await r.step(100);
    for (let i = 0; i < 40; i++) {
      const { key } = await r.outbox.enqueue('realtime', 'checkin', { cardId: `GOOD${String(i).padStart(4, '0')}`, source: 'kiosk' });
      await r.step(50);
      expect(r.applied.get(key)?.n).toBe(1);
      await r.step(950);
    }
    for (let s = 0; s < 120 && r.outbox.view().queued + r.outbox.view().inFlight > 0; s++) await r.step(1_000);
    expect(r.applied.get(slow.key)?.n).toBe(1);
    expect(r.outbox.deadLetters()).toEqual([]);
    r.done();
  });

  it('a backend failing on everything is not hammered and does not bury every message at once: then, well again, it takes them all', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    let broken = true;
    const r = rig(() => (broken ? 'fail' : 'take'));
    const keys: string[] = [];
    for (let i = 0; i < 6; i++) keys.push((await r.outbox.enqueue('system', 'action', { kind: 'sync', data: `note ${i}` })).key);
    for (let s = 0; s < 120; s++) await r.step(500); // a minute of a backend with a bug on every request
    // Each was tried once when it came, then one at a time, backing off: as the lane's head alone was tried before.
    expect(r.sends()).toBeLessThan(30);
    expect(r.outbox.deadLetters().length).toBeLessThanOrEqual(1);
    // It took none: not "though it takes the others" (probe-hostile13b S1).
    expect(r.outbox.view().why).toMatch(/^The gym's backend is failing on everything this PC sends it just now \(\d messages so far\): nothing is lost/);
    broken = false;
    for (let s = 0; s < 240 && r.outbox.view().queued + r.outbox.view().inFlight > 0; s++) await r.step(500);
    const dead = new Set(r.outbox.deadLetters().map((d) => d.key));
    expect(keys.filter((k) => !dead.has(k)).every((k) => r.applied.get(k)?.n === 1)).toBe(true);
    expect(r.outbox.view()).toMatchObject({ queued: 0, inFlight: 0, why: null });
    r.done();
  });
});

describe('what the backend answered decides how long a message it fails on is tried', () => {
  it('a code the protocol does not define: tried 3 times, not 10, then a dead letter that names the code; the lane goes on meanwhile', async () => {
    const r = rig((what) => (what === 'ODD00001' ? 'odd' : 'take'));
    const odd = await r.outbox.enqueue('realtime', 'checkin', { cardId: 'ODD00001', source: 'kiosk' });
    await r.step(100);
    const good = await r.outbox.enqueue('realtime', 'checkin', { cardId: 'GOOD0001', source: 'kiosk' });
    await r.step(50);
    expect(r.applied.get(good.key)?.n).toBe(1);
    for (let s = 0; s < 120 && r.outbox.deadLetters().length === 0; s++) await r.step(500);
    expect(r.outbox.deadLetters().map((d) => [d.key, d.reason])).toEqual([
      [odd.key, 'the backend answered it each time with a code this console does not know (quota-exceeded, 3 tries): Try again next month.'],
    ]);
    expect(r.sent.filter((x) => x.what === 'ODD00001')).toHaveLength(3);
    expect(r.outbox.view()).toMatchObject({ queued: 0, inFlight: 0, why: null });
    r.done();
  });

  it('a code the protocol does not define, twice, then taken: applied once, no dead letter', async () => {
    const r = rig((what, tries) => (what === 'ODD00001' && tries <= 2 ? 'odd' : 'take'));
    const odd = await r.outbox.enqueue('realtime', 'checkin', { cardId: 'ODD00001', source: 'kiosk' });
    for (let s = 0; s < 120 && r.outbox.view().queued + r.outbox.view().inFlight > 0; s++) await r.step(500);
    expect(r.applied.get(odd.key)?.n).toBe(1);
    expect(r.outbox.deadLetters()).toEqual([]);
    r.done();
  });

  it('a door release the backend fails on every time is tried again within its time to live only, never after', async () => {
    const r = rig((what) => (what === 'front' ? 'fail' : 'take'));
    const start = r.clock.mono();
    const lapsed: string[] = [];
    r.outbox.on('lapsed', (key) => lapsed.push(key));
    const door = await r.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: 'front' }, { ttlMs: 3_000 });
    for (let s = 0; s < 240; s++) await r.step(250); // a minute: ten tries would take about that long
    const tries = r.sent.filter((x) => x.what === 'front');
    expect(tries.length).toBeGreaterThan(1); // it was tried again while it still could open the door
    expect(tries.length).toBeLessThan(10);
    for (const t of tries) expect(t.at - start).toBeLessThanOrEqual(3_000);
    expect(r.applied.has(door.key)).toBe(false);
    // Past its time it lapses (its sender tells the outcome), no dead letter.
    expect(lapsed).toEqual([door.key]);
    expect(r.outbox.deadLetters()).toEqual([]);
    r.done();
  });
});

/** A message: its lane, and how many times in a row the backend fails on it before it takes it (10 or more: never). */
const message = fc.record({
  lane: fc.constantFrom<Lane>('realtime', 'system', 'notification'),
  fails: fc.constantFrom(0, 0, 0, 1, 2, 4, 12),
  gapMs: fc.integer({ min: 0, max: 3_000 }),
});

describe('whatever messages the backend fails on, and how often', () => {
  it('each is taken exactly once or, failed on 10 times, a dead letter; and those it never fails on are taken at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 14 }), async (msgs) => {
        const failsOf = new Map(msgs.map((m, i) => [`m${i}`, m.fails]));
        const r = rig((what, tries) => (tries <= failsOf.get(what)! ? 'fail' : 'take'));
        const keys: { key: string; fails: number; at: number }[] = [];
        for (const [i, m] of msgs.entries()) {
          await r.step(m.gapMs);
          const body = m.lane === 'realtime' ? { cardId: `m${i}`, source: 'kiosk' as const } : { kind: 'note', data: `m${i}` };
          const { key } = await r.outbox.enqueue(m.lane, m.lane === 'realtime' ? 'checkin' : 'action', body);
          keys.push({ key, fails: m.fails, at: r.clock.mono() });
          await r.step(20);
        }
        for (let s = 0; s < 4_800 && r.outbox.view().queued + r.outbox.view().inFlight > 0; s++) await r.step(500);
        const dead = new Map(r.outbox.deadLetters(1_000).map((d) => [d.key, d.reason]));
        for (const k of keys) {
          if (k.fails >= 10) {
            expect(dead.get(k.key)).toMatch(/^the backend kept failing on it \(internal, 10 tries\)/);
            expect(r.applied.has(k.key)).toBe(false);
          } else {
            expect(dead.has(k.key)).toBe(false);
            expect(r.applied.get(k.key)?.n).toBe(1);
          }
          if (k.fails === 0) expect(r.applied.get(k.key)!.at - k.at).toBeLessThanOrEqual(20); // no stall behind the others
        }
        expect(r.outbox.view()).toMatchObject({ queued: 0, inFlight: 0, why: null });
        r.done();
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
