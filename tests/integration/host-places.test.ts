import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { startCore, type Core } from '../../src/main/core/app';
import { startHost, type Host, type HostOptions } from '../../src/main/web/host';
import { HEADERS_MS, IDLE_MS, MAX_CONNECTIONS } from '../../src/main/web/connection-places';
import type { HostFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';
import type { AuthStatus } from '../../src/shared/roles';
import { rawHttp } from '../helpers/hostile-requests';
import { sleep, waitFor } from '../helpers/wait';

// Probe 16, F3: a local program holding more idle TCP connections than the host's cap kept every page load and
// every reconnecting screen out (27 of 28 page loads failed), because the cap refused the newcomer. Now the
// oldest connection that has shown least makes room, and a screen's bridge never does.
const PINS = { desk: '4321', manager: '8765', kiosk: '1111' };
const rendererDir = mkdtempSync(join(tmpdir(), 'gym-places-'));
let core: Core;

beforeAll(async () => {
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  // Not the demo: its screens start signed out, so a sign-in is a real one.
  core = await startCore({ version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'gym-places-data-')), reviewOnly: true });
  const h = await hostWith({});
  const b = await screen(h);
  await b.call('auth.setup', { manager: PINS.manager });
  b.ws.close();
  await h.close();
});
afterAll(async () => {
  await core.stop();
});

const opened: { host: Host; hog: Socket[] }[] = [];
afterEach(async () => {
  for (const { host, hog } of opened.splice(0)) {
    for (const s of hog) s.destroy();
    await host.close();
  }
});

async function hostWith(limits: Pick<HostOptions, 'idleMs' | 'headersMs'>): Promise<Host> {
  return startHost({ handlers: core.handlers, stream: core.stream, rendererDir, newSession: core.newSession, tickets: core.tickets, ...limits });
}

async function screen(h: Host) {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/bridge?token=${h.token}`);
  const replies = new Map<number, Result<unknown>>();
  let closed = false;
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as HostFrame;
    if ('result' in f && typeof f.id === 'number') replies.set(f.id, f.result);
  });
  ws.on('close', () => (closed = true));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  let next = 1;
  const call = async <T>(name: string, payload?: unknown): Promise<Result<T>> => {
    const id = next++;
    ws.send(JSON.stringify({ id, name, payload }));
    return (await waitFor(() => replies.get(id), 10_000)) as Result<T>;
  };
  return { ws, call, closed: () => closed };
}

/** Raw TCP connections that never send a byte; with `reopen`, each one closed is opened again, as the probe's hog did. */
function hog(h: Host, n: number, reopen: boolean): { sockets: Socket[]; closed: () => number; stop: () => void } {
  const sockets: Socket[] = [];
  let closed = 0;
  let stopped = false;
  const one = (): void => {
    const s = connect(h.port, '127.0.0.1');
    s.on('error', () => {});
    s.resume(); // reads what the host says (a 408), or its end would never be seen
    s.on('close', () => {
      closed++;
      if (reopen && !stopped) setTimeout(() => !stopped && one(), 100);
    });
    sockets.push(s);
  };
  for (let i = 0; i < n; i++) one();
  opened.push({ host: h, hog: sockets });
  return { sockets, closed: () => closed, stop: () => void (stopped = true) };
}

const pageLoads = async (h: Host) => (await rawHttp(h.port, { method: 'GET', path: '/', host: `127.0.0.1:${h.port}`, body: '' }, 8_000)).status;

async function signsIn(h: Host): Promise<AuthStatus | null> {
  const b = await screen(h);
  const r = await b.call<AuthStatus>('auth.login', { role: 'manager', pin: PINS.manager });
  b.ws.close();
  return r.ok ? r.value : null;
}

describe('more idle connections than the host has places', () => {
  it('a page still loads and a screen still signs in, and the screen already signed in stays open', async () => {
    // Deadlines far off, so only making room can let anyone in.
    const h = await hostWith({ idleMs: 120_000, headersMs: 120_000 });
    const desk = await screen(h);
    expect(await desk.call('auth.login', { role: 'manager', pin: PINS.manager })).toMatchObject({ ok: true });
    const held = hog(h, MAX_CONNECTIONS + 20, false);
    await waitFor(() => held.closed() >= 20, 15_000); // the places are all taken
    expect(await pageLoads(h)).toBe(200);
    expect(await signsIn(h)).toMatchObject({ role: 'manager' });
    expect(desk.closed()).toBe(false);
    expect(await desk.call('auth.status')).toMatchObject({ ok: true, value: { role: 'manager' } });
    desk.ws.close();
  });

  it('connections reopened as soon as they are closed (the probe) do not keep page loads out', async () => {
    const h = await hostWith({});
    const desk = await screen(h);
    expect(await desk.call('auth.login', { role: 'manager', pin: PINS.manager })).toMatchObject({ ok: true });
    const held = hog(h, MAX_CONNECTIONS + 44, true);
    try {
      await waitFor(() => held.closed() >= 44, 15_000);
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(await pageLoads(h));
        await sleep(300);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(await signsIn(h)).toMatchObject({ role: 'manager' });
      expect(desk.closed()).toBe(false);
    } finally {
      held.stop();
    }
    desk.ws.close();
  });
});

describe('how long a connection may hold a place without asking', () => {
  it('one that sends nothing is closed after the head deadline, long before the idle limit', async () => {
    expect(HEADERS_MS).toBeLessThanOrEqual(2_000);
    expect(IDLE_MS).toBeGreaterThan(HEADERS_MS + 6_000);
    const h = await hostWith({});
    const s = hog(h, 1, false).sockets[0]!;
    const ended = new Promise<void>((resolve) => s.once('close', () => resolve()));
    await expect(Promise.race([ended.then(() => 'closed'), sleep(HEADERS_MS + 6_000).then(() => 'still open')])).resolves.toBe('closed');
  });

  it('a bridge upgrade refused (no token) is closed even if the other end keeps its side open', async () => {
    const h = await hostWith({ idleMs: 120_000 });
    const s = connect({ port: h.port, host: '127.0.0.1', allowHalfOpen: true }); // told "401", it still never closes its side
    s.on('error', () => {});
    opened.push({ host: h, hog: [s] });
    let said = '';
    s.on('data', (d) => (said += String(d)));
    s.write(`GET /bridge HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
    await waitFor(() => said.startsWith('HTTP/1.1 401'));
    // Its end cannot tell the host let go (it sends nothing more): the host's own count says.
    const held = () => new Promise<number>((resolve, reject) => h.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    expect(await held()).toBe(1);
    await waitFor(async () => (await held()) === 0, 10_000);
  });
});
