import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Who may hold one of the host's places, and for how long: the one policy for both caps. When full, the
 * oldest connection that has shown least makes room for the new one; a screen's bridge never does. Refusing
 * the newcomer instead let any local program hold every place with idle sockets, and a kiosk or desk whose
 * bridge dropped could not get back in (it needs no token to do that: every PC user shares 127.0.0.1, so a
 * cap per peer would not help either).
 */

/**
 * Connections at once: a gym's screens on one PC (MAX_SCREENS bridges, a few page loads each) are far
 * fewer. Without a cap, idle sockets from any local program used up the process's open files (1,024 by
 * default on Linux) and the backend link failed with them.
 */
export const MAX_CONNECTIONS = 256;
/** A connection silent this long is closed: a page loading is never this quiet (a bridge, once open, is not timed out). */
export const IDLE_MS = 15_000;
/**
 * A request's head must be whole this soon after the connection opens (or after the request before it):
 * a browser sends it in one packet at once. One that has sent nothing or only part of it is closed.
 */
export const HEADERS_MS = 2_000;
/** A connection between requests is closed after this: a browser reconnects by itself when it needs to. */
export const KEEP_ALIVE_MS = 5_000;
/** Node checks its own deadlines this often (by default every 30 s, which let a drip last 40 s). */
export const SERVER_OPTIONS = { connectionsCheckingInterval: 1_000 } as const;

/**
 * What a connection has shown so far. Lower makes room first: `silent` (no request yet, or an upgrade
 * already refused), then `between` (kept alive after an answer), then `asking` (a request without the
 * token being answered). `trusted` (a bridge, or a request that carried the token) is never shed here.
 */
type Standing = 'silent' | 'between' | 'asking' | 'trusted';
const RANK: Record<Standing, number | null> = { silent: 0, between: 1, asking: 2, trusted: null };

/** The one to make room: lowest rank, oldest first (in `items`' order); null rank is never chosen. */
export function shedFirst<T>(items: Iterable<T>, rank: (item: T) => number | null): T | undefined {
  let pick: T | undefined;
  let best = Infinity;
  for (const item of items) {
    const r = rank(item);
    if (r !== null && r < best) [pick, best] = [item, r];
  }
  return pick;
}

export interface Limits {
  idleMs: number;
  headersMs: number;
  maxConnections: number;
}

export interface Places {
  /** A request head arrived on this socket; it is `between` again once answered. */
  asking(socket: Socket, res: ServerResponse): void;
  /** This socket's request carried the token, or it is now a bridge (the screen cap governs bridges). */
  trust(socket: Socket): void;
  /** An upgrade answered with a refusal: closed soon even if the other end never closes its side. */
  refused(socket: Socket): void;
}

const guarded = new WeakMap<Server, { places: Places; limits: Limits }>();

/** Guards `server`'s places with `limits`; a server guarded already (takePort's) keeps its list and takes the new limits. */
export function guardPlaces(server: Server, limits: Limits): Places {
  const known = guarded.get(server);
  if (known) {
    Object.assign(known.limits, limits);
    setDeadlines(server, known.limits);
    return known.places;
  }
  const own = { ...limits };
  const held = new Map<Socket, Standing>(); // insertion order: oldest first
  const standing = (socket: Socket, s: Standing): void => void (held.has(socket) && held.set(socket, s));

  setDeadlines(server, own);
  server.on('connection', (socket: Socket) => {
    if (held.size >= own.maxConnections) {
      const room = shedFirst(held.keys(), (s) => RANK[held.get(s)!]);
      if (!room) return void socket.destroy();
      held.delete(room);
      room.destroy();
    }
    held.set(socket, 'silent');
    // The head deadline from the connection's start, whether Node's own check (headersTimeout, every
    // connectionsCheckingInterval) counts a socket that has sent nothing or not: it does on Node 20, answering 408.
    const deadline = setTimeout(() => {
      // Once more round the event loop first: after a stall, the head may be waiting unread.
      setImmediate(() => held.get(socket) === 'silent' && socket.destroy());
    }, own.headersMs);
    deadline.unref();
    socket.once('close', () => {
      clearTimeout(deadline);
      held.delete(socket);
    });
  });

  const places: Places = {
    asking(socket, res) {
      standing(socket, 'asking');
      res.once('close', () => standing(socket, 'between'));
    },
    trust: (socket) => standing(socket, 'trusted'),
    refused(socket) {
      standing(socket, 'silent');
      setTimeout(() => socket.destroy(), own.headersMs).unref();
    },
  };
  guarded.set(server, { places, limits: own });
  return places;
}

function setDeadlines(server: Server, limits: Limits): void {
  server.timeout = limits.idleMs;
  // A request's headers dripped a byte at a time kept a connection (and its place) for Node's 60 s.
  server.headersTimeout = limits.headersMs;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
}
