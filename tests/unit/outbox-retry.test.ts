import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel } from '../../src/main/core/delivery/channel';
import { RequestRejected } from '../../src/main/core/pool/connection';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a dead letter staff retry', () => {
  it('is sent at once, though nothing else wakes the outbox', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-retry-'));
    const clock = new FakeClock();
    let refuse = true;
    const sent: string[] = [];
    const ch: Channel = {
      id: 's1',
      ready: () => true,
      send: (_op, _body, key, h) => (sent.push(key), queueMicrotask(() => (refuse ? h.failed(new RequestRejected('busy', 'not now')) : h.acked()))),
    };
    const db = openConsoleDb(dir);
    const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: { get: () => ch, pick: () => ch }, clock });
    const { key } = await outbox.enqueue('system', 'action', { kind: 'sync', data: 'x' });
    for (let i = 0; i < 5; i++) await flush();
    expect(outbox.deadLetters().map((d) => d.key)).toEqual([key]);
    refuse = false;
    outbox.retryDead(key, 'manager:ana');
    for (let i = 0; i < 5; i++) await flush();
    expect(sent).toEqual([key, key]);
    expect(outbox.view()).toMatchObject({ queued: 0, inFlight: 0, dead: 0 });
    outbox.close();
    db.close();
  });
});
