import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { POOL_LIMITS } from '../../src/shared/pools';

/** A manager (or a stolen manager screen) cannot set up so many pools or sockets that check-ins stall. */

const TOKEN = 'pool-limits';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());
const ctx = { transport: 'test' as const, session: new Session('manager') };
const config = (name: string, maxConnections: number) => ({ name, endpoints: cluster.urls, maxConnections, healthCheckInterval: 1_000, reconnectAttempts: 5, strategy: 'round-robin' });

describe('pool limits', () => {
  it(`refuses a ${POOL_LIMITS.pools + 1}th pool and more than ${POOL_LIMITS.sockets} sockets in all, saying how much is left`, async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-pool-limits-')), backend: { endpoints: cluster.urls, token: TOKEN } });
    const call = (name: 'pools.create' | 'pools.configure', input: unknown) => dispatch(core.handlers, name, input, ctx);
    try {
      const gym = core.pools.list()[0]!.config.maxConnections; // the default pool: 2 sockets
      for (const n of ['a', 'b', 'c']) expect(await call('pools.create', { config: config(n, 64) })).toMatchObject({ ok: true });
      const left = POOL_LIMITS.sockets - gym - 3 * 64;
      expect(await call('pools.create', { config: config('d', left + 1) })).toMatchObject({
        ok: false,
        // probe26b B6: "Max sockets here" on a New pool form that has no such box.
        error: { code: 'pool-limit', field: 'maxConnections', message: `All pools together may open at most ${POOL_LIMITS.sockets} sockets; the others take ${gym + 192}, and this pool would open ${left + 1}. Lower Max sockets on another pool's card by 1 first, or give this pool fewer addresses.` },
      });
      expect(await call('pools.create', { config: config('d', 1) })).toMatchObject({ ok: true });
      // Growing a pool counts too; keeping its size does not count it twice.
      expect(await call('pools.configure', { name: 'd', patch: { maxConnections: left + 1 } })).toMatchObject({ ok: false, error: { code: 'pool-limit' } });
      expect(await call('pools.configure', { name: 'a', patch: { maxConnections: 64, healthCheckInterval: 2_000 } })).toMatchObject({ ok: true });
      for (let i = core.pools.list().length; i < POOL_LIMITS.pools; i++) expect(await call('pools.create', { config: config(`p${i}`, 1) })).toMatchObject({ ok: true });
      expect(await call('pools.create', { config: config('one-too-many', 1) })).toMatchObject({
        ok: false,
        error: { code: 'pool-limit', message: `The console keeps at most ${POOL_LIMITS.pools} pools; destroy one you no longer need first.` },
      });
      expect(core.pools.list()).toHaveLength(POOL_LIMITS.pools);
    } finally {
      await core.stop();
    }
  });

  it('the Backend connection form cannot go past them either (it grows the main pool to its addresses)', async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-pool-limits-')), backend: { endpoints: cluster.urls, token: TOKEN } });
    const call = (name: 'pools.create' | 'backend.configure', input: unknown) => dispatch(core.handlers, name, input, ctx);
    try {
      const gym = core.pools.list()[0]!.config.maxConnections;
      for (const n of ['a', 'b', 'c']) expect(await call('pools.create', { config: config(n, 64) })).toMatchObject({ ok: true });
      expect(await call('pools.create', { config: config('d', POOL_LIMITS.sockets - gym - 192) })).toMatchObject({ ok: true }); // exactly full
      const sixteen = Array.from({ length: 16 }, (_, i) => `ws://127.0.0.${i + 2}:9100`);
      expect(await call('backend.configure', { endpoints: sixteen })).toMatchObject({
        ok: false,
        error: { code: 'pool-limit', message: `All pools together may open at most ${POOL_LIMITS.sockets} sockets; the others take ${POOL_LIMITS.sockets - gym}, so Max sockets here can be at most ${gym}.` },
      });
      // With nothing left, it says what to do rather than "at most 0".
      expect(await call('pools.create', { config: config('e', 1) })).toMatchObject({
        ok: false,
        error: { code: 'pool-limit', message: `All pools together may open at most ${POOL_LIMITS.sockets} sockets, and the others take them all; lower Max sockets on another pool first.` },
      });
      expect(core.pools.list().reduce((n, p) => n + p.config.maxConnections, 0)).toBe(POOL_LIMITS.sockets);
    } finally {
      await core.stop();
    }
  });

  it('a pool address typed without its port is refused beside the field; one saved before stays usable', async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-pool-port-')), backend: { endpoints: cluster.urls, token: TOKEN } });
    const call = (name: 'pools.create' | 'pools.configure', input: unknown) => dispatch(core.handlers, name, input, ctx);
    try {
      const words = '"ws://127.0.0.1" has no port: add the backend\'s port, like ws://127.0.0.1:9100.';
      expect(await call('pools.create', { config: { ...config('no-port', 2), endpoints: [cluster.urls[0], 'ws://127.0.0.1'] } })).toMatchObject({ ok: false, error: { code: 'invalid-pool', field: 'endpoints', message: words } });
      expect(await call('pools.configure', { name: 'gym', patch: { endpoints: ['ws://127.0.0.1'] } })).toMatchObject({ ok: false, error: { code: 'invalid-pool', field: 'endpoints', message: words } });
    } finally {
      await core.stop();
    }
    // A pool saved by an older console without a port: its other settings can still be changed.
    const old = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-pool-port-')), backend: { endpoints: ['ws://127.0.0.1'], token: TOKEN } });
    try {
      expect(await dispatch(old.handlers, 'pools.configure', { name: 'gym', patch: { healthCheckInterval: 2_000 } }, ctx)).toMatchObject({ ok: true });
    } finally {
      await old.stop();
    }
  });

  // Probe 17 F2: 300 saved pools of 64 sockets (a hand-edited file) opened 19,000 sockets, and a stop signal could not end the console.
  it('a pools.json past them runs only what fits, leaves the file as it is, and stops promptly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-pool-limits-'));
    const file = join(dataDir, 'pools.json');
    writeFileSync(file, JSON.stringify({ version: 1, pools: Array.from({ length: 300 }, (_, i) => ({ ...config(`p${i}`, 64), endpoints: [`ws://127.0.0.1:${2000 + i}`] })) }));
    const before = readFileSync(file, 'utf8');
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: [], token: TOKEN } }); // no endpoints given: the saved pools are the configuration
    try {
      expect(core.pools.list().map((p) => p.config.name)).toEqual(['p0', 'p1', 'p2', 'p3']);
    } finally {
      const t0 = Date.now();
      await core.stop();
      expect(Date.now() - t0).toBeLessThan(3_000);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 30_000);
});
