import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filePoolStore } from '../../src/main/core/pool/pools-file';
import { PoolManager } from '../../src/main/core/pool/manager';
import { runChecks } from '../../src/main/core/health/checks';
import { poolsLeftOutWords, type PoolConfig } from '../../src/shared/pools';
import { healthyInputs } from '../helpers/health-inputs';

// Told once in the events, the pools an over-limit pools.json leaves out scrolled off the screen: they now stand
// in the connection state (the Connection Pools tab's notice) and in Health until a pool change saves the running ones.
const pool = (i: number): PoolConfig => ({ name: `p${i}`, endpoints: [`ws://127.0.0.1:${9 + i}`], maxConnections: 1, healthCheckInterval: 250, reconnectAttempts: 5, strategy: 'health-weighted' });

let mgr: PoolManager | null = null;
afterEach(() => mgr?.stop());

describe('pools left out of an over-limit pools.json, while they are', () => {
  it('stand in the connection state and degrade Health, in one set of words, until a pool change saves only the running pools', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-pools-left-out-'));
    writeFileSync(join(dir, 'pools.json'), JSON.stringify({ version: 1, pools: Array.from({ length: 20 }, (_, i) => pool(i)) }));
    mgr = new PoolManager({ token: 't', store: filePoolStore(dir), defaults: [] });
    mgr.start();
    const left = mgr.connectionView().poolsLeftOut!;
    expect(left).toEqual({ count: 4, names: ['p16', 'p17', 'p18', 'p19'], inFile: 20, running: 16 });
    expect(poolsLeftOutWords(left)).toBe(
      '4 pools in pools.json are not running: "p16", "p17", "p18", "p19". The console runs at most 16 pools and 256 sockets at once, so it runs the first 16 of the 20. ' +
        'To run the others, IT can remove pools from pools.json or lower their maxConnections, then start the console again. ' +
        'Any pool change on the Connection Pools tab saves only the running pools, and the others are then dropped from pools.json.',
    );
    const health = (): ReturnType<typeof runChecks> => runChecks({ ...healthyInputs(), connection: mgr!.connectionView() }).filter((c) => c.id === 'pool');
    expect(health()).toMatchObject([{ label: 'Connection pool', status: 'degraded', reason: poolsLeftOutWords(left), value: 4 }]);

    mgr.configure('p0', { maxConnections: 2 });
    expect(JSON.parse(readFileSync(join(dir, 'pools.json'), 'utf8')).pools).toHaveLength(16);
    expect(mgr.connectionView().poolsLeftOut).toBeUndefined();
    expect(health()).toEqual([]);
  });

  it('many left out: the first five named, the rest counted', () => {
    expect(poolsLeftOutWords({ count: 296, names: ['a', 'b', 'c', 'd', 'e'], inFile: 300, running: 4 })).toMatch(/^296 pools in pools.json are not running: "a", "b", "c", "d", "e" and 291 more\. .* the first 4 of the 300\./);
    expect(poolsLeftOutWords({ count: 1, names: ['x'], inFile: 17, running: 16 })).toMatch(/^1 pool in pools.json is not running: "x"\./);
  });
});
