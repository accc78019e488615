import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { coreStart } from '../../src/main/core/startup/announce-start';
import { fileTokenVault } from '../../src/main/core/token-vault';
import { OUTSIDE_ACTOR, START_FLAGS_ACTOR } from '../../src/main/core/pool/pools-seen';
import type { AuditView } from '../../src/shared/contract';
import type { PoolConfig } from '../../src/shared/pools';

// "Who changed the gym's addresses?" The audit log answered only for changes made on the Connection Pools tab: pools.json
// edited by hand, copied from another PC or rewritten by a start with other --backend addresses left no trace (probe22 K4).
const TOKEN = 'pools-outside-token';
let cluster: Cluster;
const manager = { transport: 'test' as const, session: new Session('manager') };

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
});
afterAll(async () => {
  await cluster.close();
});

/** Starts the console on `dir` as the host does (flags, then the saved site), runs `fn`, and stops it. */
async function run<T>(dir: string, flags: { backend?: string; backendToken?: string }, fn: (call: <R>(name: string, payload?: unknown) => Promise<R>) => Promise<T>): Promise<T> {
  const vault = fileTokenVault(dir);
  const start = resolveStart({ flags, env: {}, dataDir: dir, vault });
  if (!start.ok) throw new Error(start.problems.join(' '));
  const core: Core = await startCore({ version: 't', dataDir: dir, ...coreStart(start.plan), tokenVault: vault });
  try {
    return await fn(async <R,>(name: string, payload?: unknown) => {
      const r = await dispatch(core.handlers, name, payload, manager);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value as R;
    });
  } finally {
    await core.stop();
  }
}

const audits = (call: <R>(name: string) => Promise<R>) => call<AuditView[]>('audit.list');
const poolsFile = (dir: string) => join(dir, 'pools.json');
const readPools = (dir: string) => (JSON.parse(readFileSync(poolsFile(dir), 'utf8')) as { pools: PoolConfig[] }).pools;

describe('pools.json changed outside the console', () => {
  it('is audited at the next start, one row per pool, naming what changed; a change made on the tab is not counted twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-pools-outside-'));
    const first = cluster.urls.slice(0, 1);
    // First start: the addresses come from the flags, and nothing is there yet to compare with.
    await run(dir, { backend: first.join(','), backendToken: TOKEN }, async (call) => {
      expect((await audits(call)).filter((a) => a.action.startsWith('pools.'))).toEqual([]);
      // A manager changes the pool on the tab: audited as the manager, once.
      await call('pools.configure', { name: 'gym', patch: { maxConnections: 3 } });
    });
    // A plain restart: the file is as the console left it, so nothing new.
    await run(dir, {}, async (call) => {
      const rows = (await audits(call)).filter((a) => a.action.startsWith('pools.'));
      expect(rows.map((a) => `${a.actor} ${a.action}`)).toEqual(['manager pools.configure']);
    });

    // IT edits pools.json by hand: another address for "gym", and a second pool.
    const pools = readPools(dir);
    pools[0]!.endpoints = [cluster.urls[1]!];
    pools.push({ ...pools[0]!, name: 'priority', maxConnections: 2 });
    writeFileSync(poolsFile(dir), JSON.stringify({ version: 1, pools }, null, 2));
    await run(dir, {}, async (call) => {
      const rows = (await audits(call)).filter((a) => a.actor === OUTSIDE_ACTOR);
      expect(rows.map((a) => `${a.action} ${a.subject}`).sort()).toEqual(['pools.configure gym', 'pools.create priority']);
      const gym = rows.find((a) => a.subject === 'gym')!;
      expect(JSON.parse(gym.before!).endpoints).toEqual(first);
      expect(JSON.parse(gym.after!).endpoints).toEqual([cluster.urls[1]]);
    });
    // Said once: the next start finds the file as it last saw it.
    await run(dir, {}, async (call) => {
      expect((await audits(call)).filter((a) => a.actor === OUTSIDE_ACTOR)).toHaveLength(2);
    });

    // The same settings written in another order are not a change.
    const reordered = readPools(dir).map((p) => Object.fromEntries(Object.entries(p).reverse()));
    writeFileSync(poolsFile(dir), JSON.stringify({ version: 1, pools: reordered }));
    await run(dir, {}, async (call) => {
      expect((await audits(call)).filter((a) => a.actor === OUTSIDE_ACTOR)).toHaveLength(2);
    });

    // A start with other --backend addresses replaces the pools: said as that start, with the pools it replaced.
    await run(dir, { backend: cluster.urls.join(',') }, async (call) => {
      const rows = (await audits(call)).filter((a) => a.actor === START_FLAGS_ACTOR);
      expect(rows.map((a) => `${a.action} ${a.subject}`).sort()).toEqual(['pools.configure gym', 'pools.destroy priority']);
    });
  }, 60_000);
});
