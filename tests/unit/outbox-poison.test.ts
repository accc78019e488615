import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel } from '../../src/main/core/delivery/channel';
import { ConnectionLost } from '../../src/main/core/pool/connection';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A backend that drops the socket on a card when `drops(card, ms since start)` says so (`byBackend`), or
 * the console cuts it then (not), and takes every other. Runs until a dead letter, or `minutes`.
 */
async function run(byBackend: boolean, drops: (card: string, ms: number) => boolean = (card) => card === 'POISON01', cards = ['POISON01', 'GOOD0001', 'GOOD0002'], minutes = 30) {
  dir = mkdtempSync(join(tmpdir(), 'outbox-poison-'));
  const clock = new FakeClock();
  const acked: string[] = [];
  const dropped: string[] = [];
  const ch: Channel = {
    id: 's1',
    ready: () => true,
    send: (_op, body, _key, h) =>
      queueMicrotask(() => {
        const card = (JSON.parse(body) as { cardId: string }).cardId;
        if (drops(card, clock.mono())) {
          dropped.push(card);
          return h.failed(new ConnectionLost('connection lost: closed (1011)', byBackend));
        }
        acked.push(card);
        h.acked();
      }),
  };
  const db = openConsoleDb(dir);
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: { get: () => ch, pick: () => ch }, clock });
  for (const card of cards) await outbox.enqueue('realtime', 'checkin', { cardId: card, source: 'kiosk' });
  // Half a second at a time (the drop comes right after the send), for half an hour: past every backoff.
  for (let i = 0; i < minutes * 120 && outbox.deadLetters().length === 0; i++) {
    clock.advance(500);
    outbox.kick();
    await flush();
    await flush();
  }
  const result = { acked, dropped, at: clock.mono(), view: outbox.view(), dead: outbox.deadLetters().map((d) => d.reason) };
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

  it('with nothing else to send meanwhile, becomes a dead letter once its drops span 10 minutes', async () => {
    const r = await run(true, (card) => card === 'POISON01', ['POISON01']);
    expect(r.dead).toEqual([expect.stringMatching(/^the backend closed the connection each time this was sent \(\d+ times in a row\) over 10 min; it may be unable to take it$/)]);
    expect(r.at).toBeGreaterThanOrEqual(10 * 60_000);
    expect(r.at).toBeLessThan(12 * 60_000);
  });
});

describe('a backend that crash-loops, dropping every socket as soon as any check-in arrives', () => {
  it('costs no check-in: more than 8 drops in a row, but nothing taken between them and no minutes spanned, so it waits and is sent once the backend is back', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // the backoff's jitter, so the drop count is the same each run
    // Half a minute of restarts under its supervisor (its database down), then it takes them all.
    const r = await run(true, (_card, ms) => ms < 30_000, ['CARD0001', 'CARD0002', 'CARD0003', 'CARD0004'], 3);
    expect(r.dead).toEqual([]);
    expect(r.acked).toEqual(['CARD0001', 'CARD0002', 'CARD0003', 'CARD0004']);
    expect(r.dropped.filter((c) => c === 'CARD0001').length).toBeGreaterThanOrEqual(8); // each time first in its lane
  });
});
