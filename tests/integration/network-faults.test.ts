import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { defaultPool } from '../../src/shared/pools';
import type { SequencedEvent } from '../../src/shared/protocol';
import { startFaultProxy } from '../helpers/fault-proxy';
import { expectContiguous, streamEvents, TOKEN } from '../helpers/pool-setup';
import { waitFor } from '../helpers/wait';

/** A console that reaches every instance through its own fault proxy: the network fails, not the backend. */
async function rigThroughProxies() {
  const cluster = await startCluster({ instances: 3, port: 0, token: TOKEN });
  const proxies = await Promise.all(cluster.instances.map((i) => startFaultProxy({ port: i.port })));
  const mgr = new PoolManager({
    token: TOKEN,
    store: memoryPoolStore(),
    defaults: [{ ...defaultPool(proxies.map((p) => p.url)), healthCheckInterval: 100 }],
    reconnectBaseMs: 50,
    reconnectCapMs: 300,
  });
  const seqs: number[] = [];
  let resyncs = 0;
  mgr.feed.on('event', (e: SequencedEvent) => seqs.push(e.seq));
  mgr.feed.on('resync', () => resyncs++);
  mgr.start();
  await waitFor(() => mgr.connectionView().state === 'connected' && resyncs > 0);
  const primary = (): number => proxies.findIndex((p) => p.url === mgr.connectionView().endpoints.find((e) => e.primary)!.url);
  return {
    cluster,
    proxies,
    mgr,
    seqs,
    primary,
    async close() {
      mgr.stop();
      await Promise.all(proxies.map((p) => p.close()));
      await cluster.close();
    },
  };
}

let rig: Awaited<ReturnType<typeof rigThroughProxies>> | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const cluster = (): Cluster => rig!.cluster;

describe('network faults between console and backend (a TCP proxy outside both)', () => {
  it('a silent blackhole on the subscribed instance: detected by heartbeat, nothing lost or doubled', async () => {
    rig = await rigThroughProxies();
    const victim = rig.primary();
    let openAtBlackhole = 0;
    await streamEvents(cluster(), 400, () => {
      rig!.proxies[victim]!.blackhole();
      // Read at once: the blackhole closes nothing, so whatever closes later is the console giving up by itself.
      openAtBlackhole = rig!.proxies[victim]!.connections;
    });
    await waitFor(() => rig!.seqs.length >= 400, 15_000);
    expectContiguous(rig.seqs, 1, 400);
    expect(openAtBlackhole).toBeGreaterThan(0);
    await waitFor(() => rig!.mgr.list()[0]!.sockets.filter((s) => s.endpoint === rig!.proxies[victim]!.url).every((s) => s.state !== 'open'), 10_000);
    rig.proxies[victim]!.heal();
    await waitFor(() => rig!.mgr.connectionView().state === 'connected', 15_000);
  });

  it('a reset of every connection at once: reconnects and resumes exactly once', async () => {
    rig = await rigThroughProxies();
    await streamEvents(cluster(), 400, () => {
      for (const p of rig!.proxies) p.reset();
    });
    await waitFor(() => rig!.seqs.length >= 400, 15_000);
    expectContiguous(rig.seqs, 1, 400);
  });

  it('added latency slows the link but loses nothing, and a check-in still comes back', async () => {
    rig = await rigThroughProxies();
    for (const p of rig.proxies) p.latency(40);
    await streamEvents(cluster(), 200, () => {});
    await waitFor(() => rig!.seqs.length >= 200, 15_000);
    expectContiguous(rig.seqs, 1, 200);
    const card = [...cluster().gym.members][0]!.cardId;
    const t = performance.now();
    const reply = await rig.mgr.request('checkin', { cardId: card, source: 'desk' });
    expect(reply.verdict).toBeDefined();
    expect(performance.now() - t).toBeGreaterThanOrEqual(70); // two legs through the proxy, 40 ms each
  });
});
