import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxOptions } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import { MAX_DEAD_LETTERS } from '../../src/main/core/delivery/outbox-bounds';
import type { Channel, ChannelSource } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { Db } from '../../src/main/core/store/db';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A backend that is unreachable until `online`, then acknowledges everything. */
function backend() {
  const b = { online: false, applied: 0 };
  const ch: Channel = {
    id: 's1',
    ready: () => b.online,
    send: (_op, _body, _key, h) => queueMicrotask(() => (b.applied++, h.acked())),
  };
  const source: ChannelSource = { get: () => (b.online ? ch : null), pick: () => (b.online ? ch : null) };
  return { b, source };
}

function open(source: ChannelSource, opts: Partial<OutboxOptions> = {}) {
  dir ||= mkdtempSync(join(tmpdir(), 'outbox-bounds-'));
  db ??= openConsoleDb(dir);
  const clock = new FakeClock();
  return new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock, ...opts });
}

const rows = () => db!.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(body)), 0) AS bytes FROM outbox').get() as { n: number; bytes: number };
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: Error) => e.message);
const checkin = (i: number) => ({ cardId: `C${i}`, source: 'kiosk' as const });

describe('the bound on what waits unsent', () => {
  it('stops a flood of staff notes with a plain message well before the disk fills, and still takes check-ins', async () => {
    dir = '';
    const { source } = backend();
    const outbox = open(source);
    const note = { kind: 'staff.note', data: 'n'.repeat(8_000) };
    let accepted = 0;
    let refusal = '';
    // 5,000 notes of 8 KB is 40 MB: without a bound every one lands on disk.
    for (let batch = 0; batch < 50 && !refusal; batch++) {
      const results = await Promise.all(Array.from({ length: 100 }, () => outcome(outbox.enqueue('broadcast', 'action', note))));
      accepted += results.filter((r) => r === 'ok').length;
      refusal = results.find((r) => r !== 'ok') ?? '';
    }
    expect(refusal).toMatch(/^[\d,]+ messages \([\d.]+ MB\) are waiting to send, more than the gym backend has taken so far; nothing more is queued until some are sent\. This action was NOT queued\./);
    expect(accepted).toBeGreaterThan(1_000); // generous: a long day of staff actions fits
    expect(rows().bytes).toBeLessThanOrEqual(16 << 20);
    // The door keeps working: check-ins have their own share above the staff bound.
    await expect(outbox.enqueue('realtime', 'checkin', checkin(1))).resolves.toMatchObject({ durable: true });
    expect(rows().n).toBe(accepted + 1); // nothing already queued was dropped
    outbox.close();
  }, 30_000);

  it('reserves a share for check-ins, counts what waits on disk after a restart, and takes more once some are sent', async () => {
    dir = '';
    const bounds = { checkin: { maxCount: 30, maxBytes: 1 << 20 }, other: { maxCount: 10, maxBytes: 1 << 20 } };
    const first = open(backend().source, { bounds });
    for (let i = 0; i < 10; i++) await first.enqueue('system', 'action', { kind: 'sync', data: String(i) });
    await expect(first.enqueue('system', 'action', { kind: 'sync', data: 'x' })).rejects.toThrow(/^10 messages .* This action was NOT queued/);
    // Door releases are staff actions too, whatever their lane.
    await expect(first.enqueue('realtime', 'action', { kind: 'door.open', data: 'front' })).rejects.toThrow(/NOT queued/);
    for (let i = 0; i < 20; i++) await first.enqueue('realtime', 'checkin', checkin(i));
    await expect(first.enqueue('realtime', 'checkin', checkin(99))).rejects.toThrow(/^30 messages .* This check-in was NOT taken/);
    first.close();

    // A restart weighs what is already on disk.
    const { b, source } = backend();
    const second = open(source, { bounds });
    await expect(second.enqueue('system', 'action', { kind: 'sync', data: 'x' })).rejects.toThrow(/^30 messages/);
    await expect(second.enqueue('realtime', 'checkin', checkin(99))).rejects.toThrow(/check-in was NOT taken/);
    expect(rows().n).toBe(30);

    b.online = true;
    second.kick();
    for (let i = 0; i < 20 && b.applied < 30; i++) await flush();
    expect(b.applied).toBe(30); // every one queued before the refusals is sent
    await expect(second.enqueue('system', 'action', { kind: 'sync', data: 'after' })).resolves.toMatchObject({ durable: true });
    second.close();
  });

  it('bounds bytes as well as messages', async () => {
    dir = '';
    const { source } = backend();
    const outbox = open(source, { bounds: { checkin: { maxCount: 100, maxBytes: 400 }, other: { maxCount: 100, maxBytes: 200 } } });
    await outbox.enqueue('system', 'action', { kind: 'sync', data: 'a'.repeat(120) });
    await expect(outbox.enqueue('system', 'action', { kind: 'sync', data: 'b'.repeat(120) })).rejects.toThrow(/^1 message \(0.0 MB\) is waiting to send.*NOT queued/);
    await expect(outbox.enqueue('realtime', 'checkin', checkin(1))).resolves.toMatchObject({ durable: true });
    outbox.close();
  });
});

describe('the places kept for members (probe-hostile18 F2)', () => {
  it("refuses a card the roster copy lacks past its own bound, and still takes a member's check-in and every one queued", async () => {
    dir = '';
    const { b, source } = backend();
    const outbox = open(source, { bounds: { checkin: { maxCount: 10, maxBytes: 1 << 20 }, other: { maxCount: 5, maxBytes: 1 << 20 }, unknownCard: { maxCount: 8, maxBytes: 1 << 20 } } });
    for (let i = 0; i < 8; i++) await outbox.enqueue('realtime', 'checkin', checkin(i), { unknownCard: true });
    await expect(outbox.enqueue('realtime', 'checkin', checkin(99), { unknownCard: true })).rejects.toThrow(
      /^8 messages \(0.0 MB\) are waiting to send.*nothing more is queued until some are sent \(the places left are kept for cards the console knows\)\. This check-in was NOT taken\./,
    );
    // A member's scan takes one of the places kept.
    await expect(outbox.enqueue('realtime', 'checkin', checkin(100))).resolves.toMatchObject({ durable: true });
    await expect(outbox.enqueue('realtime', 'checkin', checkin(101))).resolves.toMatchObject({ durable: true });
    await expect(outbox.enqueue('realtime', 'checkin', checkin(102))).rejects.toThrow(/^10 messages .*This check-in was NOT taken\./);
    b.online = true;
    outbox.kick();
    for (let i = 0; i < 20 && b.applied < 10; i++) await flush();
    expect(b.applied).toBe(10); // nothing queued was lost
    outbox.close();
  });
});

describe('the bound on dead letters', () => {
  it(`keeps at most ${MAX_DEAD_LETTERS.toLocaleString('en')}, dropping the oldest staff actions before any check-in`, () => {
    dir = '';
    dir ||= mkdtempSync(join(tmpdir(), 'outbox-bounds-'));
    db ??= openConsoleDb(dir);
    const store = new OutboxStore(db, new AuditLog(db, () => 0));
    const message = (seq: number, op: string) => ({ seq, key: `k${seq}`, lane: 'realtime' as const, op, body: '{}', created: seq, attempts: 1 });
    // The oldest are check-ins; then a screen sends what the backend refuses, over and over.
    const dropped: number[] = [];
    db.transaction(() => {
      for (let seq = 1; seq <= 5; seq++) dropped.push(store.bury(message(seq, 'checkin'), 'refused', seq));
      for (let seq = 6; seq <= MAX_DEAD_LETTERS + 20; seq++) dropped.push(store.bury(message(seq, 'action'), 'refused (unknown-action)', seq));
    })();
    expect(store.deadCount()).toBe(MAX_DEAD_LETTERS);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(20);
    expect(db.prepare("SELECT COUNT(*) AS n FROM dead WHERE op = 'checkin'").get()).toEqual({ n: 5 });
    expect(store.dead('k6')).toBeNull(); // the oldest staff actions went
    expect(store.dead(`k${MAX_DEAD_LETTERS + 20}`)).not.toBeNull();
  });
});
