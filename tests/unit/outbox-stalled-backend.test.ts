import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, UNANSWERED_WHY } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel, ChannelSource, SendHandlers } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { ConnectionLost, MalformedReply, RequestTimedOut } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Mode = 'silent' | 'drop' | 'internal' | 'malformed' | 'fine';

/** One instance that fails every send the way `mode` says, until it is 'fine'. Applied counts what it took. */
function backend(clock: FakeClock) {
  const b = { mode: 'silent' as Mode, sends: 0, applied: new Map<string, number>() };
  const apply = (key: string) => b.applied.set(key, (b.applied.get(key) ?? 0) + 1);
  const ch: Channel = {
    id: 's1',
    ready: () => true,
    send: (_op, _body, key, h: SendHandlers) => {
      b.sends++;
      const mode = b.mode;
      // It took the message in every case but 'internal': the key makes a resend harmless.
      if (mode !== 'internal') apply(key);
      if (mode === 'silent') return void clock.setTimeout(() => h.failed(new RequestTimedOut('checkin timed out after 10000 ms')), 10_000);
      queueMicrotask(() => {
        if (mode === 'drop') h.failed(new ConnectionLost('connection lost: its event numbering disagrees'));
        else if (mode === 'internal') h.failed(new Error('The backend failed on this request; it was not applied.'));
        else if (mode === 'malformed') h.failed(new MalformedReply('ws://x sent a malformed checkin reply'));
        else h.acked();
      });
    },
  };
  const source: ChannelSource = { get: () => ch, pick: () => ch };
  return { b, source };
}

async function run(clock: FakeClock, seconds: number) {
  for (let s = 0; s < seconds; s++) {
    await flush();
    clock.advance(1_000);
  }
  await flush();
}

function rig() {
  dir = mkdtempSync(join(tmpdir(), 'outbox-stalled-'));
  const db = openConsoleDb(dir);
  const clock = new FakeClock();
  const { b, source } = backend(clock);
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock, maxAttempts: 3 });
  return { db, clock, b, outbox, done: () => (outbox.close(), db.close()) };
}

describe('the outbox against a backend that takes messages and does not answer, or keeps dropping the socket', () => {
  it('keeps a check-in queued through ten silent minutes, says why, backs off, and sends it once (by key) when the backend answers', async () => {
    const { clock, b, outbox, done } = rig();
    const m = await outbox.enqueue('realtime', 'checkin', { cardId: 'M00013', source: 'desk' });
    await run(clock, 600);
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(1);
    expect(outbox.view().why).toBe(UNANSWERED_WHY);
    // Backing off up to 30 s between 10 s timeouts: tens of tries in ten minutes, not one every 10 s.
    expect(b.sends).toBeGreaterThan(10);
    expect(b.sends).toBeLessThan(45);
    b.mode = 'fine';
    await run(clock, 45);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(0);
    expect(outbox.view().why).toBeNull();
    expect(outbox.deadLetters()).toEqual([]);
    // Sent several times, under one key: the backend applies it once.
    expect([...b.applied.keys()]).toEqual([m.key]);
    done();
  });

  it('keeps messages through sockets lost again and again, resending the first at once and then backing off', async () => {
    const { clock, b, outbox, done } = rig();
    b.mode = 'drop';
    await outbox.enqueue('realtime', 'checkin', { cardId: 'M00014', source: 'desk' });
    await outbox.enqueue('notification', 'action', { kind: 'notify', data: 'note' });
    await run(clock, 120);
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(2);
    expect(outbox.view().why).toBeNull(); // a lost socket is the connection's to tell, not the outbox's
    expect(b.sends).toBeLessThan(60);
    b.mode = 'fine';
    await run(clock, 35);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(0);
    expect(outbox.deadLetters()).toEqual([]);
    done();
  });

  it('still buries a message the backend keeps failing on, so it cannot hold its lane for a day', async () => {
    for (const mode of ['internal', 'malformed'] as const) {
      const { clock, b, outbox, done } = rig();
      b.mode = mode;
      await outbox.enqueue('system', 'action', { kind: 'sync', data: 'x' });
      await run(clock, 30);
      expect(outbox.deadLetters()).toHaveLength(1);
      expect(outbox.deadLetters()[0]!.reason).toMatch(/gave up after 3 attempts/);
      done();
    }
  });
});
