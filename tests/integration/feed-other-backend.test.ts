import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolConfig } from '../../src/shared/pools';
import { waitFor } from '../helpers/wait';

const TOKEN = 'feed-other-backend';
const pool = (name: string, endpoints: string[]): PoolConfig => ({ name, endpoints, maxConnections: endpoints.length, healthCheckInterval: 200, reconnectAttempts: 5, strategy: 'round-robin' });
let gym: Cluster | null = null;
let staging: Cluster | null = null;
let manager: PoolManager | null = null;
afterEach(async () => {
  manager?.stop();
  await gym?.close();
  await staging?.close();
  manager = gym = staging = null;
});

// probe26b B10: a second pool to another backend with the same token (IT's test server) took the live feed over while
// the gym's backend was down, and kept it: Overview showed the test server's occupancy and its check-ins as the gym's.
describe('a pool to another backend', () => {
  it('never feeds the live events: they come from the backend check-ins go to, on any pool to its addresses', async () => {
    gym = await startCluster({ instances: 2, port: 0, token: TOKEN });
    staging = await startCluster({ instances: 2, port: 0, token: TOKEN });
    manager = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [pool('gym', gym.urls), pool('priority', gym.urls), pool('staging', staging.urls)] });
    manager.start();
    const subscribed = () => manager!.list().flatMap((p) => p.sockets.filter((s) => s.subscribed).map((s) => `${p.config.name} ${s.endpoint}`));
    await waitFor(() => subscribed().length > 0 || null, 10_000);
    await Promise.all(gym.instances.map((i) => i.kill()));
    // Staging's sockets stay open and healthy throughout: given a few heartbeats, the feed must not move there.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(manager.list().find((p) => p.config.name === 'staging')!.sockets.some((s) => s.state === 'open')).toBe(true);
    expect(subscribed().filter((s) => s.startsWith('staging'))).toEqual([]);
  }, 30_000);
});
