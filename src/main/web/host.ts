import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeCall, BridgeFrame } from '../../shared/web-bridge';
import { BRIDGE_PATH } from '../../shared/web-bridge';
import { fail } from '../../shared/result';
import { dispatch, type Handlers } from '../core/bridge/dispatch';
import type { PatchStream } from '../core/state/patch-stream';
import { staticHandler } from './static-files';
import type { Session } from '../core/auth/session';

export interface HostOptions {
  handlers: Handlers;
  stream: PatchStream;
  rendererDir: string;
  port?: number;
  token?: string;
  /** Finished exports, downloadable at /exports/NAME?token=… */
  exportsDir?: string;
  /** Each connection signs in on its own. */
  newSession: () => Session;
}

export interface Host {
  url: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const MAX_CALL_BYTES = 256 * 1024;

/**
 * The headless host: the built renderer on 127.0.0.1, and the contract bridged over a WebSocket
 * that only opens for the per-run token. It dispatches through the same handler table as Electron IPC.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const files = staticHandler(opts.rendererDir);
  const downloads = opts.exportsDir ? staticHandler(opts.exportsDir, true) : null;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') req.url = '/icon.svg'; // browsers ask for it whatever the page links
    if (!url.pathname.startsWith('/exports/')) return void files(req, res);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (!downloads || given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end('Token required\n');
    req.url = url.pathname.slice('/exports'.length);
    void downloads(req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CALL_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const origin = req.headers.origin;
    const own = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const refuse = (status: string): void => void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    if (url.pathname !== BRIDGE_PATH) return refuse('404 Not Found');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('401 Unauthorized');
    if (origin !== undefined && origin !== own) return refuse('403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, opts));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    server,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(ws: WebSocket, opts: HostOptions): void {
  const session = opts.newSession();
  const send = (frame: BridgeFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  // State goes only to a signed-in screen; a signed-out one sees nothing but the sign-in.
  const unsubscribe = opts.stream.subscribe((patch) => session.role && send({ event: 'state.patch', payload: patch }));
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', async (data) => {
    let call: BridgeCall;
    try {
      call = JSON.parse(data.toString()) as BridgeCall;
      if (typeof call !== 'object' || call === null || typeof call.id !== 'number') throw new Error('no id');
    } catch {
      return send({ id: -1, result: fail('bad-call', 'A bridge call must be JSON {id:number, name, payload}.') });
    }
    send({ id: call.id, result: await dispatch(opts.handlers, call.name, call.payload, { transport: 'web', session }) });
  });
}
