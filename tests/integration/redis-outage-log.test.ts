import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisGym } from '../../src/server/redis/redis-gym';
import { redisMissing, startRedis, type RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait';

const missing = redisMissing();
if (missing) console.warn(missing);
let redis: RedisServer;
beforeAll(async () => {
  if (!missing) redis = await startRedis();
});
afterAll(() => redis?.close());

// IT watching `npm run server` must see why consoles say the backend is degraded, and when it ends.
describe.skipIf(!!missing)('the reference backend on Redis, in its own words', () => {
  it('says once when Redis goes away and once when it is back', async () => {
    const gym = await RedisGym.open({ url: new URL(redis.url), keyPrefix: `outage${Date.now()}:` });
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
    try {
      await redis.stop();
      await waitFor(() => said.some((l) => /lost Redis at 127\.0\.0\.1:\d+; check-ins are answered "storage unavailable"/.test(l)), 10_000);
      await redis.start();
      await waitFor(() => said.some((l) => /Redis at 127\.0\.0\.1:\d+ is back after \d+ s; check-ins are recorded again/.test(l)), 15_000);
      expect(said.filter((l) => l.includes('lost Redis'))).toHaveLength(1);
      expect(said.filter((l) => l.includes('is back after'))).toHaveLength(1);
    } finally {
      spy.mockRestore();
      await gym.close();
    }
  }, 40_000);
});
