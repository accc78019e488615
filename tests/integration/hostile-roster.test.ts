import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import { RosterCache, type RosterPager } from '../../src/main/core/desk/roster-cache';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { Db } from '../../src/main/core/store/db';
import { startHostileBackend, type Attack, type HostileBackend } from '../helpers/hostile-backend';
import { waitFor } from '../helpers/wait';

let hb: HostileBackend | null = null;
let mgr: PoolManager | null = null;
let db: Db | null = null;
afterEach(async () => {
  mgr?.stop();
  db?.close();
  await hb?.close();
  hb = mgr = db = null;
});

/** One hostile instance behind a pool of two sockets, and a roster cache holding a good copy. */
async function rig(attack: Attack) {
  hb = await startHostileBackend({ instances: 1 });
  const activity: PoolActivity[] = [];
  const pool = { name: 'gym', endpoints: hb.urls, maxConnections: 2, healthCheckInterval: 100, reconnectAttempts: 5, strategy: 'round-robin' as const, handshakeTimeout: 800 };
  mgr = new PoolManager({ token: hb.token, store: memoryPoolStore(), defaults: [pool], reconnectBaseMs: 20, reconnectCapMs: 200 });
  mgr.on('activity', (a) => activity.push(a));
  mgr.start();
  await waitFor(() => mgr!.connectionView().state === 'connected');
  db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-roster-')));
  const cache = new RosterCache(db);
  const m = mgr;
  const pager: RosterPager = (afterId, check) => m.request('roster', { afterId, limit: 200 }, undefined, check);
  await cache.sync(pager, 1); // honest so far: one member
  expect(cache.size).toBe(1);
  hb.setAttack(0, attack);
  return { mgr: m, cache, pager, activity };
}

describe('a backend that pages its roster forever', () => {
  it('is stopped at the roster limit; the copy on this PC stays as it was', async () => {
    const r = await rig('roster-endless');
    const started = Date.now();
    await expect(r.cache.sync(r.pager, 2)).rejects.toThrow(/roster has more than 100,000 members/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.cache.size).toBe(1);
    expect(r.cache.syncedAt).toBe(1);
  }, 30_000);

  it('whose cursor does not move on: each such page is a protocol error, and repeats quarantine it', async () => {
    const r = await rig('roster-stuck');
    for (let i = 0; i < 10 && !r.activity.some((a) => a.type === 'quarantined'); i++) {
      await expect(r.cache.sync(r.pager, 2)).rejects.toThrow();
      await waitFor(() => r.mgr.connectionView().state !== 'offline' || r.activity.some((a) => a.type === 'quarantined'), 5_000);
    }
    expect(r.mgr.connectionView().protocolErrors).toBeGreaterThanOrEqual(10);
    const q = r.activity.find((a) => a.type === 'quarantined');
    expect(q?.detail).toMatch(/roster reply: the roster page repeated members already sent, so paging would never end/);
    expect(r.cache.size).toBe(1);
  }, 30_000);
});
