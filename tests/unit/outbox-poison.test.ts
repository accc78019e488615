import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel } from '../../src/main/core/delivery/channel';
import { ConnectionLost } from '../../src/main/core/pool/connection';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A backend that drops the socket whenever it is sent one card (`byBackend`), or the console cuts it then (not). */
async function run(byBackend: boolean) {
  dir = mkdtempSync(join(tmpdir(), 'outbox-poison-'));
  const clock = new FakeClock();
  const acked: string[] = [];
  const ch: Channel = {
    id: 's1',
    ready: () => true,
    send: (_op, body, _key, h) =>
      queueMicrotask(() => {
        const card = (JSON.parse(body) as { cardId: string }).cardId;
        if (card === 'POISON01') return h.failed(new ConnectionLost('connection lost: closed (1011)', byBackend));
        acked.push(card);
        h.acked();
      }),
  };
  const db = openConsoleDb(dir);
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: { get: () => ch, pick: () => ch }, clock });
  for (const card of ['POISON01', 'GOOD0001', 'GOOD0002']) await outbox.enqueue('realtime', 'checkin', { cardId: card, source: 'kiosk' });
  // Half a second at a time (the drop comes right after the send), for half an hour: past every backoff.
  for (let i = 0; i < 3_600 && outbox.deadLetters().length === 0; i++) {
    clock.advance(500);
    outbox.kick();
    await flush();
    await flush();
  }
  const result = { acked, view: outbox.view(), dead: outbox.deadLetters().map((d) => d.reason) };
  outbox.close();
  db.close();
  return result;
}

describe('a message the backend drops the socket on, every time', () => {
  it('becomes a dead letter after a few tries in a row, so the check-ins behind it are sent', async () => {
    const r = await run(true);
    expect(r.dead).toEqual([expect.stringMatching(/^the backend closed the connection each time this was sent \(8 times in a row\)/)]);
    expect(r.acked).toEqual(expect.arrayContaining(['GOOD0001', 'GOOD0002']));
    expect(r.view.queued).toBe(0);
  });

  it('is not counted when the console cut the socket itself (an outage, not the message)', async () => {
    const r = await run(false);
    expect(r.dead).toEqual([]);
    expect(r.view.queued).toBeGreaterThan(0);
  });
});
