import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { RedisGym } from '../../src/server/redis/redis-gym';
import { redisMissing, startRedis, type RedisServer } from '../helpers/redis-server';
import { startBackends, type BackendProcesses } from '../helpers/backend-processes';
import { consoleRig, expectContiguous, type ConsoleRig } from '../helpers/pool-setup';
import { sleep, waitFor } from '../helpers/wait';

const TOKEN = 'redis-failover';
const missing = redisMissing();
if (missing) console.warn(missing);

let redis: RedisServer;
let procs: BackendProcesses | null = null;
let rig: ConsoleRig | null = null;
let door: RedisGym | null = null;
beforeAll(async () => {
  if (!missing) redis = await startRedis();
});
afterEach(async () => {
  rig?.close();
  await door?.close();
  await procs?.close();
  [rig, door, procs] = [null, null, null];
});
afterAll(() => redis?.close());

/** Three backend processes on a gym of their own in the shared Redis, and a console synced to them. */
async function setUp(): Promise<{ procs: BackendProcesses; rig: ConsoleRig; keyPrefix: string }> {
  const keyPrefix = `f${randomUUID().slice(0, 8)}:`;
  procs = await startBackends({ redisUrl: redis.url, count: 3, token: TOKEN, keyPrefix });
  rig = await consoleRig(procs.urls, TOKEN);
  return { procs, rig, keyPrefix };
}

const primary = (r: ConsoleRig, urls: string[]): number => urls.indexOf(r.mgr.connectionView().endpoints.find((e) => e.primary)!.url);

describe.skipIf(!!missing)('a console over backend processes on Redis: real process faults', () => {
  it('loses and duplicates no event through SIGKILL of one process and SIGSTOP/SIGCONT of another', async () => {
    const { procs, rig, keyPrefix } = await setUp();
    // The door writes straight to the shared gym, so events keep coming whichever process is down.
    door = await RedisGym.open({ url: new URL(redis.url), keyPrefix });
    let emitted = 0;
    let failed = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 3; i++) door!.checkIn(`door-${emitted + failed + i}`, 'door').then(() => emitted++, () => failed++);
    }, 5);
    await waitFor(() => emitted > 100);
    const killed = primary(rig, procs.urls);
    await procs.kill(killed);
    await waitFor(() => emitted > 400, 10_000);
    const frozen = primary(rig, procs.urls);
    expect(frozen).not.toBe(killed);
    procs.stop(frozen);
    // Frozen: its TCP stays open; the console must notice by heartbeat and stream from the third process.
    const url = procs.urls[frozen]!;
    await waitFor(() => rig.mgr.list()[0]!.sockets.filter((s) => s.endpoint === url).every((s) => s.state !== 'open'), 10_000);
    await waitFor(() => emitted > 900, 10_000);
    procs.cont(frozen);
    await procs.restart(killed);
    await waitFor(() => emitted > 1_200, 10_000);
    clearInterval(timer);
    await waitFor(() => rig.seqs.at(-1) === emitted, 15_000);
    expectContiguous(rig.seqs, 1, emitted);
    expect(failed).toBe(0);
    await waitFor(() => rig.mgr.connectionView().state === 'connected', 15_000);
  }, 90_000);

  it('a Redis restart mid-stream: check-ins wait and are applied once each, the console shows why it is degraded, and nothing needs a restart', async () => {
    const { procs, rig } = await setUp();
    const total = 300;
    const replies = new Map<string, number>();
    let sawStorageDown = false;
    let next = 0;
    // Four desks, each resending its check-in (same id) until one instance answers: what the outbox does.
    const desk = async (): Promise<void> => {
      for (let i = next++; i < total; i = next++) {
        const id = `desk-${i}`;
        for (;;) {
          try {
            const r = await rig.mgr.main!.request('checkin', { cardId: `visitor-${i}`, source: 'desk' }, id);
            replies.set(id, r.seq);
            break;
          } catch {
            const view = rig.mgr.connectionView();
            if (view.state === 'degraded' && view.cause?.kind === 'storage-unavailable') sawStorageDown = true;
            await sleep(50);
          }
        }
      }
    };
    const desks = Promise.all([desk(), desk(), desk(), desk()]);
    await waitFor(() => replies.size > 60, 10_000);
    await redis.stop();
    const down = await waitFor(() => {
      const v = rig.mgr.connectionView();
      return v.state === 'degraded' && v.cause?.kind === 'storage-unavailable' ? v : null;
    }, 10_000);
    expect(down!.cause!.text).toMatch(/cannot reach its database \(Redis\)/);
    expect(down!.cause!.next).toMatch(/Nothing is lost/);
    await sleep(1_000);
    await redis.start();
    await desks;
    expect(sawStorageDown).toBe(true);
    expect(replies.size).toBe(total);
    // One event per check-in: none doubled, none lost.
    expect([...replies.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await waitFor(() => rig.seqs.at(-1) === total, 15_000);
    expectContiguous(rig.seqs, 1, total);
    await waitFor(() => rig.mgr.connectionView().state === 'connected', 10_000);
    expect(rig.mgr.connectionView().cause).toBeNull();
    expect(procs.urls).toHaveLength(3);
  }, 90_000);
});
