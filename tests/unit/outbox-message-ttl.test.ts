import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel, ChannelSource, SendHandlers } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { Db } from '../../src/main/core/store/db';
import { RequestTimedOut } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One instance: away (no channel), silent (takes messages, never answers) or fine. Sends are logged with their time. */
function backend(clock: FakeClock) {
  const b = { mode: 'away' as 'away' | 'silent' | 'fine', sent: [] as { data: string; at: number }[] };
  const ch: Channel = {
    id: 's1',
    ready: () => b.mode !== 'away',
    send: (_op, body, _key, h: SendHandlers) => {
      b.sent.push({ data: (JSON.parse(body) as { data: string }).data, at: clock.mono() });
      if (b.mode === 'silent') return void clock.setTimeout(() => h.failed(new RequestTimedOut('action timed out after 10000 ms')), 10_000);
      queueMicrotask(() => h.acked());
    },
  };
  const source: ChannelSource = { get: () => (b.mode === 'away' ? null : ch), pick: () => (b.mode === 'away' ? null : ch) };
  return { b, source };
}

async function run(clock: FakeClock, outbox: Outbox, seconds: number) {
  for (let s = 0; s < seconds; s++) {
    await flush();
    clock.advance(1_000);
    outbox.kick(); // what a pool change does
  }
  await flush();
}

function open(db: Db, clock: FakeClock, source: ChannelSource) {
  return new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock });
}

function rig() {
  dir = mkdtempSync(join(tmpdir(), 'outbox-ttl-'));
  const db = openConsoleDb(dir);
  const clock = new FakeClock();
  const { b, source } = backend(clock);
  return { db, clock, b, source, outbox: open(db, clock, source) };
}

const door = { kind: 'door.open', data: 'front' };

describe('a message with its own time to live (a door release: now or never)', () => {
  it('queued while the backend is away, is never sent when it comes back after its time: it lapses, told, and is no dead letter', async () => {
    const { db, clock, b, outbox } = rig();
    const lapsed: [string, boolean][] = [];
    outbox.on('lapsed', (key, _op, _body, earlier) => lapsed.push([key, earlier]));
    const { key } = await outbox.enqueue('realtime', 'action', door, { ttlMs: 15_000 });
    await outbox.enqueue('realtime', 'action', { kind: 'staff.note', data: 'towels low' });
    await run(clock, outbox, 20);
    b.mode = 'fine';
    await run(clock, outbox, 5);
    expect(b.sent.map((s) => s.data)).toEqual(['towels low']);
    expect(lapsed).toEqual([[key, false]]);
    // Its sender told the outcome (the door card): a dead letter would keep "Outgoing messages" red for nothing.
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.view().dead).toBe(0);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(0);
    outbox.close();
    db.close();
  });

  it('sent to a backend that does not answer, is not sent again after its time, whatever comes back', async () => {
    const { db, clock, b, outbox } = rig();
    b.mode = 'silent';
    await outbox.enqueue('realtime', 'action', door, { ttlMs: 15_000 });
    await run(clock, outbox, 40);
    b.mode = 'fine';
    await run(clock, outbox, 30);
    expect(b.sent.length).toBeGreaterThan(0);
    for (const s of b.sent) expect(s.at).toBeLessThan(15_000);
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(0);
    outbox.close();
    db.close();
  });

  it('keeps its time to live through a restart: the console started again later does not send it', async () => {
    const { db, clock, b, source, outbox } = rig();
    await outbox.enqueue('realtime', 'action', door, { ttlMs: 15_000 });
    outbox.close();
    clock.advance(60_000);
    b.mode = 'fine';
    const again = open(db, clock, source);
    const lapsed: boolean[] = [];
    again.on('lapsed', (_key, _op, _body, earlier) => lapsed.push(earlier));
    await run(clock, again, 3);
    expect(b.sent).toEqual([]);
    expect(lapsed).toEqual([true]); // queued before this run: its sender is not here to have told it
    expect(again.deadLetters()).toEqual([]);
    again.close();
    db.close();
  });

  it('a message without one that expires is still a dead letter that says so: nobody has told its outcome', async () => {
    const { db, clock, outbox } = rig();
    await outbox.enqueue('realtime', 'action', { kind: 'staff.note', data: 'towels low' });
    await run(clock, outbox, 1);
    clock.advance(25 * 3_600_000);
    outbox.kick();
    await run(clock, outbox, 1);
    expect(outbox.deadLetters()).toMatchObject([{ op: 'action', reason: expect.stringMatching(/^expired: not acknowledged within 1440 min/) }]);
    outbox.close();
    db.close();
  });

  it('a message without one keeps the outbox default (a day): sent when the backend is back', async () => {
    const { db, clock, b, outbox } = rig();
    await outbox.enqueue('realtime', 'action', { kind: 'sync', data: 'x' });
    await run(clock, outbox, 60);
    b.mode = 'fine';
    await run(clock, outbox, 2);
    expect(b.sent.map((s) => s.data)).toEqual(['x']);
    outbox.close();
    db.close();
  });
});
