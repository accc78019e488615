import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel, ChannelSource, SendHandlers } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { StorageUnavailable } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One instance whose shared database is down until `storageBack`: every send is answered "storage unavailable". */
function backend() {
  const b = { storageDown: true, sends: 0, applied: 0 };
  const ch: Channel = {
    id: 's1',
    ready: () => true,
    send: (_op, _body, _key, h: SendHandlers) => {
      b.sends++;
      queueMicrotask(() => (b.storageDown ? h.failed(new StorageUnavailable('The backend cannot reach its shared storage (Redis) right now.')) : (b.applied++, h.acked())));
    },
  };
  const source: ChannelSource = { get: () => ch, pick: () => ch };
  return { b, source };
}

describe('the outbox while the backend database is down', () => {
  it('keeps a check-in through a long outage without burying it, asks again every few seconds, and sends it once the database is back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-storage-'));
    const db = openConsoleDb(dir);
    const clock = new FakeClock();
    const { b, source } = backend();
    const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock, maxAttempts: 3 });
    await outbox.enqueue('realtime', 'checkin', { cardId: 'M00013', source: 'desk' });
    for (let s = 0; s < 600; s++) {
      await flush();
      clock.advance(1_000);
    }
    await flush();
    // Ten minutes down: far past 3 attempts, and still waiting, not a dead letter.
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(1);
    // Not a tight loop: at most one try a second or so once the waits have grown.
    expect(b.sends).toBeGreaterThan(100);
    expect(b.sends).toBeLessThan(400);
    b.storageDown = false;
    for (let s = 0; s < 6; s++) {
      await flush();
      clock.advance(1_000);
    }
    await flush();
    expect(b.applied).toBe(1);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(0);
    expect(outbox.deadLetters()).toEqual([]);
    outbox.close();
    db.close();
  });
});
