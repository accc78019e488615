import type { Op } from '../../../shared/protocol';
import type { PoolManager } from '../pool/manager';
import type { PooledSocket } from '../pool/socket';
import { RequestFailed, RequestRejected, type RequestCallbacks } from '../pool/connection';
import { opWords } from '../../../shared/words';
import { backendId } from '../../../shared/backend-text';
import type { Channel, ChannelSource, SendHandlers } from './channel';
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

/**
 * A lane keeps to one socket, so its throughput is at most window ÷ round trip: 1,024 (512 below
 * realtime) holds 40,000 messages a second even at a 12 ms round trip on a busy PC. Bytes are
 * bounded by the watermarks, not by the window.
 */
const DEFAULT_LIMITS: ChannelLimits = { window: 1024, high: 1 << 20, low: 256 << 10, ackTimeoutMs: 10_000 };

/**
 * One message's outcome on the wire, told to its handlers once: an ack (or a reply, which implies one), or a failure.
 * A reply's members the console could not read are told to the manager here, where the outbox's replies come in.
 */
class Delivery implements RequestCallbacks {
  private acked = false;
  constructor(
    private readonly h: SendHandlers,
    private readonly op: Op,
    private readonly key: string,
    private readonly mgr: PoolManager,
    /** What was sent, read only on a refusal after the ack: the card it was for, so staff can find the visit. */
    private readonly bodyJson: string,
  ) {}

  onAck(): void {
    if (this.acked) return;
    this.acked = true;
    this.h.acked();
  }

  resolve(reply: unknown): void {
    this.onAck();
    this.mgr.leftOut(this.op, reply); // a check-in's member record unreadable: told once, for IT
    this.h.replied(reply);
  }

  /**
   * A refusal after the ack breaks the protocol (a refusal comes without one): it cannot unsend the message, which
   * this PC counted as delivered, so the backend's error is told for IT, naming the message, or it is lost unseen (probe24 P3).
   */
  reject(e: Error): void {
    if (this.acked) {
      // A refusal or a failure, in the backend's words; a socket lost after the ack is no refusal (the reply was lost, not the message).
      if (e instanceof RequestRejected || e instanceof RequestFailed) {
        const words = (e instanceof RequestFailed ? e.detail : (e.extra?.detail as string | undefined)) ?? e.message;
        this.mgr.answerWrong(ackedThenRefusedWords(this.op, this.key, cardOf(this.bodyJson)), `${this.op} ${this.key}: acknowledged, then refused (${e.code}): ${words}`);
        this.h.refusedAfterAck?.();
      }
      return;
    }
    this.acked = true;
    this.h.failed(e);
  }
}

/** What IT reads when the gym system took a message and then refused it: which one, and what to check. */
export const ackedThenRefusedWords = (op: Op, key: string, card: string | null = null): string =>
  `${opWords(op)}${card ? ` of card ${card}` : ''} (${key.slice(0, 8)}) was accepted by the gym's system and then refused by it. This PC counted it as delivered and will not send it again: check in the gym's system whether it is there${op === 'checkin' ? ', and enter the visit there by hand if it is needed' : ''}. The log file has the system's own words.`;

/** The card a check-in's body names, as staff read it; null for anything else. */
function cardOf(bodyJson: string): string | null {
  try {
    const card = (JSON.parse(bodyJson) as { cardId?: unknown }).cardId;
    return typeof card === 'string' ? backendId(card) : null;
  } catch {
    return null;
  }
}

/** The main pool's sockets as outbox channels, with a sliding window and send-buffer backpressure. */
export function poolChannels(mgr: PoolManager, limits: Partial<ChannelLimits> = {}): ChannelSource {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const choked = new WeakSet<PooledSocket>();
  const cache = new WeakMap<PooledSocket, Channel>();
  let last: PooledSocket | null = null;

  const flowing = (s: PooledSocket): boolean => {
    const buffered = s.conn.bufferedAmount;
    if (choked.has(s) && buffered < l.low) choked.delete(s);
    else if (!choked.has(s) && buffered > l.high) choked.add(s);
    return !choked.has(s);
  };
  // Out of rotation is still better than nothing when it is all there is (as routed requests have it):
  // a backend answering every request in 1.5 s took every socket out for slowness, and the outbox then
  // sent nothing at all while the screens said "connected" (walkthrough 13b).
  const noneInRotation = (): boolean => !(mgr.main?.anyInRotation ?? false);
  // A program known stuck answers nothing: while another socket is on its way back (a sibling's blip), check-ins wait
  // for it rather than pin their lane there for an ack timeout (probe-hostile20 H4); else it is all there is.
  const usable = (s: PooledSocket): boolean => s.routable || (s.open && !s.draining && noneInRotation() && !(s.knownStuck() && (mgr.main?.comingBack ?? false)));
  const open = (s: PooledSocket, lane: Lane): boolean => usable(s) && s.conn.inFlight < (lane === 'realtime' ? l.window : l.window / 2) && flowing(s);
  // A socket whose frames still wait on the console (an event flood) would read an answer only behind them: another
  // socket takes the message while one can (probe-hostile15 R2: a check-in held there was decided offline).
  const ready = (s: PooledSocket, lane: Lane): boolean => open(s, lane) && (!s.behind || !(mgr.main?.sockets().some((x) => x !== s && !x.behind && open(x, lane)) ?? false));

  const channel = (s: PooledSocket): Channel => {
    let ch = cache.get(s);
    if (!ch) {
      ch = {
        id: s.id,
        ready: (lane) => ready(s, lane),
        send: (op, bodyJson, key, h) => {
          s.routed++;
          s.conn.requestJson(op, key, bodyJson, l.ackTimeoutMs, new Delivery(h, op, key, mgr, bodyJson));
        },
      };
      cache.set(s, ch);
    }
    return ch;
  };

  return {
    get(id) {
      // Asked once per message for the lane's pinned socket: found without listing the pool while it is open.
      if (last?.id === id && last.open) return channel(last);
      const s = mgr.main?.sockets().find((x) => x.id === id);
      if (s) last = s;
      return s ? channel(s) : null;
    },
    pick(lane, avoid) {
      const pool = mgr.main;
      const s =
        pool?.pickWhere((x) => !avoid.has(x.id) && ready(x, lane)) ??
        pool?.pickWhere((x) => ready(x, lane)) ??
        // Out of rotation, one merely not heard from yet before one whose program is known stuck (review20b H1).
        (noneInRotation() ? (pool?.sockets().find((x) => !x.knownStuck() && ready(x, lane)) ?? pool?.sockets().find((x) => ready(x, lane))) : undefined);
      return s ? channel(s) : null;
    },
  };
}
