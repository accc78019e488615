import { afterAll, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Gym, type GymOptions } from '../../src/server/gym';
import { RedisGym } from '../../src/server/redis/redis-gym';
import type { GymStore } from '../../src/server/store';
import { redisMissing, startRedis, type RedisServer } from './redis-server';

export type OpenedGym = { store: GymStore & { sweep(): unknown; members: IterableIterator<{ id: string; cardId: string; status: string }> }; close(): Promise<void> };

/**
 * The reference backend's two stores, for a suite to run the same cases on each: in-process, and on a private
 * redis-server this file starts and stops (skipped, saying why, where there is none). Call at the top level.
 */
export function gymStores(prefix: string): { name: string; skip: boolean; open(o: GymOptions): Promise<OpenedGym> }[] {
  const missing = redisMissing();
  if (missing) console.warn(missing);
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    if (!missing) redis = await startRedis();
  });
  afterAll(() => redis?.close());
  return [
    { name: 'in-process', skip: false, open: async (o) => ({ store: new Gym(o), close: async () => {} }) },
    {
      name: 'Redis',
      skip: !!missing,
      open: async (o) => {
        const g = await RedisGym.open({ ...o, url: new URL(redis!.url), keyPrefix: `${prefix}${randomUUID().slice(0, 8)}:` });
        return { store: g, close: () => g.close() };
      },
    },
  ];
}
