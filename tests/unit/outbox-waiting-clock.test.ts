import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxOptions } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel, ChannelSource } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { openDb } from '../../src/main/core/store/db';
import type { Verdict } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A backend that is unreachable until `up`, and records the cards of the check-ins it is sent. */
function backend() {
  const b = { up: false, sent: [] as string[] };
  const ch: Channel = {
    id: 's1',
    ready: () => b.up,
    send: (_op, body, _key, h) => {
      b.sent.push((JSON.parse(body) as { cardId?: string; data?: string }).cardId ?? 'action');
      queueMicrotask(() => h.acked());
    },
  };
  const source: ChannelSource = { get: () => (b.up ? ch : null), pick: () => (b.up ? ch : null) };
  return { b, source };
}

/** The console's outbox over console.db in `dir`, with the desk's verdicts for check-ins it decided while the backend was away. */
function open(clock: FakeClock, source: ChannelSource, opts: Partial<OutboxOptions> = {}) {
  const db = openConsoleDb(dir);
  const decided = new Map<string, Verdict>();
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock, decidedOffline: (k) => decided.get(k), ...opts });
  return { outbox, db, decided, close: () => (outbox.close(), db.close()) };
}

/** Three desk check-ins, decided on this PC while the backend is away. */
async function deskCheckins(box: ReturnType<typeof open>) {
  for (const card of ['4000000001', '4000000002', '4000000003']) {
    const { key } = await box.outbox.enqueue('realtime', 'checkin', { cardId: card, source: 'desk' });
    box.decided.set(key, { allowed: true, reason: 'ok' });
  }
}

/** Lets `ms` pass on a running console, a minute at a time, timers and deferred work included. */
async function run(clock: FakeClock, ms: number) {
  for (let t = 0; t < ms; t += MIN) {
    await flush();
    clock.advance(Math.min(MIN, ms - t));
  }
  for (let i = 0; i < 5; i++) await flush();
}

describe('a PC clock set forward while check-ins wait', () => {
  it('buries none when NTP moves the clock three days on during an outage: all are sent when the backend is back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-clock-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const box = open(clock, source);
    await deskCheckins(box);
    await run(clock, 10 * MIN);
    clock.stepWall(3 * DAY); // the PC's clock was three days behind; it is put right mid-outage
    await run(clock, 10 * MIN);
    b.up = true;
    box.outbox.kick();
    await run(clock, MIN);
    expect(box.outbox.deadLetters()).toEqual([]);
    expect(b.sent).toEqual(['4000000001', '4000000002', '4000000003']);
    expect(box.outbox.view()).toMatchObject({ queued: 0, inFlight: 0 });
    box.close();
  });

  it('buries none when the console restarts with the right clock: the tester\'s three desk check-ins reach the backend', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-clock-'));
    const { b, source } = backend();
    const behind = new FakeClock();
    behind.stepWall(-3 * DAY); // the console's clock is three days behind
    const first = open(behind, source);
    await deskCheckins(first);
    await run(behind, 5 * MIN);
    first.close();
    await flush();

    const right = new FakeClock(); // a new process: its monotonic clock starts again, its wall clock is right
    b.up = true;
    const again = open(right, source);
    again.outbox.kick();
    await run(right, MIN);
    expect(again.outbox.deadLetters()).toEqual([]);
    expect(b.sent).toEqual(['4000000001', '4000000002', '4000000003']);
    again.close();
  });

  it('does not age the queue while the PC is switched off: three days off, then sent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-clock-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const first = open(clock, source);
    await deskCheckins(first);
    await run(clock, 20 * HOUR); // the gym's day, the backend away throughout
    first.close();
    await flush();
    clock.jump(3 * DAY); // switched off over a long weekend
    b.up = true;
    const again = open(clock, source);
    again.outbox.kick();
    await run(clock, MIN);
    expect(again.outbox.deadLetters()).toEqual([]);
    expect(b.sent).toEqual(['4000000001', '4000000002', '4000000003']);
    again.close();
  });
});

describe('24 hours of waiting the console saw', () => {
  it('still make a message a dead letter, never sent, counted across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-clock-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const first = open(clock, source);
    await first.outbox.enqueue('realtime', 'checkin', { cardId: '4000000001', source: 'desk' });
    await run(clock, 13 * HOUR);
    first.close();
    await flush();
    clock.jump(2 * DAY); // off: not counted
    const again = open(clock, source);
    await run(clock, 10 * HOUR);
    expect(again.outbox.deadLetters()).toEqual([]); // 23 h waited
    await run(clock, HOUR + MIN);
    expect(again.outbox.deadLetters()).toMatchObject([{ op: 'checkin', attempts: 0, reason: expect.stringMatching(/^expired: not acknowledged within 1440 min of waiting on this console/) }]);
    b.up = true;
    again.outbox.kick();
    await run(clock, MIN);
    expect(b.sent).toEqual([]);
    again.close();
  });

  it('count time up to a crash: the waiting clock is saved every minute while messages wait', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-clock-'));
    const clock = new FakeClock();
    const { source } = backend();
    const first = open(clock, source);
    await first.outbox.enqueue('realtime', 'checkin', { cardId: '4000000001', source: 'desk' });
    await run(clock, 23 * HOUR + 58 * MIN);
    first.db.close(); // the power goes: the outbox is never closed
    const after = new FakeClock(); // the next process
    const again = open(after, source);
    await run(after, 3 * MIN);
    expect(again.outbox.deadLetters()).toMatchObject([{ reason: expect.stringMatching(/^expired/) }]);
    again.close();
  });

  it('start again for a dead letter staff retry, and a clock set forward does not bury it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-clock-'));
    const clock = new FakeClock();
    const { b, source } = backend();
    const box = open(clock, source, { ttlMs: HOUR });
    const { key } = await box.outbox.enqueue('realtime', 'checkin', { cardId: '4000000001', source: 'desk' });
    await run(clock, HOUR + MIN);
    expect(box.outbox.deadLetters().map((d) => d.key)).toEqual([key]);
    box.outbox.retryDead(key, 'manager:ana');
    clock.stepWall(2 * DAY);
    await run(clock, 30 * MIN);
    expect(box.outbox.deadLetters()).toEqual([]);
    b.up = true;
    box.outbox.kick();
    await run(clock, MIN);
    expect(b.sent).toEqual(['4000000001']);
    box.close();
  });
});

describe('a check-in queued by a console from before the waiting clock (console.db v6)', () => {
  it('is kept and sent, though its old wall-clock expiry is long past', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-clock-'));
    const clock = new FakeClock();
    const old = openDb(join(dir, 'console.db'), CONSOLE_MIGRATIONS.slice(0, 6));
    const created = clock.now() - 3 * DAY;
    old.prepare("INSERT INTO outbox (seq, key, lane, op, body, created, expires, attempts) VALUES (1, 'k1', 0, 'checkin', ?, ?, ?, 0)").run('{"cardId":"4000000001","source":"desk"}', created, created + DAY);
    old.close();
    const { b, source } = backend();
    b.up = true;
    const box = open(clock, source);
    box.outbox.kick();
    await run(clock, MIN);
    expect(box.outbox.deadLetters()).toEqual([]);
    expect(b.sent).toEqual(['4000000001']);
    box.close();
  });
});
