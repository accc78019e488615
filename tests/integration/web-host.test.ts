import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startCore, type Core } from '../../src/main/core/app';
import { startHost, type Host } from '../../src/main/web/host';
import { MAKE_ROOM_CLOSE, type BridgeFrame } from '../../src/shared/web-bridge';
import type { StatePatch } from '../../src/shared/state';
import { waitFor } from '../helpers/wait';
import { Session } from '../../src/main/core/auth/session';

let core: Core;
let host: Host;
const rendererDir = mkdtempSync(join(tmpdir(), 'gym-renderer-'));

beforeAll(async () => {
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'a.js'), 'export {}');
  core = await startCore({ version: 'test', dataDir: rendererDir, demoRatePerHour: 20_000 });
  host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir, newSession: core.newSession, tickets: core.tickets });
});
afterAll(async () => {
  await host.close();
  await core.stop();
});

const bridgeUrl = (token: string | null) => `ws://127.0.0.1:${host.port}/bridge${token === null ? '' : `?token=${token}`}`;

function refusedWith(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => {});
  });
}

async function client() {
  const ws = new WebSocket(bridgeUrl(host.token));
  const frames: BridgeFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as BridgeFrame));
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const call = async (name: unknown, payload?: unknown) => {
    const my = ++id;
    ws.send(JSON.stringify({ id: my, name, payload }));
    const f = await waitFor(() => frames.find((x) => 'id' in x && x.id === my));
    return (f as Extract<BridgeFrame, { id: number }>).result;
  };
  return { ws, frames, call };
}

describe('headless host', () => {
  it('binds to loopback only and prints a token URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`http://127.0.0.1:${host.port}/assets/a.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`http://127.0.0.1:${host.port}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${host.port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses the bridge without the token, with a wrong one, or from a foreign page', async () => {
    expect(await refusedWith(bridgeUrl(null))).toBe(401);
    expect(await refusedWith(bridgeUrl('wrong'))).toBe(401);
    // One character off (never the same one: a token ending in 'x' made this the right token, 1 run in 64).
    expect(await refusedWith(bridgeUrl(host.token.slice(0, -1) + (host.token.endsWith('x') ? 'y' : 'x')))).toBe(401);
    expect(await refusedWith(bridgeUrl(host.token), { origin: 'http://evil.example' })).toBe(403);
    expect(await refusedWith(bridgeUrl(host.token), { origin: `http://127.0.0.1:${host.port}` })).toBe(101);
  });

  // probe-readme18 #2: a browser's WebSocket hides the 401, so a page with an old token said "the console does
  // not answer"; it asks here instead, and tells the token's refusal from a console that is down.
  it('tells a page whether its token is this console\'s', async () => {
    const check = (token: string) => fetch(`http://127.0.0.1:${host.port}/token-check?token=${encodeURIComponent(token)}`);
    expect((await check(host.token)).status).toBe(204);
    const wrong = await check('oldtoken123');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toMatch(/not this console's/);
    // Only its own page asks, with GET (review18 L1): another site's page in this PC's browser learns nothing.
    const url = `http://127.0.0.1:${host.port}/token-check?token=${encodeURIComponent(host.token)}`;
    expect((await fetch(url, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await fetch(url, { headers: { origin: `http://127.0.0.1:${host.port}` } })).status).toBe(204);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    // A `<script src>` from another site sends no Origin, but says it is cross-site: refused, right key or wrong.
    for (const site of ['cross-site', 'same-site']) expect((await fetch(url, { headers: { 'sec-fetch-site': site, 'sec-fetch-dest': 'script' } })).status).toBe(403);
    expect((await fetch(url, { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(204);
  });

  it('dispatches the contract through the shared handler table, with clear errors', async () => {
    const c = await client();
    expect(await c.call('app.info')).toMatchObject({ ok: true, value: { demo: true, version: 'test' } });
    expect(await c.call('rm -rf')).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
    expect(await c.call('demo.setRate', { ratePerHour: 'lots' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    c.ws.send('not json');
    await waitFor(() => c.frames.some((f) => 'id' in f && f.id === -1));
    expect(await c.call('demo.setRate', { ratePerHour: 20_000 })).toEqual({ ok: true, value: { ratePerHour: 20_000 } });
    c.ws.close();
  });

  it('sends no state to a signed-out connection, and refuses its requests', async () => {
    const closed = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir, newSession: () => new Session(null), tickets: core.tickets });
    const ws = new WebSocket(`ws://127.0.0.1:${closed.port}/bridge?token=${closed.token}`);
    const frames: BridgeFrame[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as BridgeFrame));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ id: 1, name: 'state.snapshot' }));
    await waitFor(() => frames.some((f) => 'id' in f));
    await new Promise((r) => setTimeout(r, 1_000)); // check-ins are flowing meanwhile
    expect(frames.filter((f) => 'event' in f)).toHaveLength(0);
    expect(frames[0]).toMatchObject({ id: 1, result: { ok: false, error: { code: 'forbidden' } } });
    ws.close();
    await closed.close();
  });

  it('streams coalesced patches carrying live check-ins from the backend', async () => {
    const c = await client();
    const snap = await c.call('state.snapshot');
    expect(snap.ok).toBe(true);
    const t0 = Date.now();
    await waitFor(() => {
      const patches = c.frames.filter((f): f is { event: string; payload: StatePatch } => 'event' in f).map((f) => f.payload);
      return patches.some((p) => (p.feeds.checkins?.length ?? 0) > 0);
    }, 8_000);
    // Coalesced: well under one patch per check-in and within the 20/s budget.
    await new Promise((r) => setTimeout(r, 1000));
    const patches = c.frames.filter((f) => 'event' in f).length;
    expect(patches / ((Date.now() - t0) / 1000)).toBeLessThanOrEqual(25);
    c.ws.close();
  });

  it('holds at most 32 screens at once, so unread buffers stay bounded in all; a new one makes room rather than being refused', async () => {
    const open: WebSocket[] = [];
    const madeRoom: number[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const ws = new WebSocket(bridgeUrl(host.token));
        const status = await new Promise<number>((resolve) => {
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => resolve(101));
          ws.on('error', () => {});
        });
        expect(status).toBe(101);
        ws.on('close', (code) => code === MAKE_ROOM_CLOSE.code && madeRoom.push(i));
        open.push(ws);
      }
      await waitFor(() => open.filter((ws) => ws.readyState === WebSocket.OPEN).length <= 32);
      // The ones unused longest made room (the earlier tests' screens first, if still closing); the newest are all in.
      expect(madeRoom.length).toBeGreaterThan(0);
      expect(madeRoom.every((i) => i < 8)).toBe(true);
      expect(open.slice(-8).every((ws) => ws.readyState === WebSocket.OPEN)).toBe(true);
    } finally {
      for (const ws of open) ws.terminate();
    }
  });
});
