import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisGym } from '../../src/server/redis/redis-gym';
import { spawnCli } from '../helpers/backend-processes';
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
  it('says once when Redis goes away and once when it is back, naming the instance process that says it', async () => {
    const gym = await RedisGym.open({ url: new URL(redis.url), keyPrefix: `outage${Date.now()}:`, speaker: 'gym-server instance 1' });
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
    try {
      await redis.stop();
      await waitFor(() => said.some((l) => /^gym-server instance 1: lost Redis at 127\.0\.0\.1:\d+; check-ins are answered "storage unavailable"/.test(l)), 10_000);
      await redis.start();
      await waitFor(() => said.some((l) => /^gym-server instance 1: Redis at 127\.0\.0\.1:\d+ is back after \d+ s; check-ins are recorded again/.test(l)), 15_000);
      expect(said.filter((l) => l.includes('lost Redis'))).toHaveLength(1);
      expect(said.filter((l) => l.includes('is back after'))).toHaveLength(1);
    } finally {
      spy.mockRestore();
      await gym.close();
    }
  }, 40_000);

  it('with --instances, each process says it once under its own instance number, not the same line three times', async () => {
    const cli = spawnCli(['--redis', redis.url, '--instances', '2', '--port', '0', '--token', 'outage', '--key-prefix', `outage-cli${Date.now()}:`]);
    let out = '';
    let err = '';
    cli.stdout!.on('data', (d) => (out += d));
    cli.stderr!.on('data', (d) => (err += d));
    const gone = new Promise((r) => cli.once('exit', r));
    const lines = (re: RegExp) => err.split('\n').filter((l) => re.test(l));
    try {
      await waitFor(() => /instance 0 listening/.test(out) && /instance 1 listening/.test(out), 30_000);
      await redis.stop();
      await waitFor(() => lines(/lost Redis/).length === 2, 10_000);
      expect(lines(/lost Redis/).map((l) => l.replace(/:.*/, '')).sort()).toEqual(['gym-server instance 0', 'gym-server instance 1']);
      await redis.start();
      await waitFor(() => lines(/is back after/).length === 2, 15_000);
      expect(lines(/is back after/).map((l) => l.replace(/:.*/, '')).sort()).toEqual(['gym-server instance 0', 'gym-server instance 1']);
    } finally {
      cli.kill('SIGTERM');
      await gone;
    }
  }, 60_000);
});
