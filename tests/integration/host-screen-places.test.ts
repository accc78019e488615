import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startCore, type Core } from '../../src/main/core/app';
import { startHost, type Host } from '../../src/main/web/host';
import { MAKE_ROOM_CLOSE, MAX_SCREENS } from '../../src/shared/web-bridge';

// probe-hostile18 F1: on a kiosk (and the demo) every bridge has a role from the start, so 32 idle token-only
// sockets took every screen place and each real screen after them was refused (503) for as long as they stayed.
let core: Core;
let host: Host;
const notes: string[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'gym-screens-'));
const KEEPALIVE_MS = 300;

beforeAll(async () => {
  writeFileSync(join(dataDir, 'index.html'), '<!doctype html><title>t</title>');
  core = await startCore({ version: 'test', dataDir, demoRatePerHour: 0, kiosk: true });
  host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir: dataDir, newSession: core.newSession, tickets: core.tickets, keepaliveMs: KEEPALIVE_MS, note: (l) => void notes.push(l) });
});
afterAll(async () => {
  await host.close();
  await core.stop();
});

async function screen() {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`);
  const refused = new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  const opened = await Promise.race([new Promise<true>((r) => ws.once('open', () => r(true))), refused]);
  if (opened !== true) throw new Error(`screen refused: ${opened}`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  let id = 0;
  const call = (name: string) =>
    new Promise<{ ok: boolean; value?: unknown }>((resolve) => {
      const mine = ++id;
      const on = (d: WebSocket.RawData) => {
        const f = JSON.parse(String(d)) as { id?: number; result?: { ok: boolean; value?: unknown } };
        if (f.id === mine) {
          ws.off('message', on);
          resolve(f.result!);
        }
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ id: mine, name }));
    });
  return { ws, closed, call };
}

describe('screen places on a kiosk, where every connection has a role at once', () => {
  it('every place held by idle connections: a real screen still gets in; the one unused longest makes room, and is told why', async () => {
    const held: Awaited<ReturnType<typeof screen>>[] = [];
    try {
      await kioskHeld(held);
    } finally {
      for (const h of held) h.ws.terminate();
    }
  });

  async function kioskHeld(held: Awaited<ReturnType<typeof screen>>[]): Promise<void> {
    for (let i = 0; i < MAX_SCREENS; i++) held.push(await screen());
    expect(await held[1]!.call('auth.status')).toMatchObject({ ok: true, value: { role: 'kiosk' } });
    // held[0] opened first but held[1] has been used since: held[0] is the one unused longest.
    for (const h of held.slice(1)) await h.call('app.info');
    const real = await screen(); // refused with 503 before, again and again
    expect(await real.call('auth.status')).toMatchObject({ ok: true, value: { role: 'kiosk' } });
    expect(await held[0]!.closed).toEqual({ code: MAKE_ROOM_CLOSE.code, reason: MAKE_ROOM_CLOSE.reason });
    expect(held.slice(1).every((h) => h.ws.readyState === WebSocket.OPEN)).toBe(true);
    expect(notes.join('\n')).toMatch(/a screen was closed to make room for new ones: 32 screens \(browser windows or tabs\) were open to this console/);
    // And again: each newcomer gets in, whoever holds the places.
    const another = await screen();
    held.push(real, another);
    expect(await another.call('app.info')).toMatchObject({ ok: true });
  }

  it('a bridge that stops answering the host\'s keepalive is closed, so it cannot hold a place', async () => {
    const stuck = await screen();
    const alive = await screen();
    stuck.ws.pause(); // reads nothing more: its pongs never come
    // One that reads answers every ping by itself and stays, though it sends nothing.
    await new Promise((r) => setTimeout(r, 5 * KEEPALIVE_MS));
    stuck.ws.resume(); // it finds its connection already closed by the host (with no close frame: it was not reading)
    const gone = await Promise.race([stuck.closed, new Promise<null>((r) => setTimeout(() => r(null), 2_000))]);
    expect(gone?.code).toBe(1006);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    expect(await alive.call('app.info')).toMatchObject({ ok: true });
    stuck.ws.terminate();
    alive.ws.terminate();
  });
});
