/**
 * One request routed through a pool: sent to the socket the strategy picks, hedged to another if
 * that one has not acknowledged it in time, tried again elsewhere if its socket is lost. The first
 * reply wins. Objects answer the connection (no promise or closures per attempt): at 10,000
 * requests a second, per-request garbage is most of a console's heap.
 */
import type { Op } from '../../../shared/protocol';
import { UserError } from '../../../shared/result';
import type { Clock } from '../clock';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestRejected, StorageUnavailable, type RequestCallbacks } from './connection';
import type { PooledSocket } from './socket';

/** What a routed request needs from its pool. */
export interface RequestRoute {
  readonly clock: Clock;
  readonly requestTimeoutMs: number | undefined;
  pick(exclude: ReadonlySet<PooledSocket>): PooledSocket | undefined;
  /** How long a socket gets to acknowledge before the request also goes elsewhere. */
  hedgeMs(sock: PooledSocket): number;
  /** Takes a hedge from the pool's budget; false when it is spent. */
  takeHedge(): boolean;
  /** The request is over: gives back its place in flight, and every hedge it took (its hedges may hedge in turn). */
  finished(hedges: number): void;
  outcome(sock: PooledSocket, ok: boolean): void;
  changed(): void;
}

const NONE: ReadonlySet<PooledSocket> = new Set();

export class RoutedRequest {
  /** The socket tried first; a set of all tried only once a hedge or retry needs it (most requests never do). */
  private first: PooledSocket | null = null;
  private tried: Set<PooledSocket> | null = null;
  private readonly json: string;
  private settled = false;
  private outstanding = 0;
  private hedges = 0;
  private lastError: Error | null = null;

  constructor(
    private readonly route: RequestRoute,
    private readonly op: Op,
    body: unknown,
    private readonly id: string,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (e: Error) => void,
    /** What is wrong with a reply beyond its schema; the socket that sent it is blamed and another asked. */
    readonly check?: (body: unknown) => string | null,
  ) {
    this.json = JSON.stringify(body);
  }

  attempt(): void {
    const sock = this.route.pick(this.excluded());
    if (!sock) {
      if (this.outstanding === 0) this.fail(this.lastError ?? new UserError('offline', 'No backend instance is reachable right now.'));
      return;
    }
    if (this.tried) this.tried.add(sock);
    else this.first = sock;
    this.outstanding++;
    sock.routed++;
    sock.conn.requestJson(this.op, this.id, this.json, this.route.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, new Attempt(this.route, this, sock));
    this.route.changed();
  }

  private excluded(): ReadonlySet<PooledSocket> {
    if (this.tried) return this.tried;
    return this.first ? (this.tried = new Set([this.first])) : NONE;
  }

  /** An attempt's hedge timer ran out before its socket acknowledged. */
  hedge(due: number, wait: number): void {
    if (this.settled) return;
    // Fired a whole wait late: our own loop stalled, and the ack may be waiting unread. A hedge then is load, not help.
    if (this.route.clock.mono() - due > wait) return;
    // Within budget only: when everything is slow, hedging every request doubles the load that made it slow.
    if (!this.route.takeHedge()) return;
    this.hedges++;
    this.attempt();
  }

  answered(sock: PooledSocket, value: unknown): void {
    this.outstanding--;
    this.route.changed();
    this.route.outcome(sock, true);
    if (this.settle()) this.resolve(value);
  }

  failed(sock: PooledSocket, e: Error, acked: boolean): void {
    this.outstanding--;
    this.route.changed();
    if (e instanceof RequestRejected) return this.fail(e);
    // Every instance shares that storage: trying another is fair, blaming this socket's health is not.
    const storage = e instanceof StorageUnavailable;
    if (!storage) this.route.outcome(sock, false);
    this.lastError = e;
    // Acknowledged: the backend has it. Sending it again could only apply it twice (once past the
    // backend's idempotency window), so wait for the other attempts, or say so. Storage unavailable
    // says nothing was applied, so it may go again whatever came before.
    if (acked && !storage) return void (this.outstanding === 0 && this.fail(e));
    if (!this.settled) this.attempt();
  }

  private fail(e: Error): void {
    if (this.settle()) this.reject(e);
  }

  /** True the first time only: the first reply (or the last failure) wins. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.route.finished(this.hedges);
    // Copies still out on other sockets are no longer owed by their programs (a socket without one ignores it).
    if (this.tried) for (const s of this.tried) s.conn.settledElsewhere(this.id);
    return true;
  }
}

/** One socket's try at a request, answered by its connection; holds the hedge timer. */
class Attempt implements RequestCallbacks {
  private acked = false;
  private readonly timer: unknown;

  constructor(
    private readonly route: RequestRoute,
    private readonly request: RoutedRequest,
    private readonly sock: PooledSocket,
  ) {
    const wait = route.hedgeMs(sock);
    const due = route.clock.mono() + wait;
    // Judged after the loop's next read: on a console busy with a burst, the ack may be sitting unread behind this
    // timer, and a hedge then only sends the request twice.
    this.timer = route.clock.setTimeout(() => route.clock.defer(() => this.acked || this.request.hedge(due, wait)), wait);
  }

  onAck(): void {
    this.acked = true;
  }

  check(body: unknown): string | null {
    return this.request.check?.(body) ?? null;
  }

  resolve(body: unknown): void {
    this.stopHedge();
    this.request.answered(this.sock, body);
  }

  reject(err: Error): void {
    this.stopHedge();
    this.request.failed(this.sock, err, this.acked);
  }

  private stopHedge(): void {
    this.route.clock.clearTimeout(this.timer);
  }
}
