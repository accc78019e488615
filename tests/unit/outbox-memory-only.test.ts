import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel, SendHandlers } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { Db } from '../../src/main/core/store/db';
import { RequestRejected } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';

// The disk refusing writes, injected where SQLite says it (no root, no tmpfs): what better-sqlite3 throws.
const REFUSED = { full: 'SQLITE_FULL', 'read-only': 'SQLITE_READONLY', 'not-allowed': 'SQLITE_PERM' } as const;
const flush = () => new Promise((r) => setImmediate(r));
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A backend away until `up`; then it takes every message (or refuses each, with `refuse`), counting sends per key. */
function backend() {
  const b = { up: false, refuse: false, sends: new Map<string, number>() };
  const ch: Channel = {
    id: 's1',
    ready: () => b.up,
    send: (_op, _body, key, h: SendHandlers) => {
      b.sends.set(key, (b.sends.get(key) ?? 0) + 1);
      queueMicrotask(() => (b.refuse ? h.failed(new RequestRejected('bad-card', 'not a card this gym knows')) : h.acked()));
    },
  };
  return { b, channels: { get: () => ch, pick: () => (b.up ? ch : null) } };
}

function open(dir: string, clock: FakeClock, channels: ReturnType<typeof backend>['channels']) {
  const db = openConsoleDb(dir);
  dbs.push(db);
  const store = new OutboxStore(db, new AuditLog(db, () => clock.now()));
  const outbox = new Outbox({ store, channels, clock });
  const rows = (): string[] => (db.prepare('SELECT key FROM outbox ORDER BY seq').all() as { key: string }[]).map((r) => r.key);
  // The disk refuses every write of the outbox (commit, bury, lapse) until `room()`.
  const real = { commit: store.commit, bury: store.bury, lapse: store.lapse };
  const s = store as unknown as Record<keyof typeof real, () => never>;
  const refuse = (code: string): void => {
    for (const k of Object.keys(real) as (keyof typeof real)[])
      s[k] = () => {
        throw Object.assign(new Error('database or disk is full'), { code });
      };
  };
  const room = (): void => void Object.assign(store, real);
  return { db, outbox, rows, refuse, room };
}

async function run(clock: FakeClock, ms: number, step = 500): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await flush();
    clock.advance(step);
  }
  await flush();
}

describe('messages held only in memory while the disk refuses writes', () => {
  for (const [problem, code] of Object.entries(REFUSED)) {
    it(`${problem}: are written once the disk takes writes again, with no further message, and the alert counts them until then`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'outbox-memonly-'));
      dirs.push(dir);
      const clock = new FakeClock();
      const { channels } = backend();
      const box = open(dir, clock, channels);
      box.refuse(code);
      const held = await Promise.all([1, 2, 3].map((i) => box.outbox.enqueue('realtime', 'checkin', { cardId: `C000${i}`, source: 'desk' })));
      expect(held.map((h) => h.durable)).toEqual([false, false, false]);
      const words = { full: 'because its disk is full', 'read-only': 'read-only', 'not-allowed': 'not allowed to write' }[problem as keyof typeof REFUSED];
      expect(box.outbox.alert).toMatch(new RegExp(`^3 check-ins are only in this PC's memory .*${words}.*: they are lost if the console stops before`));
      expect(box.outbox.view().alert).toBe(box.outbox.alert);
      // A minute of a disk still refusing: the alert stays, and the retries back off (not a write per turn).
      await run(clock, 60_000);
      expect(box.outbox.alert).toMatch(/^3 check-ins are only in this PC's memory/);
      expect(box.rows()).toEqual([]);
      box.room();
      // Nothing else is queued or sent: the outbox's own retry writes them (backed off to at most 30 s).
      await run(clock, 31_000);
      expect(box.rows()).toEqual(held.map((h) => h.key));
      expect(box.outbox.alert).toBeNull();
      expect(box.outbox.view().alert).toBeNull();
    });
  }

  it('a crash after room returned loses none of them, and each is sent once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-memonly-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const { b, channels } = backend();
    const first = open(dir, clock, channels);
    first.refuse('SQLITE_FULL');
    const held = await Promise.all([1, 2, 3, 4].map((i) => first.outbox.enqueue('realtime', 'checkin', { cardId: `C100${i}`, source: 'kiosk' })));
    await run(clock, 5_000);
    first.room();
    await run(clock, 31_000);
    expect(first.outbox.alert).toBeNull();
    // kill -9: nothing closed, nothing flushed. The next run opens the same folder.
    const later = new FakeClock();
    const again = open(dir, later, channels);
    expect(again.rows()).toEqual(held.map((h) => h.key));
    b.up = true;
    again.outbox.kick();
    await run(later, 2_000);
    expect(again.rows()).toEqual([]);
    expect([...b.sends.entries()].sort()).toEqual(held.map((h) => [h.key, 1] as [string, number]).sort());
  });

  it('written while running, each is still sent once and then removed from disk; one acknowledged from memory first is never written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-memonly-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const { b, channels } = backend();
    const box = open(dir, clock, channels);
    box.refuse('SQLITE_FULL');
    b.up = true;
    const sentFromMemory = await box.outbox.enqueue('realtime', 'checkin', { cardId: 'C2001', source: 'desk' });
    await run(clock, 1_000);
    expect(b.sends.get(sentFromMemory.key)).toBe(1);
    b.up = false;
    const held = await Promise.all([2, 3].map((i) => box.outbox.enqueue('realtime', 'checkin', { cardId: `C200${i}`, source: 'desk' })));
    expect(box.outbox.alert).toMatch(/^2 check-ins are only in this PC's memory/);
    box.room();
    await run(clock, 31_000);
    expect(box.rows()).toEqual(held.map((h) => h.key));
    b.up = true;
    box.outbox.kick();
    await run(clock, 2_000);
    expect(box.rows()).toEqual([]);
    expect(Object.fromEntries(b.sends)).toEqual({ [sentFromMemory.key]: 1, [held[0]!.key]: 1, [held[1]!.key]: 1 });
  });

  it('a later message committed once there is room takes the held ones with it, and only then is the alert over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-memonly-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const { channels } = backend();
    const box = open(dir, clock, channels);
    box.refuse('SQLITE_FULL');
    const held = await box.outbox.enqueue('realtime', 'checkin', { cardId: 'C3001', source: 'desk' });
    expect(box.outbox.alert).toMatch(/^1 check-in is only in this PC's memory because its disk is full: it is lost if the console stops before there is room\./);
    box.room();
    const later = await box.outbox.enqueue('realtime', 'checkin', { cardId: 'C3002', source: 'desk' });
    expect(later.durable).toBe(true);
    expect(box.rows()).toEqual([held.key, later.key]);
    expect(box.outbox.alert).toBeNull();
  });

  it('a dead letter the disk refused is written once there is room; a door release that lapsed meanwhile is not written at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-memonly-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const { b, channels } = backend();
    const box = open(dir, clock, channels);
    const dead: string[] = [];
    box.outbox.on('dead', (d) => dead.push(d.key));
    box.refuse('SQLITE_FULL');
    const door = await box.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: 'front' }, { ttlMs: 15_000 });
    await run(clock, 20_000);
    b.up = true;
    b.refuse = true;
    const refused = await box.outbox.enqueue('realtime', 'checkin', { cardId: 'C4001', source: 'desk' });
    await run(clock, 1_000);
    expect(b.sends.get(door.key)).toBeUndefined();
    expect(b.sends.get(refused.key)).toBe(1);
    // Refused by the backend, not yet a dead letter on disk: still only in memory, and said so.
    expect(box.outbox.alert).toMatch(/^1 check-in is only in this PC's memory/);
    box.room();
    await run(clock, 31_000);
    expect(box.outbox.alert).toBeNull();
    expect(box.rows()).toEqual([]);
    expect(box.outbox.deadLetters().map((d) => d.key)).toEqual([refused.key]);
    expect(dead).toEqual([refused.key]);
  });
});
