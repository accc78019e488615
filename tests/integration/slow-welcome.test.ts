import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import { waitFor } from '../helpers/wait';

let server: WebSocketServer | null = null;
let mgr: PoolManager | null = null;
afterEach(() => {
  mgr?.stop();
  server?.close();
  mgr = server = null;
});

/**
 * A backend busy for `welcomeMs` after each hello (it answers nothing then, not even WebSocket pings), then a
 * well-behaved one: welcome, pongs, an empty event stream.
 */
async function slowWelcomer(welcomeMs: number): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
  server = wss;
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => {
    let welcomed = false;
    ws.on('ping', (data) => welcomed && ws.pong(data));
    ws.on('message', (raw) => {
      const f = JSON.parse(raw.toString()) as { t: string; ts?: number };
      if (f.t === 'hello') {
        setTimeout(() => {
          welcomed = true;
          ws.send(JSON.stringify({ t: 'welcome', version: 1, instance: 'slow', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } }));
        }, welcomeMs);
      } else if (f.t === 'ping' && welcomed) ws.send(JSON.stringify({ t: 'pong', ts: f.ts, head: 0 }));
      else if (f.t === 'sub' && welcomed) ws.send(JSON.stringify({ t: 'subbed', stream: 'gym', head: 0, gap: false }));
    });
  });
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

describe('a backend slow to welcome', () => {
  it('welcoming after 1.5 s at a 250 ms health-check interval, it connects (the handshake deadline is 3 s)', async () => {
    const url = await slowWelcomer(1_500);
    const activity: PoolActivity[] = [];
    mgr = new PoolManager({
      token: 't',
      store: memoryPoolStore(),
      defaults: [{ name: 'gym', endpoints: [url], maxConnections: 1, healthCheckInterval: 250, reconnectAttempts: 3, strategy: 'round-robin' }],
      reconnectBaseMs: 20,
      reconnectCapMs: 100,
    });
    mgr.on('activity', (a) => activity.push(a));
    mgr.start();
    await waitFor(() => mgr!.connectionView().state === 'connected' || activity.some((a) => a.type === 'failed'), 8_000);
    expect(activity.filter((a) => a.type === 'failed').map((a) => a.raw)).toEqual([]);
    expect(mgr.connectionView().state).toBe('connected');
  });
});
