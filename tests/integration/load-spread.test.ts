import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolConfig, Strategy } from '../../src/shared/pools';
import { waitFor } from '../helpers/wait';

const TOKEN = 'spread-test';
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function console_(name: string, endpoints: string[], maxConnections: number, strategy: Strategy): PoolManager {
  const pool: PoolConfig = { name: 'gym', endpoints, maxConnections, healthCheckInterval: 100, reconnectAttempts: 5, strategy };
  const mgr = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [pool], reconnectBaseMs: 50, reconnectCapMs: 300 });
  mgr.start();
  cleanup.push(async () => mgr.stop());
  return mgr;
}

/**
 * Three instances; console B keeps 4 sockets on instance 0 (crowding it), instance 2 reports 200 ms
 * of event-loop lag. Console A, over all three, then sends requests one after another.
 */
async function skewed(strategy: Strategy, versions: number[]): Promise<{ cluster: Cluster; routed: number[] }> {
  const cluster = await startCluster({ instances: 3, port: 0, token: TOKEN });
  cleanup.push(() => cluster.close());
  for (const inst of cluster.instances) inst.versions = versions;
  cluster.instance(2).lag(200);
  const b = console_('B', [cluster.urls[0]!], 4, strategy);
  await waitFor(() => b.list()[0]!.sockets.filter((s) => s.state === 'open').length === 4);
  const a = console_('A', cluster.urls, 6, strategy);
  const reported = (): boolean => {
    const socks = a.list()[0]!.sockets;
    if (socks.length !== 6 || socks.some((s) => s.state !== 'open')) return false;
    // v2: wait until every instance's report includes B's sockets and the lag.
    return versions.includes(2) ? socks.every((s) => s.load !== null && (s.endpoint !== cluster.urls[0] || s.load.sessions === 6) && (s.endpoint !== cluster.urls[2] || s.load.lagMs >= 200)) : true;
  };
  await waitFor(reported, 10_000);
  for (let i = 0; i < 300; i++) await a.request('lookup', { query: 'zz' });
  const socks = a.list()[0]!.sockets;
  const routed = cluster.urls.map((u) => socks.filter((s) => s.endpoint === u).reduce((n, s) => n + s.routed, 0));
  return { cluster, routed };
}

describe('load spreads across consoles as well as within one (protocol v2)', () => {
  it('health-weighted: a crowded instance and a lagging one get fewer new requests', async () => {
    const { routed } = await skewed('health-weighted', [1, 2]);
    const [crowded, free, lagging] = routed as [number, number, number];
    expect(crowded + free + lagging).toBeGreaterThanOrEqual(300);
    expect(free).toBeGreaterThan(1.5 * crowded); // pressure 3 (6 sessions against 2)
    expect(free).toBeGreaterThan(2 * lagging); // pressure 5 (200 ms of lag)
    expect(lagging).toBeGreaterThan(0); // fewer, not none: still in rotation
  }, 30_000);

  it('least-connections: idle requests go to the instance nobody else is crowding', async () => {
    const { routed } = await skewed('least-connections', [1, 2]);
    const [crowded, free, lagging] = routed as [number, number, number];
    expect(free).toBeGreaterThan(2 * (crowded + lagging));
  }, 30_000);

  it('v1 instances report nothing, so the same skew is routed as before: evenly', async () => {
    const { routed } = await skewed('least-connections', [1]);
    for (const n of routed) expect(n).toBeGreaterThanOrEqual(80);
  }, 30_000);
});
