import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel, ChannelSource } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { RequestRejected } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A backend that is unreachable until `up`, and records what it is sent, by op. */
function backend() {
  const b = { up: false, sent: [] as { op: string; body: Record<string, unknown> }[] };
  const ch: Channel = {
    id: 's1',
    ready: () => b.up,
    send: (op, body, _key, h) => {
      b.sent.push({ op, body: JSON.parse(body) });
      queueMicrotask(() => h.acked());
    },
  };
  const source: ChannelSource = { get: () => (b.up ? ch : null), pick: () => (b.up ? ch : null) };
  return { b, source };
}

function open(clock: FakeClock, source: ChannelSource) {
  const db = openConsoleDb(dir);
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock });
  return { outbox, db, close: () => (outbox.close(), db.close()) };
}

describe('a damaged row in the outbox', () => {
  it('goes out as stored (the backend refuses it) and the check-ins behind it are sent: the lane never stops', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-scan-'));
    const clock = new FakeClock();
    const sent: string[] = [];
    const ch: Channel = { id: 's1', ready: () => true, send: (_op, body, _key, h) => (sent.push(body), queueMicrotask(() => h.acked())) };
    const source: ChannelSource = { get: () => null, pick: () => null };
    const first = open(clock, source);
    await first.outbox.enqueue('realtime', 'checkin', { cardId: '4000104729', source: 'kiosk' });
    first.db.prepare("UPDATE outbox SET body = '{\"cardId\":'").run(); // as a damaged file or a hand edit leaves it
    first.close();
    await flush();
    clock.jump(5 * 60_000); // late: it would be given scannedAt, which means reading it
    const again = open(clock, { get: () => ch, pick: () => ch });
    await again.outbox.enqueue('realtime', 'checkin', { cardId: '4000104730', source: 'kiosk' });
    again.outbox.kick();
    for (let i = 0; i < 5; i++) await flush();
    expect(sent).toEqual(['{"cardId":', '{"cardId":"4000104730","source":"kiosk"}']);
    expect(again.outbox.view()).toMatchObject({ queued: 0, inFlight: 0 });
    again.close();
  });
});

describe('a check-in that waits in the outbox says when it was scanned', () => {
  it('keeps the scan time through a restart, and sends it as scannedAt once the backend is back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-scan-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const first = open(clock, source);
    const scannedAt = clock.now();
    await first.outbox.enqueue('realtime', 'checkin', { cardId: '4000104729', source: 'kiosk' });
    await first.outbox.enqueue('realtime', 'action', { kind: 'staff.note', data: 'towels low' });
    first.close(); // the kiosk PC goes down with both queued
    await flush(); // its last deferred turn, before the backend is back

    clock.jump(45 * 60_000);
    b.up = true;
    const again = open(clock, source);
    again.outbox.kick();
    for (let i = 0; i < 5; i++) await flush();
    expect(b.sent).toEqual([
      { op: 'checkin', body: { cardId: '4000104729', source: 'kiosk', scannedAt } },
      { op: 'action', body: { kind: 'staff.note', data: 'towels low' } },
    ]);
    expect(again.outbox.view().queued).toBe(0);
    again.close();
  });

  it.each([
    ['forward three days (it was behind)', 3 * 24 * 60 * 60_000],
    ['back an hour (it was ahead)', -60 * 60_000],
  ])('is sent at the scan as this console saw it wait when the PC clock is set %s during the outage', async (_, step) => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-scan-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const box = open(clock, source);
    await box.outbox.enqueue('realtime', 'checkin', { cardId: '4000104729', source: 'desk' });
    clock.advance(10 * 60_000);
    clock.stepWall(step); // NTP puts the PC's clock right
    clock.advance(5 * 60_000);
    b.up = true;
    box.outbox.kick();
    for (let i = 0; i < 5; i++) await flush();
    // 15 minutes before now on the corrected clock: when the member was at the desk.
    expect(b.sent).toEqual([{ op: 'checkin', body: { cardId: '4000104729', source: 'desk', scannedAt: clock.now() - 15 * 60_000 } }]);
    box.close();
  });

  it('keeps its scan time when staff retry it from the dead letters hours later', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-scan-'));
    const clock = new FakeClock();
    const sent: Record<string, unknown>[] = [];
    let refuse = true;
    const ch: Channel = {
      id: 's1',
      ready: () => true,
      send: (_op, body, _key, h) => (sent.push(JSON.parse(body)), queueMicrotask(() => (refuse ? h.failed(new RequestRejected('bad-frame', 'not now')) : h.acked()))),
    };
    const box = open(clock, { get: () => ch, pick: () => ch });
    const scannedAt = clock.now();
    const { key } = await box.outbox.enqueue('realtime', 'checkin', { cardId: '4000104729', source: 'desk' });
    for (let i = 0; i < 5; i++) await flush();
    expect(box.outbox.deadLetters().map((d) => d.key)).toEqual([key]);
    clock.advance(2 * 60 * 60_000);
    refuse = false;
    box.outbox.retryDead(key, 'manager:ana');
    for (let i = 0; i < 5; i++) await flush();
    expect(sent).toHaveLength(2);
    expect(sent.at(-1)).toEqual({ cardId: '4000104729', source: 'desk', scannedAt });
    box.close();
  });

  it('sends none when it goes within a few seconds of the scan (normal traffic), and keeps one it was given', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-scan-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const box = open(clock, source);
    await box.outbox.enqueue('realtime', 'checkin', { cardId: '1111', source: 'desk' });
    await box.outbox.enqueue('realtime', 'checkin', { cardId: '2222', source: 'desk', scannedAt: clock.now() - 5 * 60_000 });
    clock.advance(4_000);
    b.up = true;
    box.outbox.kick();
    for (let i = 0; i < 5; i++) await flush();
    expect(b.sent.map((s) => s.body)).toEqual([
      { cardId: '1111', source: 'desk' },
      { cardId: '2222', source: 'desk', scannedAt: clock.now() - 4_000 - 5 * 60_000 },
    ]);
    box.close();
  });

  it('sends the scan time of a desk check-in that waited 40 s in a short outage, so it keeps its time on the screens', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-scan-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const box = open(clock, source);
    const scannedAt = clock.now();
    await box.outbox.enqueue('realtime', 'checkin', { cardId: '1111', source: 'desk' });
    clock.advance(40_000);
    b.up = true;
    box.outbox.kick();
    for (let i = 0; i < 5; i++) await flush();
    expect(b.sent.map((s) => s.body)).toEqual([{ cardId: '1111', source: 'desk', scannedAt }]);
    box.close();
  });
});

describe('a check-in this PC decided itself goes out saying so', () => {
  it('carries the offline verdict, looked up by its key at each send, with or without scannedAt; others go as stored', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-decided-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const db = openConsoleDb(dir);
    const decided = new Map<string, { allowed: true; reason: 'ok' }>();
    const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock, decidedOffline: (k) => decided.get(k) });
    try {
      const { key } = await outbox.enqueue('realtime', 'checkin', { cardId: '4000000001', source: 'kiosk' });
      await outbox.enqueue('realtime', 'checkin', { cardId: '4000000002', source: 'kiosk' });
      decided.set(key, { allowed: true, reason: 'ok' }); // decided after it was queued, as the desk does
      b.up = true;
      outbox.kick();
      await flush();
      await flush();
      expect(b.sent.map((s) => s.body)).toEqual([
        { cardId: '4000000001', source: 'kiosk', decidedOffline: { allowed: true, reason: 'ok' } },
        { cardId: '4000000002', source: 'kiosk' },
      ]);
    } finally {
      outbox.close();
      db.close();
    }
  });
});
