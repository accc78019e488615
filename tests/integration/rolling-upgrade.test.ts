import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { defaultPool } from '../../src/shared/pools';
import { expectContiguous } from '../helpers/pool-setup';
import { sleep, waitFor } from '../helpers/wait';

const TOKEN = 'upgrade-test';
let cluster: Cluster | null = null;
let mgr: PoolManager | null = null;
afterEach(async () => {
  mgr?.stop();
  await cluster?.close();
  mgr = cluster = null;
});

const protocols = (m: PoolManager, url?: string) =>
  m.list()[0]!.sockets.filter((s) => s.state === 'open' && (!url || s.endpoint === url)).map((s) => s.protocol);

describe('rolling upgrade from v1 to v2, one instance at a time, while traffic flows', () => {
  it('loses nothing and duplicates nothing: events stream and desk check-ins are applied once', async () => {
    cluster = await startCluster({ instances: 3, port: 0, token: TOKEN });
    for (const inst of cluster.instances) inst.versions = [1]; // the old release
    const m = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [{ ...defaultPool(cluster.urls), healthCheckInterval: 100 }], reconnectBaseMs: 50, reconnectCapMs: 300 });
    mgr = m;
    const seqs: number[] = [];
    m.feed.on('event', (e) => seqs.push(e.seq));
    m.start();
    await waitFor(() => m.connectionView().state === 'connected' && m.list()[0]!.sockets.some((s) => s.subscribed));
    expect(new Set(protocols(m))).toEqual(new Set([1]));

    // Door scans on the backend (events) and desk check-ins from this console (requests), all the way through.
    const c = cluster;
    let doors = 0;
    const doorTimer = setInterval(() => {
      for (let i = 0; i < 3; i++) c.gym.checkIn(`door-${doors++}`, 'door');
    }, 3);
    const desk: Promise<unknown>[] = [];
    const deskTimer = setInterval(() => desk.push(m.request('checkin', { cardId: `desk-${desk.length}`, source: 'desk' })), 10);

    const order = [2, 0, 1];
    for (const index of order) {
      const inst = cluster.instance(index);
      await inst.kill(); // the process stops for its upgrade
      await sleep(150);
      inst.versions = [1, 2]; // and comes back speaking both
      await inst.restore();
      await waitFor(() => protocols(m, inst.url).length === 2 && protocols(m, inst.url).every((p) => p === 2), 10_000);
      if (index !== order.at(-1)) expect(new Set(protocols(m))).toEqual(new Set([1, 2])); // mixed, as mid-upgrade
      await sleep(200);
    }
    clearInterval(doorTimer);
    clearInterval(deskTimer);

    const replies = await Promise.allSettled(desk);
    expect(replies.filter((r) => r.status === 'rejected')).toEqual([]);
    const head = cluster.gym.log.lastSeq;
    await waitFor(() => seqs.at(-1) === head, 15_000);
    expectContiguous(seqs, 1, head);

    // Each desk check-in is in the log exactly once, however often it was resent.
    const applied = new Map<string, number>();
    for (const e of cluster.gym.log.since(0).events) if (e.body.kind === 'checkin') applied.set(e.body.cardId, (applied.get(e.body.cardId) ?? 0) + 1);
    const deskCards = [...applied.keys()].filter((k) => k.startsWith('desk-'));
    expect(deskCards).toHaveLength(desk.length);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(applied.size).toBe(doors + desk.length);
    expect(new Set(protocols(m))).toEqual(new Set([2]));
    expect(m.list()[0]!.sockets.every((s) => s.load !== null)).toBe(true);
    console.log(`rolling upgrade: ${head} events, ${desk.length} desk check-ins, 0 lost, 0 duplicated`);
  }, 60_000);
});
