import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import type { Snapshot } from '../../src/shared/state';
import { waitFor } from '../helpers/wait';
import { hostBridge, killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost } from '../helpers/built-host';

const TOKEN = 'restart-test-token-7f3a9c';
const PINS = { desk: '4321', manager: '8765', kiosk: '1111' };
let cluster: Cluster;

beforeAll(async () => {
  requireBuild();
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
});
afterAll(async () => {
  killBuiltHosts();
  await cluster.close();
});

const startHost = (dataDir: string, args: string[], opts: { env?: Record<string, string> } = {}) => startBuiltHost(['--data-dir', dataDir, ...args], opts);

async function started(dataDir: string, args: string[]) {
  const h = await startHost(dataDir, args);
  if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
  return h;
}

const stopped = stopBuiltHost;
/** One signed-in screen's bridge: several calls over one session. */
const bridge = hostBridge;

const connectedTo = async (b: Awaited<ReturnType<typeof bridge>>, urls: string[]): Promise<Snapshot['gauges']> =>
  waitFor(async () => {
    const { gauges } = await b.call<Snapshot>('state.snapshot');
    const open = gauges.connection.endpoints.filter((e) => e.state === 'open').map((e) => e.url);
    return gauges.connection.state === 'connected' && [...open].sort().join() === [...urls].sort().join() ? gauges : null;
  }, 10_000) as Promise<Snapshot['gauges']>;

describe('start-up: a live site stays live across restarts', () => {
  it('first run with flags saves the site; a run with no flags on that data dir is live on the same endpoints', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    const first = await started(dataDir, ['--backend', cluster.urls.join(','), '--backend-token', TOKEN]);
    expect(first.stderr()).toContain(`backend token saved in ${join(dataDir, 'backend-token')}`);
    expect(first.stderr()).toContain(join(dataDir, 'pools.json'));
    let b = await bridge(first.url);
    await b.call('auth.setup', PINS);
    expect(await b.call('app.info')).toMatchObject({ demo: false });
    await connectedTo(b, cluster.urls);
    b.close();
    await stopped(first.child);
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['pools.json', 'site.json', 'backend-token', 'logs']));

    const again = await started(dataDir, []);
    b = await bridge(again.url);
    const info = await b.call('app.info');
    expect(info).toMatchObject({ demo: false });
    expect(JSON.stringify(info)).not.toContain(dataDir); // asked before sign-in: no path on this PC
    await b.call('auth.login', { role: 'manager', pin: PINS.manager });
    const gauges = await connectedTo(b, cluster.urls);
    expect(gauges.mode).toMatchObject({ demo: false, dataDir });
    expect(gauges.demo).toBeNull();

    const { text } = await b.call<{ text: string }>('app.diagnostics');
    expect(text).toMatch(/^mode: +live$/m);
    expect(text).toContain(`data dir:    ${dataDir}`);
    expect(text).toContain(`log file:    ${join(dataDir, 'logs', 'console.log')}`);
    for (const url of cluster.urls) expect(text).toContain(url);
    expect(text).toMatch(/^outbox: +\d+ queued/m);
    expect(text).not.toContain(TOKEN);
    b.close();
    await stopped(again.child);

    const log = readFileSync(join(dataDir, 'logs', 'console.log'), 'utf8');
    expect(log).toContain('start-up: live (from flags)');
    expect(log).toContain('start-up: live (from the saved site)');
    // Which version logged what, after an update (readme25 W6).
    expect(log).toMatch(/"version":"[^"]+","mode":"live"[^\n]*"msg":"start-up: live \(from the saved site\)"/);
    expect(log).toMatch(/"msg":"connected pool gym ws:\/\/127\.0\.0\.1/);
    expect(log).not.toContain(TOKEN);
    expect(again.stderr()).not.toContain(TOKEN);
  });

  it('a rotated token given by GYM_BACKEND_TOKEN alone (no flags) is saved and said, so the next plain restart connects', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    // A live PC whose saved token the backend no longer takes (rotated).
    const old = await started(dataDir, ['--backend', cluster.urls.join(','), '--backend-token', 'rotated-away-token']);
    await waitFor(() => /the backend refused the token given with --backend-token/.test(old.stderr()), 15_000);
    await stopped(old.child);

    const fixed = await startHost(dataDir, [], { env: { GYM_BACKEND_TOKEN: TOKEN } });
    if (!('url' in fixed)) throw new Error(`host exited ${fixed.code}: ${fixed.stderr}`);
    expect(fixed.stderr()).toContain(`console: backend token saved in ${join(dataDir, 'backend-token')}`);
    await waitFor(() => fixed.stderr().includes("console: connected to the gym's backend at"), 15_000);
    expect(readFileSync(join(dataDir, 'backend-token'), 'utf8').trim()).toBe(TOKEN);
    expect(fixed.stderr()).not.toContain(TOKEN);
    await stopped(fixed.child);

    // The next plain restart (a reboot, a power cut) connects with it.
    const again = await started(dataDir, []);
    await waitFor(() => again.stderr().includes("console: connected to the gym's backend at"), 15_000);
    expect(again.stderr()).not.toMatch(/refused|backend token saved/);
    await stopped(again.child);
  }, 60_000);

  it('a live data dir that lost its token starts live but offline, and says so on stderr and on screen', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    await stopped((await started(dataDir, ['--backend', cluster.urls.join(','), '--backend-token', TOKEN])).child);
    rmSync(join(dataDir, 'backend-token'));
    const h = await started(dataDir, []);
    expect(h.stderr()).toMatch(/no backend token is saved\. The console starts OFFLINE/);
    const b = await bridge(h.url);
    expect(await b.call('app.info')).toMatchObject({ demo: false });
    await b.call('auth.setup', PINS);
    const { gauges } = await b.call<Snapshot>('state.snapshot');
    expect(gauges.connection.state).toBe('offline');
    expect(gauges.alerts.map((a) => a.text).join('\n')).toMatch(/no backend token is saved\. The console starts OFFLINE: a manager can enter the token under Backend connection \(Connection Pools tab\)/);
    b.close();
    await stopped(h.child);
  });

  it("a saved pool whose CA file is gone: the console starts, and says which file and what to do on stderr", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    await stopped((await started(dataDir, ['--backend', cluster.urls.join(','), '--backend-token', TOKEN])).child);
    const file = join(dataDir, 'pools.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const ca = join(dataDir, 'gone', 'gym-ca.pem');
    saved.pools[0].caFile = ca;
    writeFileSync(file, JSON.stringify(saved));
    const h = await started(dataDir, []);
    const line = `console: pool "gym" cannot connect until its CA file can be read. Cannot read the CA file ${ca}: there is no file there. Check the path. A manager can correct the CA file in the pool's settings (Connection Pools tab), or put the file back; the console tries again by itself.`;
    expect(h.stderr().split('\n')).toContain(line);
    await stopped(h.child);
    // The log file keeps it for IT, too (read once the console has closed it).
    expect(readFileSync(join(dataDir, 'logs', 'console.log'), 'utf8')).toContain(`Cannot read the CA file ${ca}`);
  });

  it('--review-only on a live data dir runs no demo and no backend, keeps its data in review/, and the next plain start is live again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    const first = await started(dataDir, ['--backend', cluster.urls.join(','), '--backend-token', TOKEN]);
    let b = await bridge(first.url);
    await b.call('auth.setup', PINS);
    await connectedTo(b, cluster.urls);
    b.close();
    await stopped(first.child);
    const saved = ['site.json', 'pools.json', 'backend-token'].map((f) => readFileSync(join(dataDir, f), 'utf8'));
    const dbs = ['console.db', 'analytics.db'].map((f) => statSync(join(dataDir, f)).mtimeMs);

    const review = await started(dataDir, ['--review-only']);
    expect(review.stderr()).toContain('running a REVIEW-ONLY console because --review-only was given');
    b = await bridge(review.url);
    expect(await b.call('app.info')).toMatchObject({ demo: false });
    await b.call('auth.setup', { manager: PINS.manager }); // its own manager PIN (it has no desk or kiosk), in review/: the site's are not opened
    const { gauges } = await b.call<Snapshot>('state.snapshot');
    expect(gauges.mode).toMatchObject({ demo: false, review: true });
    expect(gauges.demo).toBeNull();
    expect(gauges.connection.endpoints).toEqual([]);
    await expect(b.call('backend.configure', { endpoints: cluster.urls, token: TOKEN })).rejects.toThrow(/started with --review-only/);
    const pool = { name: 'side', endpoints: cluster.urls, maxConnections: 2, healthCheckInterval: 1000, reconnectAttempts: 3, strategy: 'round-robin' };
    await expect(b.call('pools.create', { config: pool })).rejects.toThrow(/started with --review-only/);
    // Nothing connects out, and nothing is queued for a gym it will never reach.
    await expect(b.call('backend.test', { endpoints: cluster.urls })).rejects.toThrow(/started with --review-only/);
    await expect(b.call('desk.checkin', { cardId: '4000104729', source: 'desk' })).rejects.toThrow(/started with --review-only/);
    await expect(b.call('outbox.send', { lane: 'system', kind: 'door.open', data: 'front' })).rejects.toThrow(/started with --review-only/);
    await expect(b.call('door.release', { door: 'front' })).rejects.toThrow(/started with --review-only/);
    expect((await b.call<{ text: string }>('app.diagnostics')).text).toMatch(/^mode: +REVIEW ONLY/m);
    b.close();
    await stopped(review.child);
    expect(existsSync(join(dataDir, 'review', 'console.db'))).toBe(true);
    expect(['site.json', 'pools.json', 'backend-token'].map((f) => readFileSync(join(dataDir, f), 'utf8'))).toEqual(saved);
    expect(['console.db', 'analytics.db'].map((f) => statSync(join(dataDir, f)).mtimeMs)).toEqual(dbs);
    expect(readFileSync(join(dataDir, 'logs', 'console.log'), 'utf8')).toContain('start-up: review only (no backend, no demo)');

    const again = await started(dataDir, []);
    b = await bridge(again.url);
    await b.call('auth.login', { role: 'manager', pin: PINS.manager });
    expect((await connectedTo(b, cluster.urls)).mode).toMatchObject({ demo: false, review: false });
    b.close();
    await stopped(again.child);
  });

  it('a kiosk PC and a review PC restarted without flags come back as what they were set up as', async () => {
    const kioskDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    const first = await started(kioskDir, ['--backend', cluster.urls.join(','), '--backend-token', TOKEN, '--kiosk']);
    expect(first.stderr()).toContain('this PC is now a kiosk check-in station');
    await stopped(first.child);
    // A power cut, or a startup entry written without --kiosk: the queue must not see the staff sign-in.
    const again = await started(kioskDir, []);
    expect(again.stderr()).toContain('starting as a kiosk check-in station, as this PC was set up');
    let b = await bridge(again.url);
    expect(await b.call('auth.status')).toMatchObject({ role: 'kiosk' });
    b.close();
    await stopped(again.child);
    const desk = await started(kioskDir, ['--desk']);
    b = await bridge(desk.url);
    expect(await b.call('auth.status')).toMatchObject({ role: null });
    b.close();
    await stopped(desk.child);

    const reviewDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    await stopped((await started(reviewDir, ['--review-only'])).child);
    const plain = await started(reviewDir, []);
    b = await bridge(plain.url);
    await b.call('auth.setup', { manager: PINS.manager }); // a review PC: the manager's PIN only
    const { gauges } = await b.call<Snapshot>('state.snapshot');
    // Never the demo gym's simulated figures on a manager's review PC.
    expect(gauges.mode).toMatchObject({ demo: false, review: true });
    expect(gauges.demo).toBeNull();
    b.close();
    await stopped(plain.child);
    const kiosk = await startHost(reviewDir, ['--kiosk']);
    expect(kiosk).toMatchObject({ code: 2, stderr: expect.stringContaining('is a PC for reviewing exports, and a kiosk checks members in') });
  });

  it('--review-only refuses --demo, a backend and --kiosk, saving nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    for (const extra of [['--demo'], ['--backend', cluster.urls[0]!, '--backend-token', TOKEN], ['--kiosk']]) {
      const h = await startHost(dataDir, ['--review-only', ...extra]);
      expect(h, extra.join(' ')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^console: --review-only /) });
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a bad --backend before saving anything, naming the flag', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    const h = await startHost(dataDir, ['--backend', 'http://10.0.0.5:9100', '--backend-token', TOKEN]);
    expect(h).toMatchObject({ code: 2 });
    expect(h.stderr).toMatch(/console: --backend: "http:\/\/10\.0\.0\.5:9100" must start with ws:\/\/ or wss:\/\//);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('--backend with GYM_BACKEND_TOKEN set but empty is refused saying it is empty, and how to give it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    const h = await startHost(dataDir, ['--backend', cluster.urls.join(',')], { env: { GYM_BACKEND_TOKEN: '' } });
    expect(h).toMatchObject({ code: 2 });
    if ('url' in h) return;
    expect(h.stderr).toContain('console: --backend needs the backend token, and GYM_BACKEND_TOKEN is empty: start it as GYM_BACKEND_TOKEN=TOKEN npm run web -- --backend … with the token from the gym backend');
    expect(h.stderr).not.toContain('set GYM_BACKEND_TOKEN');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('diagnostics are for managers only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-restart-'));
    const h = await started(dataDir, ['--demo']);
    const b = await bridge(h.url);
    await b.call('auth.login', { role: 'desk', pin: '1357' });
    await expect(b.call('app.diagnostics')).rejects.toThrow(/manager PIN/);
    b.close();
    await stopped(h.child);
  });
});
