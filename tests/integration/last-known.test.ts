import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import type { CheckinEntry } from '../../src/shared/state';
import { waitFor } from '../helpers/wait';

const TOKEN = 'last-known';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN, capacity: 120 });
});
afterAll(() => cluster.close());

describe('a desk restarted while the backend is away', () => {
  it('shows the last known occupancy, capacity and check-ins, saying when; once the backend is back, none shows twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-last-known-'));
    const start = () => startCore({ version: 't', dataDir: dir, backend: { endpoints: cluster.urls, token: TOKEN } });
    const first = await start();
    const actives = [...cluster.gym.members].filter((m) => m.status === 'active');
    await waitFor(() => first.pools.connectionView().state === 'connected', 10_000);
    for (const m of actives.slice(0, 13)) cluster.gym.checkIn(m.cardId, 'kiosk');
    await waitFor(() => first.stream.feed('checkins').length === 13, 10_000);
    const inside = cluster.gym.occupancy;
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => first.pools.connectionView().state === 'offline');
    const lostAt = first.stream.current('occupancy').at!;
    await first.stop();

    const again = await start();
    try {
      expect(again.pools.connectionView().state).toBe('offline');
      expect(again.stream.current('occupancy')).toMatchObject({ count: inside, capacity: 120, at: lostAt });
      const shown = again.stream.snapshot().feeds.checkins;
      expect(shown.map((c: CheckinEntry) => c.cardId)).toEqual(actives.slice(0, 13).map((m) => m.cardId));

      await Promise.all(cluster.instances.map((i) => i.restore()));
      cluster.gym.checkIn(actives[13]!.cardId, 'desk');
      await waitFor(() => again.stream.feed('checkins').some((c) => c.cardId === actives[13]!.cardId), 10_000);
      const after = again.stream.feed('checkins').map((c) => `${c.seq}:${c.ts}`);
      expect(new Set(after).size).toBe(after.length);
      expect(after).toHaveLength(14);
    } finally {
      await again.stop();
    }
  });
});
