import type { Op } from '../../../shared/protocol';
import type { PoolManager } from '../pool/manager';
import type { PooledSocket } from '../pool/socket';
import type { Channel, ChannelSource } from './channel';
import type { Lane } from './lanes';

export interface ChannelLimits {
  /** Unacked messages per socket; lanes below realtime may use half, so check-ins always have room. */
  window: number;
  /** Send-buffer watermarks: stop feeding a socket above `high` until it drains below `low`. */
  high: number;
  low: number;
  /** An unacknowledged message is retried after this long. */
  ackTimeoutMs: number;
}

const DEFAULT_LIMITS: ChannelLimits = { window: 256, high: 1 << 20, low: 256 << 10, ackTimeoutMs: 10_000 };

/** The main pool's sockets as outbox channels, with a sliding window and send-buffer backpressure. */
export function poolChannels(mgr: PoolManager, limits: Partial<ChannelLimits> = {}): ChannelSource {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const choked = new WeakSet<PooledSocket>();
  const cache = new WeakMap<PooledSocket, Channel>();

  const flowing = (s: PooledSocket): boolean => {
    const buffered = s.conn.bufferedAmount;
    if (choked.has(s) && buffered < l.low) choked.delete(s);
    else if (!choked.has(s) && buffered > l.high) choked.add(s);
    return !choked.has(s);
  };
  const ready = (s: PooledSocket, lane: Lane): boolean =>
    s.routable && s.conn.inFlight < (lane === 'realtime' ? l.window : l.window / 2) && flowing(s);

  const channel = (s: PooledSocket): Channel => {
    let ch = cache.get(s);
    if (!ch) {
      ch = {
        id: s.id,
        ready: (lane) => ready(s, lane),
        send: (op, body, key, onReply) =>
          new Promise<void>((resolve, reject) => {
            s.routed++;
            s.conn.request(op as Op, body as never, { id: key, onAck: resolve, timeoutMs: l.ackTimeoutMs }).then((reply) => {
              resolve();
              onReply?.(reply);
            }, reject);
          }),
      };
      cache.set(s, ch);
    }
    return ch;
  };

  return {
    get(id) {
      const s = mgr.main?.sockets().find((x) => x.id === id);
      return s ? channel(s) : null;
    },
    pick(lane, avoid) {
      const pool = mgr.main;
      const s = pool?.pickWhere((x) => !avoid.has(x.id) && ready(x, lane)) ?? pool?.pickWhere((x) => ready(x, lane));
      return s ? channel(s) : null;
    },
  };
}
