import { startCluster, type Cluster, type ClusterOptions } from '../../src/server/cluster';
import { PoolManager, type ManagerOptions } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { defaultPool } from '../../src/shared/pools';
import type { PoolConfig } from '../../src/shared/pools';
import type { SequencedEvent } from '../../src/shared/protocol';
import { waitFor, sleep } from './wait';

export const TOKEN = 'pool-test';

export interface PoolRig {
  cluster: Cluster;
  mgr: PoolManager;
  seqs: number[];
  resyncs: () => number;
  close(): Promise<void>;
}

/** A real cluster on loopback and a pool manager over it, with fast heartbeats. */
export async function poolRig(
  opts: { cluster?: Partial<ClusterOptions>; pool?: Partial<PoolConfig>; manager?: Partial<ManagerOptions> } = {},
): Promise<PoolRig> {
  const cluster = await startCluster({ instances: 3, port: 0, token: TOKEN, ...opts.cluster });
  const rig = await consoleRig(cluster.urls, TOKEN, opts);
  return {
    ...rig,
    cluster,
    async close() {
      rig.close();
      await cluster.close();
    },
  };
}

export type ConsoleRig = Omit<PoolRig, 'cluster' | 'close'> & { close(): void };

/** A console's pool manager over backend instances started elsewhere (other processes), with fast heartbeats; resolves once synced. */
export async function consoleRig(
  urls: string[],
  token: string,
  opts: { pool?: Partial<PoolConfig>; manager?: Partial<ManagerOptions> } = {},
): Promise<ConsoleRig> {
  const mgr = new PoolManager({
    token,
    store: memoryPoolStore(),
    defaults: [{ ...defaultPool(urls), healthCheckInterval: 100, ...opts.pool }],
    reconnectBaseMs: 50,
    reconnectCapMs: 300,
    ...opts.manager,
  });
  const seqs: number[] = [];
  let resyncs = 0;
  mgr.feed.on('event', (e: SequencedEvent) => seqs.push(e.seq));
  mgr.feed.on('resync', () => resyncs++);
  mgr.start();
  await waitFor(() => mgr.connectionView().state === 'connected' && resyncs > 0, 10_000);
  return { mgr, seqs, resyncs: () => resyncs, close: () => mgr.stop() };
}

/** Emits check-ins steadily (5 every 5 ms) while `during` runs, until `total`. */
export async function streamEvents(c: Cluster, total: number, during: () => unknown | Promise<unknown>, first = 0): Promise<void> {
  let sent = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < 5 && sent < total; i++, sent++) c.gym.checkIn(`card-${first + sent}`, 'door');
  }, 5);
  await sleep(30);
  await during();
  await waitFor(() => sent === total, 20_000);
  clearInterval(timer);
}

export function expectContiguous(seqs: number[], from: number, to: number): void {
  const expected = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  if (seqs.length !== expected.length || seqs.some((s, i) => s !== expected[i])) {
    const dup = seqs.length - new Set(seqs).size;
    const missing = expected.filter((s) => !seqs.includes(s)).length;
    throw new Error(`events not exactly-once in order: ${missing} missing, ${dup} duplicated (got ${seqs.length}, want ${expected.length})`);
  }
}

/** Index of an instance that carries the event subscription. */
export function subscribedInstance(rig: PoolRig): number {
  const url = rig.mgr.connectionView().endpoints.find((e) => e.primary)!.url;
  return rig.cluster.urls.indexOf(url);
}
