/** What the Socket.IO peer's nodes, its emitter and its client must agree on; one place each. */

export const SOCKETIO_VERSION = '4.8.4';
export const ADAPTER_VERSION = '0.3.1';

/** The documented defaults, stated: sessions kept 2 min, middlewares skipped on a recovered connect. */
export const RECOVERY = { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true } as const;

/** The adapter's own defaults for everything but the names, so two runs never share a stream. */
export function adapterOptions(stream: string): { streamName: string; sessionKeyPrefix: string } {
  return { streamName: stream, sessionKeyPrefix: `${stream}:session:` };
}

export interface PeerTuning {
  tuned: boolean;
  /** Server side (Engine.IO v4: the server pings, the client answers and times out on silence). */
  pingInterval: number;
  pingTimeout: number;
  /** Client side. */
  reconnectionDelay: number;
  reconnectionDelayMax: number;
}

/** Socket.IO as it ships: dead peer after 25 s + 20 s of silence, reconnect after 1 s × 2ⁿ up to 5 s. */
export const DEFAULTS: PeerTuning = { tuned: false, pingInterval: 25_000, pingTimeout: 20_000, reconnectionDelay: 1_000, reconnectionDelayMax: 5_000 };

/**
 * Tuned to our heartbeat budget: our console probes every 250 ms and condemns a socket after 1 s of
 * silence (the default pool), and reconnects with full jitter from 200 ms up to 5 s. The client
 * gives up pingInterval + pingTimeout after the last ping, so 250 + 750 = the same 1 s.
 */
export const TUNED: PeerTuning = { tuned: true, pingInterval: 250, pingTimeout: 750, reconnectionDelay: 200, reconnectionDelayMax: 5_000 };
