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
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let db: Db | null = null;
let dir = '';
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

// A backlog past the memory window waits in SQLite and is loaded back as room frees. Loaded after the last ack of a
// window, it sat until the pool's next change (nothing else pumps); and timed from its loading, its enqueue→ack time
// (the benchmark's latency) read as if it had not waited at all.
describe('a backlog past the memory window', () => {
  it('is all sent once the backend is back, with no other wake-up; its enqueue→ack time counts the wait in SQLite', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gym-ack-time-'));
    db = openConsoleDb(dir);
    const clock = new FakeClock();
    let up = false;
    const ch: Channel = { id: 's1', ready: () => up, send: (_op, _body, _key, h: SendHandlers) => queueMicrotask(() => h.acked()) };
    const acks: number[] = [];
    const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: { get: () => ch, pick: () => (up ? ch : null) }, clock, memory: { maxCount: 4, maxBytes: 1 << 20 }, onAck: (ms) => acks.push(ms) });
    const sent = Array.from({ length: 20 }, (_, i) => outbox.enqueue('system', 'action', { kind: 'sync', data: `m${i}` }));
    for (let i = 0; i < 5; i++) await flush();
    await Promise.all(sent);
    clock.advance(3_000);
    up = true;
    outbox.kick();
    for (let i = 0; i < 200 && acks.length < 20; i++) {
      await flush();
      clock.advance(10);
    }
    expect(acks).toHaveLength(20);
    expect(Math.min(...acks)).toBeGreaterThanOrEqual(3_000);
    outbox.close();
    for (let i = 0; i < 5; i++) await flush();
  });
});
