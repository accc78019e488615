import { afterEach, describe, expect, it, vi } from 'vitest';
import { PoolManager } from '../../src/main/core/pool/manager';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import { runChecks } from '../../src/main/core/health/checks';
import { startHostileBackend, type HostileBackend } from '../helpers/hostile-backend';
import { healthyInputs } from '../helpers/health-inputs';
import { sleep, waitFor } from '../helpers/wait';

let hb: HostileBackend | null = null;
let mgr: PoolManager | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  mgr?.stop();
  await hb?.close();
  hb = mgr = null;
});

/** A console on two instances of one log, synced, with heartbeats every 100 ms. */
async function rig() {
  hb = await startHostileBackend({ instances: 2 });
  const endpoints = hb.urls;
  mgr = new PoolManager({
    token: hb.token,
    store: memoryPoolStore(),
    defaults: [{ name: 'gym', endpoints, maxConnections: 4, healthCheckInterval: 100, reconnectAttempts: 5, strategy: 'health-weighted', handshakeTimeout: 800 }],
    reconnectBaseMs: 20,
    reconnectCapMs: 200,
  });
  const activity: PoolActivity[] = [];
  let synced = false;
  mgr.feed.on('resync', () => (synced = true));
  mgr.on('activity', (a) => activity.push(a));
  // Counted as the console sends them: the backend counts each only once it has read it, which under load can be
  // after a test has read its count.
  const sent = vi.spyOn(BackendConnection.prototype, 'subscribe');
  const subs = (): number => sent.mock.calls.length;
  mgr.start();
  await waitFor(() => mgr!.connectionView().state === 'connected' && synced);
  return { hb, mgr, activity, subs };
}

const feedCheck = (m: PoolManager) =>
  runChecks({ ...healthyInputs(), connection: m.connectionView(), pools: m.list(), feed: { applied: m.feed.applied, head: m.feed.head, continuityLostRecently: m.feed.continuityLost } }).find((c) => c.kind === 'feed')!;

describe('a backend whose seq skips numbers for good (real sockets)', () => {
  it('the hole is a counted loss within seconds, the feed resumes past it, and the re-subscribing stops', async () => {
    const { hb, mgr, activity, subs } = await rig();
    hb.emit(2);
    await waitFor(() => mgr.feed.applied === 2);
    const before = subs();
    hb.skip(6); // seqs 3–8 hold nothing, on every instance, for good
    hb.emit(1); // seq 9
    // Asked again a few times, backing off; then given up as lost, with a fresh picture at the backend's head.
    // A wait, not a speed target: the rounds back off for ~4 s, and a loaded machine stretches them.
    await waitFor(() => mgr.feed.applied === 9, 15_000);
    expect(mgr.feed.continuityLost).toBe(1);
    // Events really lost: said so, in the event log, on the Backend card and in Health.
    expect(activity.filter((a) => a.type === 'continuity-lost').map((a) => a.detail)).toEqual([expect.stringMatching(/could not send again the events this PC missed during a break: check-ins from then are missing/)]);
    expect(mgr.connectionView()).toMatchObject({ eventsMissed: 1, restartedAt: null });
    expect(feedCheck(mgr)).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/missed during a break, once in the last 10 min/) });
    // Two subscribers, four rounds and one resync: not 8 a second for ever.
    expect(subs() - before).toBeLessThanOrEqual(2 * 5 + 2);
    const settled = subs();
    hb.emit(1);
    await waitFor(() => mgr.feed.applied === 10);
    await sleep(1_500);
    expect(subs()).toBe(settled);
  }, 30_000);
});

describe('a backend whose pongs say a head its stream never reaches (real sockets)', () => {
  it('believes its replays, counts it as breaking the protocol, reports no lag and stops asking', async () => {
    const { hb, mgr, subs } = await rig();
    hb.emit(3);
    await waitFor(() => mgr.feed.applied === 3);
    hb.setAttack(0, 'head-ahead');
    hb.setAttack(1, 'head-ahead');
    // Both subscribers' lies found (on a loaded machine the second can come well after the first), then quiet.
    await waitFor(() => mgr.connectionView().protocolErrors >= 2, 10_000);
    await sleep(500);
    const asked = subs();
    await sleep(2_000);
    expect(subs()).toBe(asked); // 20 beats on each socket, not one `sub` more
    expect(mgr.feed.head - mgr.feed.applied).toBeLessThanOrEqual(0);
    expect(feedCheck(mgr)).toMatchObject({ status: 'ok', reason: 'Up to date with the backend.' });
    // A contradiction per lying socket, not per beat: far from a quarantine.
    expect(mgr.connectionView().protocolErrors).toBeLessThanOrEqual(4);
    hb.emit(2);
    await waitFor(() => mgr.feed.applied === 5);
  }, 20_000);
});
