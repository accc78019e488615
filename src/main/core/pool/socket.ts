import { BackendConnection, type ConnectionOptions } from './connection';
import { HealthTracker } from './health';
import type { SocketView } from '../../../shared/pools';
import type { InstanceLoad } from '../../../shared/protocol';

let nextId = 1;

/** How recently frames must have waited on the console for the socket to count as behind (frames come in bursts). */
const BEHIND_RECENT_MS = 1_000;

/** A pooled socket: one connection plus what routing needs to know about it. */
export class PooledSocket {
  readonly id = `s${nextId++}`;
  readonly conn: BackendConnection;
  readonly health: HealthTracker;
  routed = 0;
  subscribed = false;
  /** Leaving the pool: finishes what it carries, takes nothing new. */
  draining = false;
  /** Closed by the console for what its instance said (a stream that disagrees): reconnected after a backoff, not at once. */
  faulted = false;
  /**
   * Its instance's program was found stuck (a socket closed for its silence while its WebSocket answered) and has
   * answered nothing since on any socket, or, beside one that was, has answered nothing on this one yet: out of
   * rotation, since its requests would wait. Set by the pool.
   */
  stuckNow: () => boolean = () => false;
  /** Its own program was found stuck (not merely presumed beside one): set by the pool. */
  knownStuck: () => boolean = () => false;
  /** Its program has answered on it since its welcome (set by the pool). */
  programHeard = false;

  get stuck(): boolean {
    return this.stuckNow();
  }

  /** Which backend program behind its address it reaches: the instance its welcome named ('' for none, or before it). */
  get programKey(): string {
    return this.conn.instance ?? '';
  }

  constructor(
    readonly endpoint: string,
    opts: ConnectionOptions,
    private readonly mono: () => number,
    recentDisconnects: () => number,
  ) {
    this.conn = new BackendConnection(endpoint, opts);
    this.health = new HealthTracker(mono, recentDisconnects, () => this.conn.replyMs);
  }

  get open(): boolean {
    return this.conn.state === 'open';
  }

  get inFlight(): number {
    return this.conn.inFlight;
  }

  /** The instance's own report of its load (protocol v2), for routing across consoles. */
  get load(): InstanceLoad | null {
    return this.open ? this.conn.load : null;
  }

  get score(): number {
    return this.open ? this.health.score : 0;
  }

  /**
   * Frames of this socket waited on the console within the last second (a burst of events): an answer sent on it
   * would be read only behind them, so requests go to another socket while one can take them.
   */
  get behind(): boolean {
    return this.conn.waitedOnUs(this.mono() - BEHIND_RECENT_MS);
  }

  get routable(): boolean {
    return this.open && !this.draining && !this.stuck && this.health.inRotation;
  }

  view(): SocketView {
    return {
      id: this.id,
      endpoint: this.endpoint,
      state: this.conn.state,
      score: this.score,
      inputs: {
        latencyMs: this.health.latencyMs,
        errorRate: this.health.errorRate,
        uptimeS: this.open ? this.health.uptimeS : 0,
        recentDisconnects: this.health.disconnects,
        deadlineMs: this.conn.heartbeat.deadlineMs,
        deadlineLearned: !this.conn.heartbeat.learning,
      },
      protocol: this.conn.version,
      load: this.load,
      inRotation: this.routable,
      outBecause: !this.open ? null : this.stuck ? 'stuck' : this.health.outBecause,
      inFlight: this.inFlight,
      rttMs: this.conn.rttMs,
      routed: this.routed,
      subscribed: this.subscribed,
    };
  }
}
