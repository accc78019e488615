import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolConfig } from '../../src/shared/pools';
import { poolRig, TOKEN, type PoolRig } from '../helpers/pool-setup';
import { hasOpenssl, makeTestCa } from '../helpers/test-ca';
import { sleep, waitFor } from '../helpers/wait';
import { runChecks } from '../../src/main/core/health/checks';
import { healthyInputs } from '../helpers/health-inputs';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('wss:// with the gym’s own CA', () => {
  it.skipIf(!hasOpenssl())('connects with the CA file, and fails clearly without it', async () => {
    const { dir, key, cert, caFile } = makeTestCa();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const cluster: Cluster = await startCluster({ instances: 1, port: 0, token: TOKEN, tls: { key, cert } });
    cleanups.push(() => cluster.close());
    expect(cluster.urls[0]).toMatch(/^wss:\/\//);
    const pool = (over: Partial<PoolConfig>): PoolConfig => ({
      name: 'tls', endpoints: cluster.urls, maxConnections: 1, healthCheckInterval: 200, reconnectAttempts: 2, strategy: 'round-robin', ...over,
    });

    const without = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [pool({})] });
    cleanups.push(() => without.stop());
    const failures: string[] = [];
    without.on('activity', (a) => a.type === 'failed' && failures.push(a.detail));
    without.start();
    await waitFor(() => failures.length > 0);
    expect(failures[0]).toMatch(/certificate/i);
    // Said plainly: a certificate problem, on the endpoint and on the Overview's gauge.
    expect(without.list()[0]!.endpoints[0]!.cause?.kind).toBe('tls');
    expect(without.connectionView().cause).toMatchObject({ kind: 'tls', text: expect.stringMatching(/certificate is not trusted/) });

    const withCa = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [pool({ caFile })] });
    cleanups.push(() => withCa.stop());
    withCa.start();
    await waitFor(() => withCa.connectionView().state === 'connected');
    const reply = await withCa.request('lookup', { query: 'M00001' });
    expect(reply.members[0]!.id).toBe('M00001');
    // The certificate's end date is read at the upgrade: 60 days on (makeTestCa), past Health's 14-day warning.
    const ends = withCa.connectionView().endpoints[0]!.certExpiresAt!;
    expect(Math.abs(ends - (Date.now() + 60 * 86_400_000))).toBeLessThan(86_400_000);
    expect(Math.abs(withCa.connectionView().endpoints[0]!.certLifeMs! - 60 * 86_400_000)).toBeLessThan(86_400_000);
    expect(runChecks({ ...healthyInputs(), now: Date.now(), connection: withCa.connectionView() }).find((c) => c.id === 'backend')).toMatchObject({ status: 'ok' });

    // Pointing at a file that is not a certificate is refused before anything changes.
    const notPem = join(dir, 'san.ext');
    expect(() => withCa.configure('tls', { caFile: notPem })).toThrow(/not a PEM certificate/);
    expect(withCa.list()[0]!.config.caFile).toBe(caFile);
  });
});

// A renewal forgotten is a classic outage: IT hears of it on Health two weeks ahead, not from the desk on the day.
describe("a wss:// backend whose certificate runs out soon", () => {
  it.skipIf(!hasOpenssl())('is told on Health: which address, the day, and to renew it; the console stays connected', async () => {
    const { dir, key, cert, caFile } = makeTestCa(undefined, 5, 85);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const cluster: Cluster = await startCluster({ instances: 1, port: 0, token: TOKEN, tls: { key, cert } });
    cleanups.push(() => cluster.close());
    const mgr = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [{ name: 'tls', endpoints: cluster.urls, maxConnections: 1, healthCheckInterval: 200, reconnectAttempts: 2, strategy: 'round-robin', caFile }] });
    cleanups.push(() => mgr.stop());
    mgr.start();
    await waitFor(() => mgr.connectionView().state === 'connected');
    const backend = runChecks({ ...healthyInputs(), now: Date.now(), connection: mgr.connectionView() }).find((c) => c.id === 'backend')!;
    expect(backend.status).toBe('degraded');
    expect(backend.reason).toMatch(new RegExp(`^The backend's certificate at ${new URL(cluster.urls[0]!).host} runs out on \\d{1,2} \\w{3} \\d{4}, in 5 days: after that this PC cannot connect to it\\. Ask the gym's IT to renew it before then\\.$`));
  });
});

describe('a scheme typo in the address', () => {
  const view = async (cluster: Cluster, urls: string[]) => {
    const mgr = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [{ name: 'typo', endpoints: urls, maxConnections: 1, healthCheckInterval: 200, reconnectAttempts: 2, strategy: 'round-robin' }] });
    cleanups.push(() => mgr.stop());
    mgr.start();
    await waitFor(() => mgr.list()[0]!.endpoints[0]!.cause !== null);
    return mgr.connectionView().cause;
  };

  it('wss:// to a plain backend says the backend does not use a secure connection, not a certificate', async () => {
    const cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
    cleanups.push(() => cluster.close());
    const c = await view(cluster, cluster.urls.map((u) => u.replace(/^ws:/, 'wss:')));
    expect(c).toMatchObject({ kind: 'not-tls', text: expect.stringMatching(/does not use a secure connection.*ws:\/\/ instead of wss:\/\//) });
  });

  it.skipIf(!hasOpenssl())('ws:// to a wss://-only backend points at the missing s', async () => {
    const { dir, key, cert } = makeTestCa();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const cluster = await startCluster({ instances: 1, port: 0, token: TOKEN, tls: { key, cert } });
    cleanups.push(() => cluster.close());
    const c = await view(cluster, cluster.urls.map((u) => u.replace(/^wss:/, 'ws:')));
    expect(c).toMatchObject({ kind: 'hung-up', nextHere: expect.stringMatching(/change ws:\/\/ to wss:\/\//) });
  });
});

describe('probe at once (wake from sleep, network change)', () => {
  let rig: PoolRig | null = null;
  cleanups.push(async () => {
    await rig?.close();
    rig = null;
  });

  it('finds a hung instance within a second of a probe, long before the next health check', async () => {
    // Health checks every 20 s (dead after 80 s): only the probe can close these sockets within 10 s.
    // The test proves the mechanism, not a wall-clock figure, so a busy machine cannot fail it.
    rig = await poolRig({ pool: { healthCheckInterval: 20_000 } });
    // Every socket open first: a welcome still on its way when the probe went out opens after it, rightly
    // unprobed, and waits for the 80 s check. (A pong to a ping of the opening, read after the probe went out,
    // once counted as its answer too; no longer: the next test.)
    await waitFor(() => rig!.mgr.list()[0]!.sockets.every((s) => s.state === 'open'), 10_000);
    await sleep(500);
    rig.cluster.instance(1).hang();
    const url = rig.cluster.urls[1]!;
    const closed: { endpoint: string; detail: string; raw?: string }[] = [];
    rig.mgr.on('activity', (a) => a.type === 'disconnected' && closed.push(a));
    rig.mgr.probe();
    await waitFor(() => rig!.mgr.list()[0]!.sockets.filter((s) => s.endpoint === url).every((s) => s.state !== 'open'), 10_000);
    const hung = closed.filter((c) => c.endpoint === url);
    expect(hung.length).toBeGreaterThan(0);
    for (const c of hung) expect(c.raw).toMatch(/no answer to a probe/); // the log file's reason
    for (const c of hung) expect(c.detail).toBe("The console cannot reach the backend's address."); // the event log's
    // Live peers answer the probe and stay.
    expect(closed.filter((c) => c.endpoint !== url)).toEqual([]);
    await rig.cluster.instance(1).restore();
    await rig.close();
    rig = null;
  });

  it('a pong to an earlier ping, sent before the hang and read after the probe went out, does not hide the hang', async () => {
    rig = await poolRig({ pool: { healthCheckInterval: 20_000 } });
    await waitFor(() => rig!.mgr.list()[0]!.sockets.every((s) => s.state === 'open'), 10_000);
    await sleep(500);
    const url = rig.cluster.urls[1]!;
    // Instance 1's protocol pongs leave 1.5 s late (its WebSocket's own pongs at once, so a first probe is answered).
    rig.cluster.instance(1).delay(1_500);
    rig.mgr.probe();
    await sleep(100);
    rig.cluster.instance(1).hang(); // stopped; the pongs it already had on their way still come
    const closed: { endpoint: string; raw?: string }[] = [];
    rig.mgr.on('activity', (a) => a.type === 'disconnected' && closed.push(a));
    await sleep(600);
    rig.mgr.probe(); // the old pongs land within this probe's second: they answer a ping sent before it
    await waitFor(() => rig!.mgr.list()[0]!.sockets.filter((s) => s.endpoint === url).every((s) => s.state !== 'open'), 10_000);
    const hung = closed.filter((c) => c.endpoint === url);
    expect(hung.length).toBeGreaterThan(0);
    for (const c of hung) expect(c.raw).toMatch(/no answer to a probe/);
    expect(closed.filter((c) => c.endpoint !== url)).toEqual([]);
    await rig.cluster.instance(1).restore();
    await rig.close();
    rig = null;
  });
});
