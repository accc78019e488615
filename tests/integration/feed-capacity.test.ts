import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { waitFor } from '../helpers/wait';

// probe27a P3: backends restarted with --capacity 13 (their stream kept in Redis, so the console resumed it with no
// snapshot): Overview said "13 / 250 · 5%" for minutes, beside a denial saying the gym was full.
const TOKEN = 'feed-capacity';
let cluster: Cluster;
let core: Core;

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN, capacity: 250 });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-feed-capacity-')), backend: { endpoints: cluster.urls, token: TOKEN } });
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe("the gym's capacity", () => {
  it('is taken again at every resubscribe: a backend back with another capacity is seen without a snapshot', async () => {
    const occupancy = () => core.stream.snapshot().gauges.occupancy;
    await waitFor(() => occupancy().capacity === 250 || null, 10_000);
    const resyncs = core.stream.snapshot().feeds.activity.filter((a) => a.type === 'continuity-lost').length;
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline' || null, 10_000);
    (cluster.gym as { capacity: number }).capacity = 13; // restarted with --capacity 13, its event log kept
    await Promise.all(cluster.instances.map((i) => i.restore()));
    await waitFor(() => occupancy().capacity === 13 || null, 10_000);
    expect(occupancy()).toMatchObject({ capacity: 13, busyAt: expect.any(Number), nearlyFullAt: expect.any(Number) });
    expect(occupancy().nearlyFullAt!).toBeLessThan(13);
    // Resumed, not resynced: the capacity came with the resubscribe.
    expect(core.stream.snapshot().feeds.activity.filter((a) => a.type === 'continuity-lost')).toHaveLength(resyncs);
  }, 40_000);
});
