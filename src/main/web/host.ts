import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, EXPORTS_PATH, MAX_UPLOAD_BYTES, TOKEN_CHECK_PATH, UPLOAD_PATH } from '../../shared/web-bridge';
import type { Handlers } from '../core/bridge/dispatch';
import type { PatchStream } from '../core/state/patch-stream';
import type { ExportInbox } from '../core/analytics/export-inbox';
import { staticHandler } from './static-files';
import type { Session, TellScreen } from '../core/auth/session';
import { decodedPath, ownHost, ownOrigin, requestUrl, tokenMatches } from './request-guard';
import { serveBridge } from './bridge-socket';
import { receiveUpload } from './uploads';
import type { FileTickets } from '../core/auth/file-tickets';
import { guardPlaces, HEADERS_MS, IDLE_MS, MAX_CONNECTIONS, SERVER_OPTIONS } from './connection-places';
import { screenPlaces } from './screen-places';

export interface HostOptions {
  handlers: Handlers;
  stream: PatchStream;
  rendererDir: string;
  port?: number;
  token?: string;
  /** Finished exports, downloadable at /exports/NAME?token=…&ticket=… */
  exportsDir?: string;
  /** Where uploaded exports wait for review; without it there is no /uploads. */
  inbox?: ExportInbox;
  maxUploadBytes?: number;
  /** Each connection signs in on its own; `tell` reaches it when it is signed out from elsewhere. */
  newSession: (tell?: TellScreen) => Session;
  /** A server already listening (takePort): the host serves on it instead of listening itself. */
  server?: Server;
  /**
   * A download or an upload also needs a ticket from the bridge: the token is every screen's (a
   * kiosk's too), the ticket only a screen's whose role may export (download) or open exports (upload).
   */
  tickets: FileTickets;
  /** A connection silent this long is closed (IDLE_MS; tests use less). */
  idleMs?: number;
  /** A request's headers must be whole within this (HEADERS_MS; tests use less). */
  headersMs?: number;
  /** A bridge that has not answered the host's ping of this long ago is closed (KEEPALIVE_MS; tests use less). */
  keepaliveMs?: number;
  /** A line for IT in the console's log (stderr without it). */
  note?: (line: string) => void;
}

export interface Host {
  url: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const MAX_CALL_BYTES = 256 * 1024;
const STALE_DOWNLOAD = 'This download needs a manager signed in on the Analytics tab, and each Download button press works once, for a minute: press Download there again.';
const STALE_UPLOAD = 'Opening an export needs a front desk or manager sign-in, and each file chosen may be sent once, within a minute: choose the file again on the Analytics tab.';

const text = (res: ServerResponse, status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${body}\n`);

/**
 * The headless host: the built renderer on 127.0.0.1, and the contract bridged over a WebSocket
 * that only opens for the token (kept per data dir by the CLI; without one, a fresh one for this run). It dispatches through the same handler table as Electron IPC.
 * No request can bring it down: every path answers, and every failure is logged and answered.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const files = staticHandler(opts.rendererDir);
  const downloads = opts.exportsDir ? staticHandler(opts.exportsDir, true) : null;
  let port = 0;
  const server = opts.server ?? createServer(SERVER_OPTIONS);
  const places = guardPlaces(server, limitsOf(opts));
  /** A request that carried the token is a screen's: its connection is not shed while it is answered. */
  const tokenIn = (req: IncomingMessage, url: URL): boolean => {
    const ok = tokenMatches(url.searchParams.get('token'), expected);
    if (ok) places.trust(req.socket as Socket);
    return ok;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!ownHost(req.headers.host, port)) return text(res, 421, 'Open the address the console printed (http://127.0.0.1:PORT).');
    const url = requestUrl(req);
    if (!url) return text(res, 400, 'Bad address');
    if (url.pathname === '/favicon.ico') req.url = '/icon.svg'; // browsers ask for it whatever the page links
    if (url.pathname === TOKEN_CHECK_PATH) {
      // Asked by the console's own page (and port-holder) with GET: another site's page cannot use it to learn a key.
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      // A `<script src>` from another site sends no Origin, but its browser says where it comes from (probe-hostile19 G6).
      const site = req.headers['sec-fetch-site'];
      if (!ownOrigin(req.headers.origin, port) || (site !== undefined && site !== 'same-origin' && site !== 'none')) return text(res, 403, `Open the address the console printed (http://127.0.0.1:${port}/…).`);
      return tokenCheck(res, tokenMatches(url.searchParams.get('token'), expected));
    }
    if (url.pathname === UPLOAD_PATH) {
      if (req.method !== 'POST') return void res.writeHead(405).end();
      if (!opts.inbox || !tokenIn(req, url)) return text(res, 401, 'Token required');
      if (!opts.tickets.take(url.searchParams.get('ticket'), { kind: 'upload' })) return void res.writeHead(403, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ error: STALE_UPLOAD }));
      return receiveUpload(req, res, url, opts.inbox, opts.maxUploadBytes ?? MAX_UPLOAD_BYTES);
    }
    if (!url.pathname.startsWith(EXPORTS_PATH)) return files(req, res);
    if (!downloads || !tokenIn(req, url)) return text(res, 401, 'Token required');
    const name = decodedPath(url.pathname.slice(EXPORTS_PATH.length));
    if (name === null) return text(res, 400, 'Bad address');
    if (!opts.tickets.take(url.searchParams.get('ticket'), { kind: 'download', name })) return text(res, 403, STALE_DOWNLOAD);
    req.url = url.pathname.slice(EXPORTS_PATH.length - 1);
    return downloads(req, res);
  };
  // Whatever answered while the console was starting steps aside.
  server.removeAllListeners('request');
  server.removeAllListeners('upgrade');
  server.on('request', (req, res) => {
    places.asking(req.socket as Socket, res);
    route(req, res).catch((e: Error) => {
      process.stderr.write(`console: request ${req.method} failed: ${e.stack ?? e.message}\n`);
      if (res.headersSent) res.destroy();
      else text(res, 500, 'The console could not answer; it has been logged.');
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CALL_BYTES, perMessageDeflate: false });
  const sessions = new WeakMap<WebSocket, Session>();
  const note = opts.note ?? ((line: string) => void process.stderr.write(`console: ${line}\n`));
  const screens = screenPlaces({ keepaliveMs: opts.keepaliveMs, note });

  server.on('upgrade', (req, socket, head) => {
    try {
      upgrade(req, socket, head);
    } catch (e) {
      process.stderr.write(`console: bridge upgrade failed: ${(e as Error).stack}\n`);
      socket.destroy();
    }
  });
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      places.refused(socket as Socket);
    };
    socket.on('error', () => socket.destroy());
    if (!ownHost(req.headers.host, port)) return refuse('403 Forbidden');
    const url = requestUrl(req);
    if (!url || url.pathname !== BRIDGE_PATH) return refuse('404 Not Found');
    if (!tokenMatches(url.searchParams.get('token'), expected)) return refuse('401 Unauthorized');
    if (!ownOrigin(req.headers.origin, port)) return refuse('403 Forbidden');
    // Each screen may hold up to 16 MB it has not read: a cap on screens keeps the whole bounded. When
    // full, the bridge unused longest makes room: a new screen is never refused.
    screens.makeRoom();
    // A bridge is never shed for a connection without the token: the screen cap above governs bridges.
    places.trust(socket as Socket);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sessions.set(ws, serveBridge(ws, opts));
      screens.add(ws, () => Boolean(sessions.get(ws)?.role), () => places.refused(socket as Socket));
    });
  };

  if (!server.listening) await listenOn(server, opts.port ?? 0);
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    server,
    async close() {
      screens.stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The answer to a page asking whether its token is this console's: it then says "old address", not "console down". */
function tokenCheck(res: ServerResponse, ok: boolean): void {
  if (ok) return void res.writeHead(204, { 'cache-control': 'no-store' }).end();
  res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end("This address's token is not this console's: open the address the console printed.\n");
}

const limitsOf = (opts: { idleMs?: number; headersMs?: number }) => ({ idleMs: opts.idleMs ?? IDLE_MS, headersMs: opts.headersMs ?? HEADERS_MS, maxConnections: MAX_CONNECTIONS });

function listenOn(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (e: Error): void => reject(e);
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/**
 * Takes the port before anything else is done, so a port in use refuses the start before the data folder is
 * set up or saved to. Until startHost takes the server over, anyone asking is told the console is starting.
 */
export async function takePort(port: number): Promise<Server> {
  const server = createServer(SERVER_OPTIONS, (req, res) => {
    places.asking(req.socket as Socket, res);
    text(res, 503, 'The console is starting; reload in a moment.');
  });
  const places = guardPlaces(server, limitsOf({}));
  server.on('upgrade', (_req, socket: Duplex) => {
    socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
    places.refused(socket as Socket);
  });
  await listenOn(server, port);
  return server;
}
