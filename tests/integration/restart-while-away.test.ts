import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { Gym } from '../../src/server/gym';
import { GymInstance } from '../../src/server/instance';
import { startCore } from '../../src/main/core/app';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { sleep, waitFor } from '../helpers/wait';

// probe-walk15 #1: a console restarted while the backend was down did not notice the backend had started over too
// (it came back empty, numbering from 1), while a console left running said so. Both must say the same; a console
// restarted alone, or never restarted, says nothing of the kind.
const TOKEN = 'restart-while-away';
type Core = Awaited<ReturnType<typeof startCore>>;

let cluster: Cluster | null = null;
let fresh: GymInstance[] = [];
let cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop()));
  await Promise.all(fresh.map((i) => i.kill()));
  await cluster?.close();
  [cluster, fresh, cores] = [null, [], []];
});

async function setUp() {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
  const c = cluster;
  const dir = mkdtempSync(join(tmpdir(), 'gym-restart-away-'));
  const start = async (urls = c.urls): Promise<Core> => {
    // The addresses given are the configuration (as IT's --backend at a start): none saved from before.
    const core = await startCore({ version: 't', dataDir: dir, backend: { endpoints: urls, token: TOKEN }, poolStore: memoryPoolStore() });
    cores.push(core);
    return core;
  };
  const stop = async (core: Core): Promise<void> => {
    await core.stop();
    cores = cores.filter((x) => x !== core);
  };
  // Connected and synced: a count of applied events taken before the first picture lands is not where the feed stands.
  const connected = (core: Core) => waitFor(() => core.pools.connectionView().state === 'connected' && core.pools.feed.synced, 10_000);
  const actives = [...c.gym.members].filter((m) => m.status === 'active');
  /** Check-ins the console has applied from the live feed. */
  const checkIn = async (core: Core, n: number, from = 0) => {
    const want = core.pools.feed.applied + n;
    for (const m of actives.slice(from, from + n)) c.gym.checkIn(m.cardId, 'kiosk');
    await waitFor(() => core.pools.feed.applied === want, 10_000);
  };
  /** What this core says of a backend restart: the activity log, the Backend card's view, the Health feed check. */
  const said = (core: Core) => {
    const snap = core.stream.snapshot();
    return {
      log: snap.feeds.activity.filter((a) => a.type === 'backend-restarted').map((a) => a.detail),
      card: core.pools.connectionView(),
      health: snap.gauges.health.checks.find((k) => k.id === 'feed'),
    };
  };
  return { c, start, stop, connected, checkIn, said };
}

/** The gym's system started again from nothing on the same addresses: an in-memory backend restarted. */
async function restartBackendEmpty(c: Cluster): Promise<Gym> {
  const ports = c.instances.map((i) => i.port);
  await Promise.all(c.instances.map((i) => i.kill()));
  const gym = new Gym();
  fresh = ports.map((port, k) => new GymInstance(k, gym, TOKEN, port));
  return gym;
}

describe('a console restarted while the gym system was away', () => {
  it('is told the gym system restarted meanwhile, once, in the log, on the Backend card and in Health, as a console left running is', async () => {
    const { c, start, stop, connected, checkIn, said } = await setUp();
    const first = await start();
    await connected(first);
    await checkIn(first, 5);
    const gym = await restartBackendEmpty(c); // down: not started yet
    await waitFor(() => first.pools.connectionView().state === 'offline', 10_000);
    await stop(first);

    const again = await start();
    expect(again.pools.connectionView().state).toBe('offline');
    gym.checkIn('after-restart', 'door'); // one event in the new numbering: its head (1) is not below what was applied
    await Promise.all(fresh.map((i) => i.start()));
    await connected(again);
    await waitFor(() => said(again).log.length > 0, 10_000);
    await waitFor(() => /while this PC was off, restarting or not connected to it/.test(said(again).health?.reason ?? ''), 10_000);
    const told = said(again);
    expect(told.log).toEqual(['it started its event log over while this PC was off, restarting or not connected to it; this PC caught up with it']);
    expect(told.card).toMatchObject({ restartedAt: expect.any(Number), restartedWhileAway: true, eventsMissed: 0 });
    expect(told.health).toMatchObject({ status: 'ok', reason: "The gym's system was restarted while this PC was off, restarting or not connected to it; this PC caught up with it." });
    expect(again.stream.current('occupancy').count).toBe(0);
    // Said once: the events that follow, and a reconnect, do not say it again.
    gym.checkIn('later', 'door');
    await waitFor(() => again.pools.feed.applied === 2, 10_000);
    await sleep(300);
    expect(said(again).log).toHaveLength(1);
  }, 60_000);

  it('neither restarted: nothing said', async () => {
    const { start, connected, checkIn, said } = await setUp();
    const core = await start();
    await connected(core);
    await checkIn(core, 3);
    await sleep(300);
    expect(said(core).log).toEqual([]);
    expect(said(core).card).toMatchObject({ restartedAt: null });
  }, 30_000);

  it('the console restarted alone (the gym system stayed up, its events went on): nothing said', async () => {
    const { start, stop, connected, checkIn, said } = await setUp();
    const first = await start();
    await connected(first);
    await checkIn(first, 5);
    await stop(first);
    const again = await start();
    await connected(again);
    await checkIn(again, 2, 5);
    await sleep(300);
    expect(said(again).log).toEqual([]);
    expect(said(again).card).toMatchObject({ restartedAt: null });
    expect(said(again).health?.reason ?? '').not.toMatch(/restarted/);
  }, 30_000);

  it('pointed at another gym system (IT changed the addresses while it was off): no restart is claimed', async () => {
    const { c, start, stop, connected, checkIn, said } = await setUp();
    const first = await start();
    await connected(first);
    await checkIn(first, 5);
    await stop(first);
    // Another backend, on other addresses, with a numbering of its own and a shorter log.
    const other = await startCluster({ instances: 1, port: 0, token: TOKEN });
    try {
      other.gym.checkIn('elsewhere', 'door');
      const again = await start(other.urls);
      await connected(again);
      await waitFor(() => again.pools.feed.applied === 1, 10_000);
      await sleep(300);
      expect(said(again).log).toEqual([]);
      expect(said(again).card).toMatchObject({ restartedAt: null });
      expect(c.urls.some((u) => other.urls.includes(u))).toBe(false);
    } finally {
      await Promise.all(cores.map((x) => x.stop()));
      cores = [];
      await other.close();
    }
  }, 30_000);

  it('pointed at another gym system while running (IT changed the addresses): followed, and no restart is claimed', async () => {
    const { start, connected, checkIn, said } = await setUp();
    const core = await start();
    await connected(core);
    await checkIn(core, 5);
    const other = await startCluster({ instances: 1, port: 0, token: TOKEN });
    try {
      other.gym.checkIn('elsewhere', 'door');
      const [pool] = core.pools.list();
      core.pools.configure(pool!.config.name, { endpoints: other.urls });
      await waitFor(() => core.stream.feed('checkins').some((x) => x.cardId === 'elsewhere'), 10_000);
      other.gym.checkIn('elsewhere-2', 'door');
      await waitFor(() => core.stream.feed('checkins').some((x) => x.cardId === 'elsewhere-2'), 10_000);
      expect(said(core).log).toEqual([]);
      expect(said(core).card).toMatchObject({ restartedAt: null });
    } finally {
      await Promise.all(cores.map((x) => x.stop()));
      cores = [];
      await other.close();
    }
  }, 30_000);
});
