import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Gym, type GymOptions } from '../../src/server/gym';
import { RedisGym } from '../../src/server/redis/redis-gym';
import { startCluster } from '../../src/server/cluster';
import type { GymStore } from '../../src/server/store';
import type { ServerFrame } from '../../src/shared/protocol';
import { rawClient } from '../helpers/raw-client';
import { redisMissing, startRedis, type RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait';

const missing = redisMissing();
if (missing) console.warn(missing);

let redis: RedisServer | undefined;
beforeAll(async () => {
  if (!missing) redis = await startRedis();
});
afterAll(() => redis?.close());

type Opened = { store: GymStore & { members: IterableIterator<{ id: string; cardId: string; status: string }> }; close(): Promise<void> };
const STORES: { name: string; skip: boolean; open(o: GymOptions): Promise<Opened> }[] = [
  { name: 'in-process', skip: false, open: async (o) => ({ store: new Gym(o), close: async () => {} }) },
  {
    name: 'Redis',
    skip: !!missing,
    open: async (o) => {
      const g = await RedisGym.open({ ...o, url: new URL(redis!.url), keyPrefix: `decided${randomUUID().slice(0, 8)}:` });
      return { store: g, close: () => g.close() };
    },
  },
];

describe.each(STORES)('a check-in a console decided offline, on the $name store', ({ skip, open }) => {
  let opened: Opened | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it.skipIf(skip)('puts the console verdict in the event beside its own, which it judges itself; none when none was sent', async () => {
    opened = await open({});
    const store = opened.store;
    const m = [...store.members].find((x) => x.status === 'active')!;
    await store.checkIn(m.cardId, 'door'); // inside already
    const r = await store.checkIn(m.cardId, 'kiosk', 'offline-1', { decidedOffline: { allowed: true, reason: 'ok' } });
    expect(r.verdict).toEqual({ allowed: false, reason: 'duplicate' });
    const events = (await store.replay(0)).events;
    expect(events.at(-1)!.body).toMatchObject({ kind: 'checkin', verdict: { allowed: false, reason: 'duplicate' }, decidedOffline: { allowed: true, reason: 'ok' } });
    expect(events.at(-2)!.body).not.toHaveProperty('decidedOffline');
  });
});

describe('decidedOffline on the wire, through a backend instance', () => {
  it('goes from the request into the event every console sees', async () => {
    const cluster = await startCluster({ instances: 1, port: 0, token: 't' });
    try {
      const c = await rawClient(cluster.urls[0]!);
      c.send({ t: 'hello', versions: [2], token: 't', client: 'test' });
      await waitFor(() => c.of('welcome')[0]);
      c.send({ t: 'sub', stream: 'gym', after: 0 });
      await waitFor(() => c.of('subbed')[0]);
      c.send({ t: 'req', id: 'offline', op: 'checkin', body: { cardId: '0000000009', source: 'kiosk', decidedOffline: { allowed: true, reason: 'ok' } } });
      const [e] = (await waitFor(() => (c.of('event').length === 1 ? c.of('event') : null))) as Extract<ServerFrame, { t: 'event' }>[];
      expect(e!.body).toMatchObject({ verdict: { allowed: false, reason: 'unknown-card' }, decidedOffline: { allowed: true, reason: 'ok' } });
      c.ws.close();
    } finally {
      await cluster.close();
    }
  });
});
