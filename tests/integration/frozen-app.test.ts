import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { APP_SILENCE_MS } from '../../src/main/core/pool/heartbeat';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import type { PoolConfig } from '../../src/shared/pools';
import { startHostileBackend, type HostileBackend } from '../helpers/hostile-backend';
import { waitFor } from '../helpers/wait';

// probe-hostile18 F3: a backend whose program is stuck while its WebSocket layer still answers WebSocket pings (a Go or
// Java server deadlocked in its handler) was "All 2 backend instances answer", its sockets healthy and in rotation, and
// the feed "Up to date", 30 s after its last answer of any kind: a WebSocket pong counted as the backend being alive.

const INTERVAL = 250;
const DEAD_PEER_MS = 4 * INTERVAL; // the pool's dead-peer setting: four health checks

let hb: HostileBackend | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  await hb?.close();
  hb = core = null;
});

async function start(frozen: number[]): Promise<{ core: Core; hb: HostileBackend; activity: PoolActivity[] }> {
  hb = await startHostileBackend({ instances: 2 });
  for (const i of frozen) hb.freezeApp(i, true); // each socket is welcomed, then its program answers nothing
  const poolStore = memoryPoolStore();
  const config: PoolConfig = { name: 'gym', endpoints: hb.urls, maxConnections: 4, healthCheckInterval: INTERVAL, reconnectAttempts: 3, strategy: 'health-weighted', handshakeTimeout: 3_000 };
  poolStore.save([config]);
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-frozen-app-')), backend: { endpoints: hb.urls, token: hb.token }, poolStore });
  const activity: PoolActivity[] = [];
  core.pools.on('activity', (a) => activity.push(a));
  return { core, hb, activity };
}

const health = (c: Core, id: string) => c.stream.current('health').checks.find((x) => x.id === id)!;

describe('a backend whose program is stuck while its WebSocket still answers pings', () => {
  it('is not counted as answering past the dead-peer setting, and its sockets are closed in words for IT', async () => {
    const { core: c, hb: b, activity } = await start([0]);
    const [stuck, honest] = b.urls as [string, string];
    const sockets = (url: string) => c.pools.list().flatMap((p) => p.sockets).filter((s) => s.endpoint === url && s.state === 'open');
    await waitFor(() => sockets(stuck).length > 0 && sockets(honest).length > 0, 10_000);
    const openedAt = Date.now();
    // Past the dead-peer setting (and a beat for its check to run), it takes the connection and answers nothing.
    await waitFor(() => c.pools.connectionView().endpoints.find((e) => e.url === stuck)!.state !== 'open', DEAD_PEER_MS + 2 * INTERVAL + 500);
    expect(Date.now() - openedAt).toBeLessThanOrEqual(DEAD_PEER_MS + 2 * INTERVAL + 500);
    expect(c.pools.connectionView().endpoints.find((e) => e.url === honest)!.state).toBe('open');
    for (const s of sockets(stuck)) expect(s).toMatchObject({ inRotation: false, outBecause: 'silent', score: 0 });
    await waitFor(() => health(c, 'backend').reason === '1 of 2 backend instances answer; check-ins still work.', 5_000);
    // Then closed, within the time its program gets (a backend under load answers late, not never), in IT's words.
    const closed = (await waitFor(() => activity.find((a) => a.type === 'disconnected' && a.endpoint === stuck), APP_SILENCE_MS + 2_000))!;
    expect(closed.detail).toMatch(/^The backend takes the console's connection, but the backend program itself has answered nothing for 4 seconds: it may be stuck\.$/);
    expect(closed.raw).toMatch(/its application sent nothing for \d+ ms while its WebSocket answered pings/);
    expect(activity.some((a) => a.type === 'disconnected' && a.endpoint === honest)).toBe(false);
  }, 30_000);

  it('every instance stuck: Health says none answers and why, and the feed is not "up to date"', async () => {
    const { core: c } = await start([0, 1]);
    await waitFor(() => c.pools.list().flatMap((p) => p.sockets).some((s) => s.state === 'open'), 10_000);
    await waitFor(() => health(c, 'backend').status === 'failing', DEAD_PEER_MS + 3_000);
    expect(health(c, 'backend').reason).toMatch(/^No backend instance is answering \(0 of 2\)\. The backend takes the console's connection, but the backend program itself (does not answer|has answered nothing for 4 seconds): it may be stuck\. Ask the gym's IT to restart the backend\./);
    expect(health(c, 'backend').reason).not.toMatch(/answer\.$|All 2/);
    expect(health(c, 'feed').reason).not.toMatch(/Up to date/);
    // Its round trips from before it went silent are not its speed.
    expect(health(c, 'speed').reason).not.toMatch(/answers in about/);
    expect(c.pools.connectionView().state).toBe('offline');
  }, 30_000);
});
