import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Gym } from '../../src/server/gym';
import { GymInstance } from '../../src/server/instance';
import { RedisGym } from '../../src/server/redis/redis-gym';
import type { ContinuityLoss } from '../../src/main/core/pool/event-feed';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import type { SequencedEvent } from '../../src/shared/protocol';
import { consoleRig, expectContiguous, poolRig, TOKEN, type ConsoleRig, type PoolRig } from '../helpers/pool-setup';
import { redisMissing, startRedis, type RedisServer } from '../helpers/redis-server';
import { startBackends, type BackendProcesses } from '../helpers/backend-processes';
import { sleep, waitFor } from '../helpers/wait';

const missing = redisMissing();
if (missing) console.warn(missing);

let rig: PoolRig | ConsoleRig | null = null;
let restarted: GymInstance[] = [];
let redis: RedisServer | null = null;
let procs: BackendProcesses | null = null;
let door: RedisGym | null = null;
afterEach(async () => {
  await rig?.close();
  await Promise.all(restarted.map((i) => i.kill()));
  await door?.close();
  await procs?.close();
  await redis?.close();
  [rig, restarted, redis, procs, door] = [null, [], null, null, null];
});

/** Everything the feed applied and why it lost continuity, from the moment it is watched. */
function watch(r: ConsoleRig | PoolRig) {
  const events: SequencedEvent[] = [];
  const lost: ContinuityLoss[] = [];
  const activity: PoolActivity[] = [];
  r.mgr.feed.on('event', (e) => events.push(e));
  r.mgr.feed.on('continuityLost', (why) => lost.push(why));
  r.mgr.on('activity', (a) => activity.push(a));
  return { events, lost, activity };
}

describe('a backend restarted from scratch (real sockets)', () => {
  it('numbers from 1 again, already past what the console applied: the console resyncs and applies the new stream from its start', async () => {
    const r = await poolRig();
    rig = r;
    for (let i = 0; i < 8; i++) r.cluster.gym.checkIn(`old-${i}`, 'door');
    await waitFor(() => r.seqs.length === 8);
    const seen = watch(r);
    const ports = r.cluster.instances.map((i) => i.port);
    await r.cluster.close();
    // A fresh process on the same ports, whose log had 12 events before the console was back.
    const gym = new Gym();
    for (let i = 0; i < 12; i++) gym.checkIn(`new-${i}`, 'door');
    restarted = ports.map((port, k) => new GymInstance(k, gym, TOKEN, port));
    await Promise.all(restarted.map((i) => i.start()));
    await waitFor(() => r.seqs.length === 8 + 12, 10_000);
    gym.checkIn('after', 'door');
    await waitFor(() => r.seqs.length === 8 + 13);
    expectContiguous(r.seqs.slice(8), 1, 13);
    expect(seen.events.map((e) => e.body.kind === 'checkin' && e.body.cardId)).toEqual([...Array.from({ length: 12 }, (_, i) => `new-${i}`), 'after']);
    expect(seen.lost).toEqual(['renumbered']);
    // A restart caught up with: news in the event log, no events said to be missing.
    expect(r.mgr.connectionView()).toMatchObject({ eventsMissed: 0, restartedAt: expect.any(Number) });
    expect(seen.activity.filter((a) => a.type === 'continuity-lost')).toEqual([]);
    expect(seen.activity.find((a) => a.type === 'backend-restarted')?.detail).toMatch(/caught up with it and shows its count of who is inside$/);
  }, 30_000);
});

describe.skipIf(!!missing)('a Redis that restarts empty under backend processes', () => {
  it("the desk's check-in queued during the outage and the new stream's first events are applied once each", async () => {
    redis = await startRedis();
    const keyPrefix = `r${randomUUID().slice(0, 8)}:`;
    procs = await startBackends({ redisUrl: redis.url, count: 3, token: 'renumbered', keyPrefix });
    const r = await consoleRig(procs.urls, 'renumbered');
    rig = r;
    for (let i = 0; i < 8; i++) await r.mgr.main!.request('checkin', { cardId: `old-${i}`, source: 'desk' }, `old-${i}`);
    await waitFor(() => r.seqs.length === 8, 10_000);
    const seen = watch(r);
    await redis.stop();
    // The desk resends its check-in (same id) until an instance takes it, as the outbox does.
    let deskSeq = 0;
    const desk = (async () => {
      for (;;) {
        try {
          deskSeq = (await r.mgr.main!.request('checkin', { cardId: 'desk-queued', source: 'desk' }, 'desk-queued')).seq;
          return;
        } catch {
          await sleep(50);
        }
      }
    })();
    await sleep(500);
    await redis.start({ empty: true });
    // The door writes straight to the new stream, past the 8 the console applied.
    door = await RedisGym.open({ url: new URL(redis.url), keyPrefix });
    for (let i = 0; i < 11; i++) await door.checkIn(`new-${i}`, 'door');
    await desk;
    await waitFor(() => r.seqs.length === 8 + 12, 20_000);
    await door.checkIn('after', 'door');
    await waitFor(() => r.seqs.length === 8 + 13, 10_000);
    expectContiguous(r.seqs.slice(8), 1, 13);
    const desked = seen.events.filter((e) => e.body.kind === 'checkin' && e.body.cardId === 'desk-queued');
    expect(desked.map((e) => e.seq)).toEqual([deskSeq]);
    expect(seen.lost).toEqual(['renumbered']);
    expect(r.mgr.connectionView()).toMatchObject({ eventsMissed: 0, restartedAt: expect.any(Number) });
  }, 60_000);

  it('restarting empty twice within seconds: the console follows both new streams on every instance, cuts none off, applies each event once', async () => {
    redis = await startRedis();
    const keyPrefix = `r${randomUUID().slice(0, 8)}:`;
    procs = await startBackends({ redisUrl: redis.url, count: 2, token: 'twice', keyPrefix });
    const r = await consoleRig(procs.urls, 'twice');
    rig = r;
    for (let i = 0; i < 6; i++) await r.mgr.main!.request('checkin', { cardId: `old-${i}`, source: 'desk' }, `old-${i}`);
    await waitFor(() => r.seqs.length === 6, 10_000);
    const seen = watch(r);
    for (const round of [1, 2]) {
      await redis.stop();
      await sleep(300);
      await redis.start({ empty: true });
      await door?.close();
      door = await RedisGym.open({ url: new URL(redis.url), keyPrefix });
      for (let i = 0; i < 4; i++) await door.checkIn(`r${round}-${i}`, 'door');
      await waitFor(() => seen.events.length === round * 4, 20_000);
    }
    expect(seen.lost).toEqual(['renumbered', 'renumbered']);
    expect(seen.events.map((e) => e.body.kind === 'checkin' && `${e.seq}:${e.body.cardId}`)).toEqual([1, 2].flatMap((n) => [0, 1, 2, 3].map((i) => `${i + 1}:r${n}-${i}`)));
    expect(seen.activity.filter((a) => a.type === 'feed-unstable')).toEqual([]);
    await waitFor(() => r.mgr.connectionView().state === 'connected', 10_000);
  }, 90_000);
});
