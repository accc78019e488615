import { EventEmitter } from 'node:events';
import type { Replies, SequencedEvent } from '../../../shared/protocol';
import type { Clock } from '../clock';
import type { PooledSocket } from './socket';
import { StorageUnavailable } from './connection';

/** Early events held while a hole is replayed: bounded by count and by memory, whatever the peer sends. */
const MAX_AHEAD = 10_000;
const MAX_AHEAD_BYTES = 8 * 1024 * 1024;
/** A hole a replay has not filled in this long never will: what waits past it was never real, or is replayed anyway. */
const MAX_HOLD_MS = 10_000;
/** How long a replay request may go unanswered before it is asked again. */
const RESUB_AFTER_MS = 500;

interface Subscriber {
  /** Last seq this socket delivered; a jump means it dropped frames. */
  lastDelivered: number | undefined;
  awaiting: boolean;
  sentAt: number;
  /** The `after` of each `sub` sent and not yet answered, oldest first: a `subbed` nobody asked for is ignored, never a resync. */
  unanswered: number[];
  /** The highest head this socket's pongs have shown, in this numbering of the stream. */
  highest: number;
}

export type ContinuityLoss = 'gap' | 'renumbered';

type FeedEvents = {
  /** Applied exactly once, in sequence order. */
  event: [SequencedEvent];
  /** A full picture of the gym: at start, and after continuity was lost. */
  resync: [Replies['snapshot']];
  /** `renumbered`: the backend's stream started over from 1; `gap`: it could not replay what was missed. */
  continuityLost: [ContinuityLoss];
  failover: [{ from: string; to: string | null }];
  change: [];
};

/**
 * Within this of a renumbering, an instance that goes back to a numbering the console left, or that holds less than
 * was applied in the same numbering, disagrees with the stream just taken (two logs, a hostile backend): it is cut
 * off (and reconnects only after a backoff), since following it replayed everything again, 20 times a second.
 */
export const RENUMBER_AGAIN_MS = 60_000;
/** Numberings left behind, remembered with the last seq applied in each: a bounded few. */
const LEFT_EPOCHS = 16;
const DISAGREES = 'its event numbering disagrees with the stream the console follows';

/** What a `subbed` said that made it a renumbering, checked against the claimant's own snapshot before it is believed. */
interface Claim {
  epoch: string | undefined;
  after: number;
}

/**
 * The gym's event stream, held on `redundancy` sockets on distinct endpoints at once, so losing one
 * costs nothing: the other is already streaming. Events are applied once, in order: duplicates are
 * dropped by seq, early arrivals wait in a bounded buffer, holes are replayed from the last applied
 * seq, and a replay the server can no longer serve is a continuity-lost and a full resync.
 * A stream that was renumbered (its epoch changed, or its head fell below what was applied) is one
 * too, and its events are then applied from its start: by seq alone they would look old.
 */
export class EventFeed extends EventEmitter<FeedEvents> {
  private readonly subs = new Map<PooledSocket, Subscriber>();
  /** In arrival order, so the first entry is the one held longest. */
  private readonly ahead = new Map<number, { e: SequencedEvent; bytes: number; at: number }>();
  private aheadBytes = 0;
  /** Times the early-event buffer overflowed and was dropped for a replay. */
  overflows = 0;
  /** Times events held past a hole were let go because the hole outlived MAX_HOLD_MS. */
  heldTooLong = 0;
  private lastSeq = -1; // -1: never synced
  /** The numbering `lastSeq` belongs to (see `epoch` in docs/protocol.md); undefined from a backend that sends none. */
  private epoch: string | undefined;
  /** A renumbering is being resynced: the next snapshot's stream is applied from its start. */
  private fromStart = false;
  /** When the stream was last taken as renumbered (monotonic ms). */
  private renumberedAt = -Infinity;
  /** Numberings followed and left, with the last seq applied in each: a return resumes there, never applying twice. */
  private readonly left = new Map<string, number>();
  private resyncing = false;
  /** The console is shutting down: its sockets close one by one, and none should be chosen to replace another. */
  private stopped = false;
  continuityLost = 0;
  /** The newest seq a subscribed instance last reported (its pong's head): how far behind the feed is. */
  head = 0;

  constructor(
    private readonly candidates: () => PooledSocket[],
    private readonly clock: Clock,
    private readonly redundancy = 2,
  ) {
    super();
  }

  get applied(): number {
    return Math.max(0, this.lastSeq);
  }

  /** Listens to a socket as soon as it opens; it only counts once it is chosen as a subscriber. */
  attach(sock: PooledSocket): void {
    sock.conn.on('event', (e, bytes) => this.onEvent(sock, e, bytes));
    sock.conn.on('subbed', (s) => this.onSubbed(sock, s));
    sock.conn.on('pong', ({ head }) => {
      if (!this.subs.has(sock)) return;
      this.expireAhead();
      this.head = head;
      const st = this.subs.get(sock)!;
      // An instance's head never goes back unless its log started over: ask it, and its replay's head says so.
      if (head > this.lastSeq || head < st.highest) this.behind(sock);
      st.highest = Math.max(st.highest, head);
    });
    // Most sockets open into a feed already held: they change nothing, and ensure may walk every socket.
    if (!this.heldWithout(sock)) this.ensure();
  }

  /** The subscribers are let go, and closing sockets are not replaced, until `start`. */
  stop(): void {
    this.stopped = true;
    for (const s of this.subs.keys()) s.subscribed = false;
    this.subs.clear();
  }

  start(): void {
    this.stopped = false;
  }

  /**
   * True when `sock` could change nothing (ensure's rules, for one newcomer): every subscriber in
   * place and open, on distinct endpoints or sharing one while `sock` offers no other, and none out
   * of rotation that `sock` could replace without giving up an instance.
   */
  private heldWithout(sock: PooledSocket): boolean {
    if (this.subs.size < this.redundancy) return false;
    const subs = [...this.subs.keys()];
    for (const s of subs) {
      if (!s.open || s.draining) return false;
      if (!s.routable && sock.routable && !subs.some((o) => o !== s && o.endpoint === sock.endpoint)) return false;
    }
    const endpoints = new Set(subs.map((s) => s.endpoint));
    return endpoints.size === subs.length || endpoints.has(sock.endpoint);
  }

  detach(sock: PooledSocket): void {
    if (!this.subs.delete(sock)) return;
    sock.subscribed = false;
    this.ensure();
    this.emit('failover', { from: sock.endpoint, to: [...this.subs.keys()][0]?.endpoint ?? null });
  }

  /** Keeps `redundancy` healthy subscribers on distinct endpoints, moving off degraded ones. */
  ensure(): void {
    if (this.stopped) return;
    // Listed only when needed: this runs as each socket opens, and with its subscribers in place it
    // needs no list at all (a list of every socket per opening was quadratic at 1,000 sockets).
    let listed: PooledSocket[] | null = null;
    const open = (): PooledSocket[] => (listed ??= this.candidates().filter((s) => s.open && !s.draining));
    const usedBy = (except?: PooledSocket): Set<string> => new Set([...this.subs.keys()].filter((x) => x !== except).map((x) => x.endpoint));
    const gone = [...this.subs.keys()].filter((s) => !s.open || s.draining);
    for (const s of gone) this.drop(s);
    this.fill(open);
    // Moved off a draining socket: a failover too (a closed one's was told when it detached).
    for (const s of gone) if (s.open) this.emit('failover', { from: s.endpoint, to: [...this.subs.keys()].at(-1)?.endpoint ?? null });
    // Instances first, rotation second: two subscribers on one instance lose the stream with it, so
    // one out of rotation is moved only to a socket in rotation on an instance no other subscriber holds.
    for (const s of [...this.subs.keys()]) {
      if (s.routable) continue;
      const held = usedBy(s);
      const to = best(open().filter((o) => !this.subs.has(o) && o.routable && !held.has(o.endpoint)));
      if (!to) continue;
      this.drop(s);
      this.add(to);
      this.emit('failover', { from: s.endpoint, to: to.endpoint }); // moved off a degraded socket: a failover too
    }
    // Two subscribers on one instance while another instance is up (it came up later): spread them, so
    // losing one instance never costs the stream. The one kept streams on; the moved one replays from lastSeq.
    const subs = [...this.subs.keys()];
    const shared = subs.find((s, i) => subs.some((o, j) => j < i && o.endpoint === s.endpoint));
    const held = usedBy();
    if (shared && open().some((o) => !held.has(o.endpoint))) {
      this.drop(shared);
      this.fill(open);
    }
    this.emit('change');
  }

  /** Up to `redundancy` subscribers: a fresh instance first, then one in rotation, then the best score. */
  private fill(open: () => PooledSocket[]): void {
    while (this.subs.size < this.redundancy) {
      const used = new Set([...this.subs.keys()].map((x) => x.endpoint));
      const next = open()
        .filter((x) => !this.subs.has(x))
        .sort((a, b) => Number(used.has(a.endpoint)) - Number(used.has(b.endpoint)) || Number(b.routable) - Number(a.routable) || b.score - a.score)[0];
      if (!next) return;
      this.add(next);
    }
  }

  private add(sock: PooledSocket): void {
    this.subs.set(sock, { lastDelivered: undefined, awaiting: false, sentAt: 0, unanswered: [], highest: 0 });
    sock.subscribed = true;
    if (this.lastSeq < 0) void this.resync(sock, null);
    else if (!this.resyncing) this.subscribe(sock, this.lastSeq);
  }

  /** Recovery: asks every subscribed instance again for what follows the last applied event. */
  resubscribe(): number {
    if (this.resyncing || this.lastSeq < 0) return 0;
    for (const sock of this.subs.keys()) if (sock.open) this.subscribe(sock, this.lastSeq);
    return this.subs.size;
  }

  private drop(s: PooledSocket): void {
    this.subs.delete(s);
    s.subscribed = false;
    if (s.open) s.conn.unsubscribe();
  }

  private subscribe(sock: PooledSocket, after: number): void {
    const st = this.subs.get(sock);
    if (!st) return;
    Object.assign(st, { awaiting: true, sentAt: this.clock.mono(), lastDelivered: undefined });
    st.unanswered.push(after);
    sock.conn.subscribe(after);
  }

  private onSubbed(sock: PooledSocket, { head, gap, epoch }: { head: number; gap: boolean; epoch?: string }): void {
    const st = this.subs.get(sock);
    const after = st?.unanswered.shift();
    if (after === undefined || this.resyncing) return;
    st!.awaiting = false;
    // The replay's head is the log's own (never an instance's lagging view), read after the `sub`:
    // below the `after` it answers, the log started over, as a new epoch says outright.
    if ((epoch !== undefined && this.epoch !== undefined && epoch !== this.epoch) || head < after) {
      // A new numbering (a Redis restarted empty, however often) is believed once the instance's snapshot shows the
      // same. Soon after a renumbering, one going back to a numbering left, or shrinking the same one, is flip-flop.
      const recent = this.clock.mono() - this.renumberedAt < RENUMBER_AGAIN_MS;
      if (recent && epoch !== undefined && (epoch === this.epoch || this.left.has(epoch))) return this.cut(sock);
      void this.resync(sock, 'renumbered', { epoch, after });
    } else if (gap) void this.resync(sock, 'gap');
    else this.epoch ??= epoch;
  }

  /** Closed as at fault: the pool backs off before it reconnects, as after a failed connect. */
  private cut(sock: PooledSocket): void {
    sock.faulted = true;
    sock.conn.close(DISAGREES, 'Reopened later: this backend instance numbers live events differently from the others.');
  }

  /** The claimant's snapshot shows the numbering it claimed: a new epoch, or (none named) a log shorter than was applied. */
  private agrees(snap: Replies['snapshot'], claim: Claim): boolean {
    if (claim.epoch !== undefined) return snap.epoch === claim.epoch;
    return snap.head < claim.after || (snap.epoch !== undefined && snap.epoch !== this.epoch);
  }

  /** Leaves the numbering applied so far for `next`: remembers where it stood, in case it comes back. */
  private leave(next: string | undefined): number {
    if (this.epoch !== undefined && next !== this.epoch) {
      this.left.delete(this.epoch);
      this.left.set(this.epoch, this.lastSeq);
      if (this.left.size > LEFT_EPOCHS) this.left.delete(this.left.keys().next().value!);
    }
    const resume = next === undefined ? undefined : this.left.get(next);
    if (next !== undefined) this.left.delete(next);
    return resume ?? 0;
  }

  private onEvent(sock: PooledSocket, e: SequencedEvent, bytes: number): void {
    const st = this.subs.get(sock);
    if (!st || this.resyncing || this.lastSeq < 0) return;
    const skipped = st.lastDelivered !== undefined && e.seq > st.lastDelivered + 1;
    st.lastDelivered = e.seq;
    if (e.seq <= this.lastSeq) return; // the other subscriber, or a replay, got here first
    if (e.seq > this.lastSeq + 1) {
      if (this.ahead.has(e.seq)) return;
      if (this.ahead.size >= MAX_AHEAD || this.aheadBytes + bytes > MAX_AHEAD_BYTES) return this.overflow();
      this.ahead.set(e.seq, { e, bytes, at: this.clock.mono() });
      this.aheadBytes += bytes;
      if (skipped) this.behind(sock);
      return;
    }
    this.apply(e);
    for (let next = this.ahead.get(this.lastSeq + 1); next; next = this.ahead.get(this.lastSeq + 1)) {
      this.forget(next.e.seq);
      this.apply(next.e);
    }
    for (const k of this.ahead.keys()) if (k <= this.lastSeq) this.forget(k);
  }

  private forget(seq: number): void {
    this.aheadBytes -= this.ahead.get(seq)?.bytes ?? 0;
    this.ahead.delete(seq);
  }

  private clearAhead(): void {
    this.ahead.clear();
    this.aheadBytes = 0;
  }

  /**
   * Checked on every pong, so it runs with no events arriving: a peer that sent events far past a hole
   * and went quiet (or hostile) must not pin them in memory. Nothing real is lost; the replay brings it.
   */
  private expireAhead(): void {
    const oldest = this.ahead.values().next().value;
    if (!oldest || this.clock.mono() - oldest.at < MAX_HOLD_MS) return;
    this.heldTooLong++;
    this.replayFromLast();
  }

  /** Too much held past a hole: let it go and ask every subscriber to replay from the last applied seq. */
  private overflow(): void {
    this.overflows++;
    this.replayFromLast();
  }

  private replayFromLast(): void {
    this.clearAhead();
    for (const s of this.subs.keys()) this.subscribe(s, this.lastSeq);
  }

  private apply(e: SequencedEvent): void {
    this.lastSeq = e.seq;
    this.emit('event', e);
  }

  /** This socket missed events nobody else delivered: replay from the last applied, unless already asked. */
  private behind(sock: PooledSocket): void {
    const st = this.subs.get(sock);
    if (!st || this.resyncing || this.lastSeq < 0) return;
    if (st.awaiting && this.clock.mono() - st.sentAt < RESUB_AFTER_MS) return;
    this.subscribe(sock, this.lastSeq);
  }

  /**
   * A full picture from a snapshot, then every subscriber streams from its head; after a renumbering,
   * from the new stream's start instead: none of its events was applied, and each is counted once.
   */
  private async resync(sock: PooledSocket, lost: ContinuityLoss | null, claim?: Claim): Promise<void> {
    if (this.resyncing) return;
    this.resyncing = true;
    // A renumbering seen again before its resync could finish (a socket failed under it) is the same one.
    if (lost === 'gap') {
      this.continuityLost++;
      this.emit('continuityLost', lost);
    }
    try {
      const snap = await sock.conn.request('snapshot', {});
      if (claim && !this.agrees(snap, claim)) {
        // An instance whose stream and snapshot name different numberings (a new one each time) is not followed.
        this.resyncing = false;
        return this.cut(sock);
      }
      if (lost === 'renumbered') {
        if (!this.fromStart) {
          this.continuityLost++;
          this.emit('continuityLost', lost);
        }
        this.fromStart = true;
        this.renumberedAt = this.clock.mono();
      }
      const from = this.fromStart ? this.leave(snap.epoch) : snap.head;
      const renumbered = this.fromStart;
      this.fromStart = false;
      this.lastSeq = from;
      this.epoch = snap.epoch;
      this.clearAhead();
      // The new stream's events come next, each applied: shown as history too, they would show twice.
      this.emit('resync', renumbered ? { ...snap, recent: [] } : snap);
      this.resyncing = false;
      for (const [s, st] of this.subs) {
        st.highest = 0;
        st.unanswered.fill(0); // answers still due are to `sub`s of before: no measure of this stream
        this.subscribe(s, from);
      }
    } catch (e) {
      this.resyncing = false;
      // The backend's storage is away: the socket is fine, ask again shortly rather than reconnect.
      if (e instanceof StorageUnavailable) return void this.clock.setTimeout(() => this.subs.has(sock) && sock.open && void this.resync(sock, lost === 'renumbered' ? lost : null, claim), RESUB_AFTER_MS);
      // That socket failed mid-resync; its close detaches it and another resyncs. Still open, it took the request and
      // did not answer: reconnecting to it at once would only ask again.
      if (sock.open) {
        sock.faulted = true;
        sock.conn.close('resync failed', 'Reopened: it could not catch up on live events.');
      }
    }
  }
}

/** The highest-scoring of `socks`. */
const best = (socks: PooledSocket[]): PooledSocket | undefined => socks.reduce<PooledSocket | undefined>((b, s) => (!b || s.score > b.score ? s : b), undefined);
