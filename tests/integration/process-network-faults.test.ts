import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { RedisGym } from '../../src/server/redis/redis-gym';
import { redisMissing, startRedis, type RedisServer } from '../helpers/redis-server';
import { startBackends, type BackendProcesses } from '../helpers/backend-processes';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { consoleRig, expectContiguous, type ConsoleRig } from '../helpers/pool-setup';
import { waitFor } from '../helpers/wait';

/**
 * What redis-failover.test.ts (SIGKILL, SIGSTOP/SIGCONT, Redis restart) and network-faults.test.ts
 * (the proxy, in one process) leave out: a rolling restart of every process, and network faults
 * between a console and separate backend processes.
 */
const TOKEN = 'process-network-faults';
const missing = redisMissing();
if (missing) console.warn(missing);

let redis: RedisServer;
let procs: BackendProcesses | null = null;
let proxies: FaultProxy[] = [];
let rig: ConsoleRig | null = null;
let door: RedisGym | null = null;
let timer: NodeJS.Timeout | null = null;
beforeAll(async () => {
  if (!missing) redis = await startRedis();
});
afterEach(async () => {
  if (timer) clearInterval(timer);
  rig?.close();
  await door?.close();
  await Promise.all(proxies.map((p) => p.close()));
  await procs?.close();
  [rig, door, procs, proxies, timer] = [null, null, null, [], null];
});
afterAll(() => redis?.close());

/** Three processes, a proxy in front of each, a console through the proxies, and a door writing 3 check-ins every 5 ms. */
async function setUp() {
  const keyPrefix = `n${randomUUID().slice(0, 8)}:`;
  procs = await startBackends({ redisUrl: redis.url, count: 3, token: TOKEN, keyPrefix });
  proxies = await Promise.all(procs.urls.map((u) => startFaultProxy({ port: Number(new URL(u).port) })));
  rig = await consoleRig(proxies.map((p) => p.url), TOKEN);
  door = await RedisGym.open({ url: new URL(redis.url), keyPrefix });
  const d = { emitted: 0, failed: 0 };
  timer = setInterval(() => {
    for (let i = 0; i < 3; i++) door!.checkIn(`door-${d.emitted + d.failed + i}`, 'door').then(() => d.emitted++, () => d.failed++);
  }, 5);
  return { procs, proxies, rig, d };
}

async function finish(r: ConsoleRig, d: { emitted: number; failed: number }): Promise<void> {
  clearInterval(timer!);
  timer = null;
  await waitFor(() => r.seqs.at(-1) === d.emitted, 15_000);
  expectContiguous(r.seqs, 1, d.emitted);
  expect(d.failed).toBe(0);
}

const openTo = (r: ConsoleRig, url: string): boolean => r.mgr.list()[0]!.sockets.some((s) => s.endpoint === url && s.state === 'open');

describe.skipIf(!!missing)('a console over backend processes: rolling restart and network faults', () => {
  it('a rolling restart of every process, one at a time (SIGTERM, as a deploy does): nothing lost or doubled', async () => {
    const { procs, proxies, rig, d } = await setUp();
    await waitFor(() => d.emitted > 100);
    for (let k = 0; k < 3; k++) {
      const before = d.emitted;
      await procs.restart(k, 'SIGTERM');
      await waitFor(() => openTo(rig, proxies[k]!.url), 15_000);
      await waitFor(() => d.emitted > before + 100, 10_000);
    }
    await finish(rig, d);
  }, 120_000);

  it('a blackhole on the subscribed process, then added latency, then a reset of every connection: nothing lost or doubled', async () => {
    const { proxies, rig, d } = await setUp();
    await waitFor(() => d.emitted > 100);
    const victim = proxies.findIndex((p) => p.url === rig.mgr.connectionView().endpoints.find((e) => e.primary)!.url);
    proxies[victim]!.blackhole();
    // Still open at the TCP level (the blackhole closes nothing): the console must give up on it by itself.
    // Read before it does: once it closes its own sockets, the proxy rightly sees them go.
    expect(proxies[victim]!.connections).toBeGreaterThan(0);
    await waitFor(() => rig.mgr.list()[0]!.sockets.filter((s) => s.endpoint === proxies[victim]!.url).every((s) => s.state !== 'open'), 10_000);
    proxies[victim]!.heal();
    for (const p of proxies) p.latency(30);
    let before = d.emitted;
    await waitFor(() => d.emitted > before + 300, 10_000);
    for (const p of proxies) p.reset();
    before = d.emitted;
    await waitFor(() => d.emitted > before + 300, 10_000);
    await finish(rig, d);
    await waitFor(() => proxies.every((p) => openTo(rig, p.url)), 15_000);
  }, 120_000);
});
