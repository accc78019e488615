import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { PROGRAM_SILENCE_MS } from '../../src/main/core/pool/heartbeat';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import type { CheckinResult } from '../../src/shared/desk';
import { startHostileBackend, type HostileBackend } from '../helpers/hostile-backend';
import { deskCheckin, healthCheck, hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';
import { startBalancer, type Balancer } from '../helpers/balancer';

// probe-hostile18 F3: a backend whose program is stuck while its WebSocket layer still answers WebSocket pings (a Go or
// Java server deadlocked in its handler) was "All 2 backend instances answer", its sockets healthy and in rotation, and
// the feed "Up to date", 30 s after its last answer of any kind: a WebSocket pong counted as the backend being alive.

/** Two instances, these stuck from the start (each socket is welcomed, then its program answers nothing), in one saved pool. */
const start = (frozen: number[]) => hostileCore({ instances: 2, frozen, pool: {}, dataDirPrefix: 'gym-frozen-app-' });

const STUCK_WORDS = "The backend takes the console's connection, but the backend program itself answered nothing for more than 10 seconds: it may be stuck.";
/** The same, named by its address where there are several (review20 M4). */
const stuckAt = (url: string): string => `At ${new URL(url).host}, the backend takes the console's connection, but the backend program itself answered nothing for more than 10 seconds: it may be stuck.`;
/** Long enough for its deadline, the beat that judges it, and a loaded machine. */
const FOUND_WITHIN = PROGRAM_SILENCE_MS + 5_000;

describe('a backend whose program is stuck while its WebSocket still answers pings', () => {
  it('its sockets are closed once its program has been silent past its deadline, Health says which answer and why, and the other instance takes the check-ins', async () => {
    const { core: c, hb: b, activity } = await start([0]);
    const [stuck, honest] = b.urls as [string, string];
    const sockets = (url: string) => c.pools.list().flatMap((p) => p.sockets).filter((s) => s.endpoint === url && s.state === 'open');
    await waitFor(() => sockets(stuck).length > 0 && sockets(honest).length > 0, 10_000);
    const closed = (await waitFor(() => activity.find((a) => a.type === 'disconnected' && a.endpoint === stuck && /application/.test(a.raw ?? '')), FOUND_WITHIN))!;
    expect(closed.detail).toBe(STUCK_WORDS);
    expect(closed.raw).toMatch(/its application sent nothing for \d+ ms while its WebSocket answered pings/);
    // Health says it, and keeps saying it once the stuck instance has taken a new connection (it welcomes, then nothing).
    const said = `1 of 2 backend instances answer; check-ins still work. ${stuckAt(stuck)} Ask the gym's IT to restart the backend.`;
    await waitFor(() => healthCheck(c, 'backend').reason.startsWith(said), 5_000);
    await waitFor(() => sockets(stuck).length > 0, 10_000);
    expect(healthCheck(c, 'backend')).toMatchObject({ status: 'degraded', reason: expect.stringContaining(said) });
    expect(c.pools.connectionView()).toMatchObject({ state: 'degraded', cause: { kind: 'app-silent' } });
    // The other instance answers: a check-in is the gym's, not decided on this PC.
    const r = await deskCheckin(c, 'STUCK1');
    expect((r as { ok: true; value: CheckinResult }).value.offline).toBe(false);
    expect(activity.some((a) => a.type === 'disconnected' && a.endpoint === honest)).toBe(false);
    // Known stuck, its sockets stay open and out of use: not closed and reopened every 10 s (review19 M2).
    await new Promise((r) => setTimeout(r, PROGRAM_SILENCE_MS + 2_000));
    expect(activity.filter((a) => a.type === 'disconnected' && a.endpoint === stuck)).toHaveLength(1);
    // Its program answers again: the first pong clears it, and the log says so.
    b.freezeApp(0, false);
    await waitFor(() => healthCheck(c, 'backend').reason === 'All 2 backend instances answer.', 5_000);
    expect(activity.filter((a) => a.type === 'rotation-in' && a.endpoint === stuck).map((a) => a.detail)).toEqual(['the backend program (instance "hostile-0") answers again: its sockets are used as usual']);
  }, 60_000);

  it('every instance stuck: Health says none answers and why', async () => {
    const { core: c, hb: b } = await start([0, 1]);
    await waitFor(() => healthCheck(c, 'backend').status === 'failing', FOUND_WITHIN + 5_000);
    expect(healthCheck(c, 'backend').reason).toBe(`No backend instance is answering (0 of 2). ${b.urls.map(stuckAt).join(' ')} Ask the gym's IT to restart the backend. Nothing is lost: the console keeps each check-in and sends it when the backend answers again.`);
    expect(c.pools.connectionView().state).not.toBe('connected');
  }, 60_000);

  // probe-hostile19 G3: its idle socket, pinged and silent, was condemned at 10 s and every socket of the instance
  // marked stuck, though the other streamed every event: Health said "restart the backend" of one that worked.
  it('a program that streams events and answers requests but never answers pings is not stuck', async () => {
    const { hb: b, core: c, activity } = await hostileCore({ instances: 1, attacks: { 0: 'no-pongs' }, pool: { maxConnections: 2 }, dataDirPrefix: 'gym-no-pongs-' });
    await waitFor(() => c.pools.feed.synced, 10_000);
    // A gym at work: an event a second, past the program's deadline and the beat that would judge it.
    for (let t = 0; t < PROGRAM_SILENCE_MS + 3_000; t += 1_000) {
      b.emit(1);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(activity.filter((a) => a.type === 'disconnected')).toEqual([]);
    expect(healthCheck(c, 'backend')).toMatchObject({ status: 'ok' });
    const r = await deskCheckin(c, 'NOPONG1');
    expect((r as { ok: true; value: CheckinResult }).value.offline).toBe(false);
  }, 60_000);
});

// review19 M1: behind a load balancer one address reaches several programs. Judged per address, a stuck one's sockets
// heard its sibling's answers and stayed in rotation; and one found stuck took the healthy sibling's sockets out too.
// Its own rig: the balancer starts between the backend and the console, and the console knows only its address.
describe('a stuck backend program behind a load balancer, its sibling answering at the same address', () => {
  let hb: HostileBackend | null = null;
  let core: Core | null = null;
  let lb: Balancer | null = null;
  afterEach(async () => {
    await lb?.close();
    await core?.stop();
    await hb?.close();
    lb = null;
    hb = core = null;
  });

  it('is found by the instance its welcome names: only its sockets leave rotation, Health names it, check-ins go on', async () => {
    hb = await startHostileBackend({ instances: 2 });
    const b = hb;
    b.freezeApp(0, true);
    lb = await startBalancer(b.urls);
    const url = lb.url;
    const poolStore = memoryPoolStore();
    poolStore.save([{ name: 'gym', endpoints: [url], maxConnections: 4, healthCheckInterval: 250, reconnectAttempts: 3, strategy: 'health-weighted', handshakeTimeout: 3_000 }]);
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-frozen-lb-')), backend: { endpoints: [url], token: b.token }, poolStore });
    const c = core;
    const activity: PoolActivity[] = [];
    c.pools.on('activity', (a) => activity.push(a));
    const said = `Instance "hostile-0" behind ${new URL(url).host} takes the console's connection but answered nothing for more than 10 seconds: it may be stuck. Check-ins go through the others at that address. Ask the gym's IT to restart instance "hostile-0" only.`;
    await waitFor(() => healthCheck(c, 'backend').reason.startsWith(said), FOUND_WITHIN + 5_000);
    expect(healthCheck(c, 'backend').status).toBe('degraded');
    expect(activity.filter((a) => a.type === 'disconnected' && /application/.test(a.raw ?? ''))).toHaveLength(1);
    const endpoint = () => c.pools.list()[0]!.endpoints[0]!;
    expect(endpoint()).toMatchObject({ stuckInstances: ['hostile-0'], stuck: { kind: 'app-silent' } });
    expect(c.pools.connectionView()).toMatchObject({ state: 'degraded', endpoints: [{ state: 'open', someStuck: true }] });
    expect(c.pools.connectionView().endpoints[0]!.stuck).toBeUndefined();
    // The sibling's sockets stay in use: a check-in is the gym's, not decided on this PC.
    expect(c.pools.list()[0]!.sockets.some((s) => s.inRotation)).toBe(true);
    const r = await deskCheckin(c, 'LBSTUCK1');
    expect((r as { ok: true; value: CheckinResult }).value.offline).toBe(false);
    // It answers again: the spell ends, named, once.
    b.freezeApp(0, false);
    await waitFor(() => healthCheck(c, 'backend').reason === 'The backend answers.', 10_000);
    expect(endpoint().stuckInstances).toBeUndefined();
    expect(activity.filter((a) => a.type === 'rotation-in').map((a) => a.detail)).toEqual(['the backend program (instance "hostile-0") answers again: its sockets are used as usual']);
  }, 60_000);
});
