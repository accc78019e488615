import { EventEmitter } from 'node:events';
import type { Replies, SequencedEvent, UnreadableEvent } from '../../../shared/protocol';
import type { Clock } from '../clock';
import type { PooledSocket } from './socket';
import { StorageUnavailable } from './connection';
import { HoleRecovery, RESUB_AFTER_MS } from './hole-recovery';
import { STAND_DOWN_BASE_MS, STAND_DOWN_CAP_MS, UNSTABLE_WINDOW_MS, type StandDown } from './unstable-stream';

/** Early events held while a hole is replayed: bounded by count and by memory, whatever the peer sends. */
const MAX_AHEAD = 10_000;
const MAX_AHEAD_BYTES = 8 * 1024 * 1024;
/** Losses of continuity with no event applied between them: the first resyncs at once, each later one waits twice longer. */
const LOSS_BASE_MS = 1_000;
const LOSS_CAP_MS = 30_000;
/**
 * A snapshot may take this long: a backend whose every answer comes 9 s late is slow, not stuck (the heartbeat closes
 * one whose program answers nothing within 10 s), and at the request's usual 5 s its picture never landed.
 */
const SNAPSHOT_TIMEOUT_MS = 15_000;
/** Seqs of events that could not be read, remembered so each costs one protocol error however often it is sent again. */
const UNREADABLE_KEPT = 1_000;
/**
 * An event one subscriber sent unreadable waits this long for another subscriber's copy of it (an instance on a
 * newer or older build may write it in a form this console reads): stepping past at once lost it for good.
 */
export const UNREADABLE_WAIT_MS = 1_000;

/** A `sub` sent and not yet answered, with what the console knew when it asked. */
interface Asked {
  after: number;
  at: number;
  /** The highest head this socket's pongs showed before it: a replay's head, read later, is never below it. */
  pong: number;
  /** A pong of this socket had gone back before it: unless its answer is a renumbering, that pong was wrong. */
  back: boolean;
  /** The hole-recovery round it belongs to (0: none). */
  round: number;
  /** Asked of a stream since resynced: its answer is ignored. */
  stale: boolean;
}

interface Subscriber {
  /** The seq this socket should send next, known from its `subbed` on: more means it skipped some. */
  next: number | undefined;
  /** Each `sub` sent and not yet answered, oldest first: a `subbed` nobody asked for is ignored, never a resync. */
  asked: Asked[];
  /** The round of the `sub` whose replay this socket is sending. */
  round: number;
  /** The highest head this socket's pongs have shown, in this numbering of the stream. */
  highest: number;
  /** One of its pongs showed less than `highest`: the next `subbed` tells whether the log started over or the pong was wrong. */
  wentBack: boolean;
  /** Its pongs' heads are believed: false once one of its replays showed them wrong, for as long as the socket lives. */
  trusted: boolean;
}

export type ContinuityLoss = 'gap' | 'renumbered';

/**
 * Where the feed stood in the backend's stream, kept across console restarts (LastKnown): the first sync after
 * a start compares the backend with it, so a restart of the gym's system while this PC was off is told as one
 * seen live is. `addresses`: those this numbering was heard from, which tell the same backend from another.
 */
export interface StreamPlace {
  seq: number;
  epoch?: string;
  addresses: string[];
}
/** Addresses a numbering is remembered as heard from: every address of every pool, at most. */
export const PLACE_ADDRESSES = 256;

type FeedEvents = {
  /**
   * Applied exactly once, in sequence order. `replayed`: sent again after the console missed it (at or below the
   * head a `subbed` named), not as it happened: its time says when it was recorded, not how the clocks compare.
   */
  event: [e: SequencedEvent, replayed: boolean];
  /** A full picture of the gym: at start, and after continuity was lost. */
  resync: [Replies['snapshot']];
  /** The gym's capacity as a feed socket's backend said it at its (re)subscribe; older backends never say it. */
  capacity: [number];
  /**
   * `renumbered`: the backend's stream started over from 1; `gap`: it could not replay what was missed.
   * `away`: the start over happened while this PC was off or restarting (seen at the first sync after a start).
   */
  continuityLost: [ContinuityLoss, away: boolean];
  /**
   * Events that could not be read (docs/protocol.md, "One event that cannot be read"), each told once: a live one
   * stepped past (`seqs` one long), or those a snapshot's history left out.
   */
  unreadable: [{ seqs: number[]; problem: string; history: boolean }];
  failover: [FeedMove];
  /** An instance's numbering could not be followed: its sockets carry requests still, but not the feed, until `waitMs` has passed. */
  unstable: [StandDown];
  change: [];
};

/**
 * Within this of a renumbering, an instance that goes back to a numbering the console left, or that holds less than
 * was applied in the same numbering, disagrees with the stream just taken (two logs, a hostile backend): it stops
 * carrying the feed for a backoff (see `cut`), since following it replayed everything again, 20 times a second.
 */
export const RENUMBER_AGAIN_MS = 60_000;
/** Numberings left behind, remembered with the last seq applied in each: a bounded few. */
const LEFT_EPOCHS = 16;

/** What a `subbed` said that made it a renumbering, checked against the claimant's own snapshot before it is believed. */
interface Claim {
  epoch: string | undefined;
  after: number;
}

/**
 * Which instance a socket reaches: its address, and the instance its welcome named (several may answer behind one
 * address, a load balancer's). Two subscribers on one instance lose the stream together and bring every event twice.
 */
const instanceOf = (s: PooledSocket): string => `${s.endpoint} ${s.programKey}`;

/** Where the live events moved: from an address to another (null: none left), and whether to the same program there. */
export interface FeedMove {
  from: string;
  to: string | null;
  sameInstance: boolean;
  /** The program it moved to, as its welcome named it ('' for none). */
  toInstance: string;
}
const moved = (from: PooledSocket, to: PooledSocket | undefined): FeedMove => ({
  from: from.endpoint,
  to: to?.endpoint ?? null,
  sameInstance: !!to && instanceOf(to) === instanceOf(from),
  toInstance: to?.programKey ?? '',
});

/**
 * The gym's event stream, held on `redundancy` sockets on distinct instances at once, so losing one
 * costs nothing: the other is already streaming. Events are applied once, in order: duplicates are
 * dropped by seq, early arrivals wait in a bounded buffer, holes are replayed from the last applied
 * seq (in rounds that back off), and a replay the server can no longer serve, or one that keeps
 * skipping the hole, is a continuity-lost and a full resync.
 * A stream that was renumbered (its epoch changed, or its head fell below what was applied) is one
 * too, and its events are then applied from its start: by seq alone they would look old.
 */
export class EventFeed extends EventEmitter<FeedEvents> {
  private readonly subs = new Map<PooledSocket, Subscriber>();
  private readonly ahead = new Map<number, { e: SequencedEvent; bytes: number }>();
  private aheadBytes = 0;
  /** Times the early-event buffer overflowed and was dropped for a replay. */
  overflows = 0;
  /** Times events held past a hole were let go: no replay answered for MAX_HOLD_MS, or one said the log ends before them. */
  heldTooLong = 0;
  private lastSeq = -1; // -1: never synced
  /** The newest seq a replay brought, in this numbering: events up to it are not live. */
  private replayedTo = 0;
  /** The numbering `lastSeq` belongs to (see `epoch` in docs/protocol.md); undefined from a backend that sends none. */
  private epoch: string | undefined;
  /** A renumbering is being resynced: the next snapshot's stream is applied from its start. */
  private fromStart = false;
  /** When the stream was last taken as renumbered (monotonic ms). */
  private renumberedAt = -Infinity;
  /** Numberings followed and left, with the last seq applied in each: a return resumes there, never applying twice. */
  private readonly left = new Map<string, number>();
  private resyncing = false;
  /** A continuity loss that its snapshot has not yet made good: told (and counted) once that snapshot lands. */
  private lossPending = false;
  /** Seqs of this numbering known not to be readable (oldest first): each was one fault, and is never another. */
  private readonly unreadableSeqs = new Set<number>();
  /** Events left out because they could not be read: stepped past live, or dropped from a snapshot's history. */
  unreadable = 0;
  /** The next event, sent unreadable, while another subscriber's copy of it may still come (UNREADABLE_WAIT_MS). */
  private unreadableWait: { u: UnreadableEvent; timer: unknown } | null = null;
  /** The console is shutting down: its sockets close one by one, and none should be chosen to replace another. */
  private stopped = false;
  continuityLost = 0;
  /** Of those, the backend's numbering starting over (a restart that kept no log), and when the last was (wall ms). */
  renumberings = 0;
  restartedAt: number | null = null;
  /** The last renumbering happened while this PC was off or restarting: `restartedAt` is when it was noticed, not when it was. */
  restartedWhileAway = false;
  /** Where the feed stood before this start (LastKnown), until the first snapshot has been compared with it. */
  private before: StreamPlace | null = null;
  /** The addresses the numbering followed now was heard from: a renumbering heard from none of them still configured is another backend. */
  private readonly heardFrom = new Set<string>();
  /** The newest seq a subscribed instance last reported (its pong's head, or a replay's that showed a pong wrong): how far behind the feed is. */
  head = 0;
  private readonly holes: HoleRecovery;
  /** Snapshots failed in a row: the next is asked after a wait that doubles, not before `nextSnapshotAt` (mono), by one timer. */
  private snapshotFails = 0;
  private nextSnapshotAt = -Infinity;
  private snapshotTimer: unknown = null;
  /** Continuity lost with no event applied since, and when it last was: the next resync waits on them. */
  private strikes = 0;
  private lossAt = -Infinity;
  /** Addresses whose numbering could not be followed: none of their sockets is subscribed until `until` (monotonic ms). */
  private readonly benched = new Map<string, { until: number; times: number; at: number }>();

  constructor(
    private readonly candidates: () => PooledSocket[],
    private readonly clock: Clock,
    private readonly redundancy = 2,
    /** The gym's backend addresses (the main pool's), as configured now. */
    private readonly addresses: () => string[] = () => [],
  ) {
    super();
    this.holes = new HoleRecovery(clock, {
      applied: () => this.lastSeq,
      behind: () => this.ahead.size > 0 || this.head > this.lastSeq || this.holes.promised > this.lastSeq,
      held: () => this.ahead.size,
      letGo: () => this.letGo(),
      ask: (round) => {
        for (const s of this.subs.keys()) if (s.open) this.subscribe(s, this.lastSeq, round);
      },
      askedWithin: (ms) => [...this.subs.values()].some((st) => st.asked.some((a) => !a.stale && clock.mono() - a.at < ms)),
      lose: () => this.lose(),
    });
  }

  /** A first picture has landed in this run: the live list is being kept. */
  get synced(): boolean {
    return this.lastSeq >= 0;
  }

  /** Snapshots failed in a row (their sockets still open): the backend answers, but its picture cannot be had. */
  get failedSnapshots(): number {
    return this.snapshotFails;
  }

  get applied(): number {
    return Math.max(0, this.lastSeq);
  }

  /** Where the feed stands, to keep across a restart; null before its first sync in this run (what was kept stays). */
  place(): StreamPlace | null {
    if (this.lastSeq < 0) return null;
    return { seq: this.lastSeq, ...(this.epoch !== undefined && { epoch: this.epoch }), addresses: [...this.heardFrom] };
  }

  /** Where the feed stood before this start: the first snapshot is compared with it. Called before the pools start. */
  remember(place: StreamPlace | null): void {
    this.before = place;
  }

  /** Any of `addresses` is still configured: the same backend (an address added or moved keeps the others). Not known: the same. */
  private sameBackend(addresses: Iterable<string>): boolean {
    const now = new Set(this.addresses());
    const was = [...addresses];
    return was.length === 0 || now.size === 0 || was.some((a) => now.has(a));
  }

  private heard(sock: PooledSocket): void {
    if (this.heardFrom.has(sock.endpoint)) return;
    this.heardFrom.add(sock.endpoint);
    if (this.heardFrom.size > PLACE_ADDRESSES) this.heardFrom.delete(this.heardFrom.values().next().value!);
  }

  /**
   * The first snapshot after a start, against where the feed stood before it: the same backend whose numbering
   * changed, or whose log is shorter than was applied, started over while this PC was off. Another backend
   * (IT changed the addresses) is no restart: this PC simply follows the one it is pointed at.
   */
  private startedOverWhileAway(snap: Replies['snapshot']): boolean {
    const b = this.before;
    this.before = null;
    if (!b || !this.sameBackend(b.addresses)) return false;
    const renumbered = b.epoch !== undefined && snap.epoch !== undefined && b.epoch !== snap.epoch;
    if (renumbered) this.left.set(b.epoch!, b.seq);
    return renumbered || snap.head < b.seq;
  }

  /** Listens to a socket as soon as it opens; it only counts once it is chosen as a subscriber. */
  attach(sock: PooledSocket): void {
    sock.conn.on('event', (e, bytes) => this.onEvent(sock, e, bytes));
    sock.conn.on('subbed', (s) => this.onSubbed(sock, s));
    sock.conn.on('unreadable', (u) => this.onUnreadable(sock, u));
    sock.conn.on('pong', ({ head, ours }) => {
      const st = this.subs.get(sock);
      if (!st) return;
      this.holes.poll();
      if (!st.trusted) return; // its replays' heads are believed instead
      this.head = head;
      // An instance's head never goes back unless its log started over: ask it, and its replay's head says so.
      if (head < st.highest) st.wentBack = true;
      st.highest = Math.max(st.highest, head);
      // Read ahead of events still waiting on the console (a burst): those are what it is ahead by, not a hole,
      // and asking for them again would only bring the burst twice.
      if ((head > this.lastSeq && !ours) || st.wentBack) this.recover();
    });
    // Most sockets open into a feed already held: they change nothing, and ensure may walk every socket.
    if (!this.heldWithout(sock)) this.ensure();
  }

  /** The subscribers are let go, and closing sockets are not replaced, until `start`. */
  stop(): void {
    this.stopped = true;
    this.holes.end();
    this.endUnreadableWait();
    this.clock.clearTimeout(this.snapshotTimer);
    for (const s of this.subs.keys()) s.subscribed = false;
    this.subs.clear();
  }

  start(): void {
    this.stopped = false;
  }

  /**
   * True when `sock` could change nothing (ensure's rules, for one newcomer): every subscriber in place and open,
   * `sock` on an instance already held or no room for another, and none out of rotation that `sock` could replace
   * without giving up an instance.
   */
  private heldWithout(sock: PooledSocket): boolean {
    const subs = [...this.subs.keys()];
    for (const s of subs) {
      if (!s.open || s.draining) return false;
      if (!s.routable && sock.routable && !subs.some((o) => o !== s && instanceOf(o) === instanceOf(sock))) return false;
    }
    return subs.length >= this.redundancy || subs.some((s) => instanceOf(s) === instanceOf(sock));
  }

  detach(sock: PooledSocket): void {
    if (!this.subs.delete(sock)) return;
    sock.subscribed = false;
    this.ensure();
    this.emit('failover', moved(sock, [...this.subs.keys()][0]));
  }

  /** Keeps `redundancy` healthy subscribers on distinct instances, moving off degraded ones. */
  ensure(): void {
    if (this.stopped) return;
    // Listed only when needed: this runs as each socket opens, and with its subscribers in place it
    // needs no list at all (a list of every socket per opening was quadratic at 1,000 sockets).
    let listed: PooledSocket[] | null = null;
    const open = (): PooledSocket[] => (listed ??= this.candidates().filter((s) => s.open && !s.draining));
    const usedBy = (except?: PooledSocket): Set<string> => new Set([...this.subs.keys()].filter((x) => x !== except).map(instanceOf));
    const gone = [...this.subs.keys()].filter((s) => !s.open || s.draining);
    for (const s of gone) this.drop(s);
    this.fill(open);
    // Moved off a draining socket: a failover too (a closed one's was told when it detached).
    for (const s of gone) if (s.open) this.emit('failover', moved(s, [...this.subs.keys()].at(-1)));
    // Instances first, rotation second: two subscribers on one instance lose the stream with it, so
    // one out of rotation is moved only to a socket in rotation on an instance no other subscriber holds.
    for (const s of [...this.subs.keys()]) {
      if (s.routable) continue;
      const held = usedBy(s);
      const to = best(open().filter((o) => !this.subs.has(o) && o.routable && !held.has(instanceOf(o))));
      if (!to) continue;
      this.drop(s);
      this.add(to);
      this.emit('failover', moved(s, to)); // moved off a degraded socket: a failover too
    }
    this.emit('change');
  }

  /**
   * Up to `redundancy` subscribers, each on an instance no other holds (one in rotation first, then the best score).
   * Two on one instance would lose the stream together, and bring every event twice: a burst doubled, and no socket
   * of a one-instance gym left free to answer the desk while the console works through it.
   */
  private fill(open: () => PooledSocket[]): void {
    while (this.subs.size < this.redundancy) {
      const used = new Set([...this.subs.keys()].map(instanceOf));
      const now = this.clock.mono();
      const next = open()
        .filter((x) => !used.has(instanceOf(x)) && !((this.benched.get(x.endpoint)?.until ?? 0) > now))
        .sort((a, b) => Number(b.routable) - Number(a.routable) || b.score - a.score)[0];
      if (!next) return;
      this.add(next);
    }
  }

  private add(sock: PooledSocket): void {
    this.subs.set(sock, { next: undefined, asked: [], round: 0, highest: 0, wentBack: false, trusted: true });
    sock.subscribed = true;
    if (this.lastSeq < 0) void this.resync(sock, null);
    else if (!this.resyncing) this.subscribe(sock, this.lastSeq);
  }

  /** Recovery (its caller waits between calls): asks every subscribed instance again for what follows the last applied event. */
  resubscribe(): number {
    if (this.stopped || this.resyncing || this.lastSeq < 0) return 0;
    this.holes.force();
    return this.subs.size;
  }

  /**
   * The pools changed: a subscriber on a socket no longer a candidate (the main pool's addresses moved, or another pool
   * became the main one) is let go, and others found. Only then: each socket's opening lists no candidates (review26 V5).
   */
  reconsider(): void {
    const allowed = new Set(this.candidates());
    for (const s of [...this.subs.keys()]) if (!allowed.has(s)) this.drop(s);
    this.ensure();
  }

  private drop(s: PooledSocket): void {
    this.subs.delete(s);
    s.subscribed = false;
    if (s.open) s.conn.unsubscribe();
  }

  private subscribe(sock: PooledSocket, after: number, round = 0): void {
    const st = this.subs.get(sock);
    if (!st) return;
    st.next = undefined; // until its answer says where the replay starts, what arrives is from the `sub` before
    st.asked.push({ after, at: this.clock.mono(), pong: st.highest, back: st.wentBack, round, stale: false });
    st.wentBack = false;
    sock.conn.subscribe(after);
  }

  private onSubbed(sock: PooledSocket, { head, gap, epoch, capacity }: { head: number; gap: boolean; epoch?: string; capacity?: number }): void {
    const st = this.subs.get(sock);
    const asked = st?.asked.shift();
    // Asked of a stream since resynced: what it says (a gap, an epoch, a head) is about that one, and fresh `sub`s follow.
    if (!st || asked === undefined || asked.stale || this.resyncing) return;
    // The gym's capacity as its backend says it now: one restarted with another resumes the stream with no snapshot (probe27a P3).
    if (capacity !== undefined) this.emit('capacity', capacity);
    const { after } = asked;
    // The replay's head is the log's own (never an instance's lagging view), read after the `sub`:
    // below the `after` it answers, the log started over, as a new epoch says outright.
    if ((epoch !== undefined && this.epoch !== undefined && epoch !== this.epoch) || head < after) {
      // A new numbering (a Redis restarted empty, however often) is believed once the instance's snapshot shows the
      // same. Soon after a renumbering, one going back to a numbering left, or shrinking the same one, is flip-flop.
      const recent = this.clock.mono() - this.renumberedAt < RENUMBER_AGAIN_MS;
      if (recent && epoch !== undefined && (epoch === this.epoch || this.left.has(epoch))) return this.cut(sock, 'went-back');
      return void this.resync(sock, 'renumbered', { epoch, after });
    }
    if (gap) return void this.resync(sock, 'gap');
    this.epoch ??= epoch;
    this.heard(sock);
    st.round = asked.round;
    st.next = after + 1;
    // The same log, read later, holds less than its pong said: the pong was wrong, not the feed behind.
    if (st.trusted && (head < asked.pong || asked.back)) this.pongLied(sock, st, asked, head);
    this.replayedTo = Math.max(this.replayedTo, head);
    this.holes.answered(asked.round, head);
  }

  /** Counted as the instance breaking the protocol; its pongs' heads are no longer believed, so they draw no more `sub`s. */
  private pongLied(sock: PooledSocket, st: Subscriber, asked: Asked, head: number): void {
    st.trusted = false;
    this.head = head;
    const said = asked.back ? 'went back' : `said ${asked.pong}`;
    sock.conn.contradicted(`its pong's head ${said}; its replay after ${asked.after} then said the stream's head is ${head}`, 'pong');
  }

  /**
   * Its numbering cannot be followed (its stream and its own snapshot disagree, or it went back to a numbering
   * just left): it stops carrying the feed, and its address is not subscribed again for a wait that doubles up to
   * a cap. Its sockets stay open: the check-ins it answers are not the stream's to stop (closing them took the
   * console offline against a backend that answered every request).
   */
  private cut(sock: PooledSocket, how: StandDown['how']): void {
    const now = this.clock.mono();
    const was = this.benched.get(sock.endpoint);
    const times = was && now - was.at < UNSTABLE_WINDOW_MS ? was.times + 1 : 1;
    const waitMs = Math.min(STAND_DOWN_CAP_MS, STAND_DOWN_BASE_MS * 2 ** (times - 1));
    this.benched.set(sock.endpoint, { until: now + waitMs, times, at: now });
    if (this.benched.size > PLACE_ADDRESSES) this.benched.delete(this.benched.keys().next().value!);
    const others = this.candidates().some((s) => s.endpoint !== sock.endpoint);
    // Its address's other subscribers too: each would meet the same, and one try is one stand-down.
    for (const s of [...this.subs.keys()]) if (s.endpoint === sock.endpoint) this.drop(s);
    this.emit('unstable', { endpoint: sock.endpoint, how, others, waitMs });
    this.clock.setTimeout(() => this.ensure(), waitMs);
    this.ensure();
  }

  /** Told once per start over: counted, timed, and said (in the log, on the Backend card, in Health). */
  private restarted(away: boolean): void {
    this.continuityLost++;
    this.renumberings++;
    this.restartedAt = this.clock.now();
    this.restartedWhileAway = away;
    this.emit('continuityLost', 'renumbered', away);
  }

  /**
   * A resync that ended without a picture (its socket went or failed, its address stood down): every other open
   * subscriber asks again, those chosen while it ran among them (they were left for its end), and their answers
   * tell anew; before a first picture, one of them takes it. Left unasked, a subscriber carries nothing until a
   * pong shows events past the last applied: on a quiet gym, never.
   */
  private resume(skip: (s: PooledSocket) => boolean): void {
    this.resyncing = false;
    if (this.stopped) return;
    const open = [...this.subs.keys()].filter((s) => s.open && !skip(s));
    if (this.lastSeq < 0) return void (open[0] && this.resync(open[0], null));
    for (const s of open) this.subscribe(s, this.lastSeq);
  }

  /** A snapshot's history events that could not be read: left out, and counted once each (a replayed one may be known). */
  private leftOut(snap: Replies['snapshot']): void {
    const bad = snap.unreadable ?? [];
    const fresh = bad.filter((u) => u.seq === null || this.firstUnreadable(u.seq));
    if (!fresh.length) return;
    this.unreadable += fresh.length;
    this.emit('unreadable', { seqs: fresh.flatMap((u) => (u.seq === null ? [] : [u.seq])), problem: fresh[0]!.problem, history: true });
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
    const expected = st.next;
    if (expected !== undefined && e.seq >= expected) st.next = e.seq + 1;
    if (e.seq <= this.lastSeq) return; // the other subscriber, or a replay, got here first
    if (e.seq > this.lastSeq + 1) {
      // Behind an unreadable next event that another subscriber may yet send readable: held, not a hole to replay.
      if (this.unreadableWait && e.seq > this.unreadableWait.u.seq && (expected === undefined || e.seq <= expected)) {
        if (this.ahead.has(e.seq)) return;
        if (this.ahead.size >= MAX_AHEAD || this.aheadBytes + bytes > MAX_AHEAD_BYTES) return this.overflow();
        this.ahead.set(e.seq, { e, bytes });
        this.aheadBytes += bytes;
        return;
      }
      // This socket skipped seqs nobody applied. In a replay asked for this hole, that is a round that failed.
      const skipped = expected !== undefined && e.seq > expected;
      if (skipped && this.holes.skippedBy(st.round)) return;
      if (!this.ahead.has(e.seq)) {
        if (this.ahead.size >= MAX_AHEAD || this.aheadBytes + bytes > MAX_AHEAD_BYTES) return this.overflow();
        this.ahead.set(e.seq, { e, bytes });
        this.aheadBytes += bytes;
      }
      this.recover(skipped);
      return;
    }
    this.step(e);
  }

  /**
   * An event whose body cannot be read. Its first sight is one protocol error (a replay of it is the same
   * fault, not another: ten replays had quarantined a live backend). Sent in its socket's own order as the
   * next seq, it is the log's event there and is stepped past, so the stream goes on: once every other
   * subscriber has sent it unreadable too, or after UNREADABLE_WAIT_MS (probe-hostile21 J1: one instance mid-upgrade
   * sent it unreadable, the other readable 5 ms later, and it was lost). Out of order it could stand in for a good
   * event another instance holds: it is then only the fault.
   */
  private onUnreadable(sock: PooledSocket, u: UnreadableEvent): void {
    if (this.firstUnreadable(u.seq)) sock.conn.contradicted(`event ${u.seq} cannot be read: ${u.problem}`, 'event', true);
    const st = this.subs.get(sock);
    if (!st || this.resyncing || this.lastSeq < 0 || st.next !== u.seq) return;
    st.next = u.seq + 1;
    if (u.seq !== this.lastSeq + 1) return; // applied already, or past a hole: its replay, in order, brings it again
    const others = [...this.subs].some(([s, o]) => s !== sock && s.open && (o.next === undefined || o.next <= u.seq));
    if (!others) return this.stepUnreadable(u);
    if (this.unreadableWait?.u.seq === u.seq) return;
    this.clock.clearTimeout(this.unreadableWait?.timer);
    // Judged after the frames already waiting are read: after a stall of the console's own, the readable copy may be
    // sitting unread behind this timer (review21 K4).
    this.unreadableWait = { u, timer: this.clock.setTimeout(() => this.clock.defer(() => this.stepUnreadable(u)), UNREADABLE_WAIT_MS) };
  }

  /** Past an unreadable event no subscriber sent readable: counted and told. */
  private stepUnreadable(u: UnreadableEvent): void {
    this.endUnreadableWait();
    if (this.resyncing || u.seq !== this.lastSeq + 1) return; // its readable copy came, or a resync moved on
    this.step(u);
    this.unreadable++;
    this.emit('unreadable', { seqs: [u.seq], problem: u.problem, history: false });
    // What waited behind it may not all have come: asked for now, not at the next pong.
    if (this.ahead.size > 0 || this.head > this.lastSeq) this.recover();
  }

  private endUnreadableWait(): void {
    this.clock.clearTimeout(this.unreadableWait?.timer);
    this.unreadableWait = null;
  }

  /** Remembers `seq` as unreadable; true when it was not already. */
  private firstUnreadable(seq: number): boolean {
    if (this.unreadableSeqs.has(seq)) return false;
    this.unreadableSeqs.add(seq);
    if (this.unreadableSeqs.size > UNREADABLE_KEPT) this.unreadableSeqs.delete(this.unreadableSeqs.values().next().value!);
    return true;
  }

  /** Past `e`, applied (or stepped over, unreadable), then past what waited behind it. */
  private step(e: SequencedEvent | UnreadableEvent): void {
    if ('body' in e) this.apply(e);
    else {
      this.lastSeq = e.seq;
      this.strikes = 0;
    }
    if (this.unreadableWait && this.unreadableWait.u.seq <= this.lastSeq) this.endUnreadableWait();
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

  /** Too much held past a hole: let it go; the hole's replays bring what was real. */
  private overflow(): void {
    this.overflows++;
    this.clearAhead();
    this.recover();
  }

  /** Events held past a hole that no replay brought: what was real comes again with one. */
  private letGo(): void {
    this.heldTooLong++;
    this.clearAhead();
  }

  private apply(e: SequencedEvent): void {
    this.lastSeq = e.seq;
    this.strikes = 0;
    this.emit('event', e, e.seq <= this.replayedTo);
  }

  /** Something shows events past the last applied: recovered in rounds (see HoleRecovery), one hole at a time. */
  private recover(skipped = false): void {
    // Waiting on another subscriber's copy of the next event: what follows it is held, and asked for if still missing after.
    if (this.stopped || this.resyncing || this.lastSeq < 0 || this.unreadableWait) return;
    this.holes.start(skipped);
  }

  /** The backend cannot fill the hole: continuity is lost, and a snapshot shows the present. */
  private lose(): void {
    const sock = [...this.subs.keys()].find((s) => s.open);
    if (sock) void this.resync(sock, 'gap');
  }

  /**
   * A full picture from a snapshot, then every subscriber streams from its head; after a renumbering,
   * from the new stream's start instead: none of its events was applied, and each is counted once.
   */
  private async resync(sock: PooledSocket, lost: ContinuityLoss | null, claim?: Claim): Promise<void> {
    if (this.resyncing) return;
    // After a failed snapshot the next waits its turn, whichever socket asks: two instances whose snapshots both
    // failed handed the resync to each other at once, a snapshot per round trip without end (review19 H1).
    const early = this.nextSnapshotAt - this.clock.mono();
    if (early > 0) return this.snapshotLater(sock, lost, claim, early);
    this.resyncing = true;
    this.holes.end();
    // Told once its snapshot lands ("this PC took a fresh picture"), and once however many tries that takes;
    // a renumbering seen again before its resync could finish (a socket failed under it) is the same one too.
    if (lost === 'gap') this.lossPending = true;
    let catchUpFrom: number | null = null;
    try {
      let snap = await sock.conn.request('snapshot', {}, { timeoutMs: SNAPSHOT_TIMEOUT_MS });
      this.snapshotFails = 0;
      this.nextSnapshotAt = -Infinity;
      if (claim && !this.agrees(snap, claim)) {
        // An instance whose stream and snapshot name different numberings (a new one each time) is not followed.
        this.resume((s) => s.endpoint === sock.endpoint);
        return this.cut(sock, 'self');
      }
      // Lost again with no event applied since (a backend that answers every replay with a gap, or skips for
      // good): checked at once, applied after a wait that doubles, so no answer makes it ask without end.
      const wait = lost && this.strikes ? this.lossAt + Math.min(LOSS_CAP_MS, LOSS_BASE_MS * 2 ** (this.strikes - 1)) - this.clock.mono() : 0;
      if (wait > 0) {
        await new Promise<void>((r) => this.clock.setTimeout(r, wait));
        if (this.stopped || !this.subs.has(sock) || !sock.open) return this.resume((s) => s === sock);
        snap = await sock.conn.request('snapshot', {}, { timeoutMs: SNAPSHOT_TIMEOUT_MS });
        if (claim && !this.agrees(snap, claim)) {
          this.resume((s) => s.endpoint === sock.endpoint);
          return this.cut(sock, 'self');
        }
      }
      if (lost) {
        this.strikes++;
        this.lossAt = this.clock.mono();
      }
      if (this.lossPending) {
        this.lossPending = false;
        this.continuityLost++;
        this.emit('continuityLost', 'gap', false);
      }
      if (lost === 'renumbered') {
        // Pointed at another backend (none of the addresses this numbering came from is configured now): followed
        // from its start as a renumbering is, but it is no restart of the gym's system.
        if (!this.fromStart && this.sameBackend(this.heardFrom)) this.restarted(false);
        this.fromStart = true;
        this.renumberedAt = this.clock.mono();
      } else if (this.lastSeq < 0) {
        const kept = this.before;
        if (this.startedOverWhileAway(snap)) {
          // Its events since then were never applied here: the snapshot shows the present, as at any start.
          this.restarted(true);
          this.renumberedAt = this.clock.mono();
        } else if (kept && this.sameBackend(kept.addresses) && kept.epoch === snap.epoch && kept.seq < snap.head) {
          // The same log, where this PC left it: what the backend recorded while this PC was off or restarting comes
          // next as events, each counted once, not only shown (probe28a R1). A log that no longer holds them is a gap.
          catchUpFrom = kept.seq;
        }
      }
      // In the same numbering the feed never goes back: a snapshot behind what was applied would apply it twice.
      const same = snap.epoch === undefined || this.epoch === undefined || snap.epoch === this.epoch;
      const from = this.fromStart ? this.leave(snap.epoch) : catchUpFrom ?? (same ? Math.max(snap.head, this.lastSeq) : snap.head);
      const renumbered = this.fromStart;
      this.fromStart = false;
      this.lastSeq = from;
      this.endUnreadableWait();
      // A new numbering's seqs start again; its replays are named by the `subbed`s that follow.
      if (renumbered) {
        this.replayedTo = 0;
        this.unreadableSeqs.clear();
      }
      if (!renumbered) this.leftOut(snap); // a new numbering's history follows as its events
      if (renumbered || this.epoch !== snap.epoch) this.heardFrom.clear();
      this.heard(sock);
      this.epoch = snap.epoch;
      this.clearAhead();
      // The new stream's events come next, each applied: shown as history too, they would show twice.
      this.emit('resync', renumbered ? { ...snap, recent: [] } : catchUpFrom === null ? snap : { ...snap, recent: snap.recent.filter((e) => e.seq <= from) });
      this.resyncing = false;
      for (const [s, st] of this.subs) {
        st.highest = 0;
        for (const a of st.asked) a.stale = true; // answers still due are to `sub`s of before: not about this stream
        this.subscribe(s, from);
      }
    } catch (e) {
      // Still open, its snapshot failed or came too late (its storage away, an error, a program slow or stuck): the
      // socket stays for check-ins and the picture is asked again after a wait that doubles, of whichever subscriber
      // then. Closing it took every check-in off the live path, and a socket that never lived long was never found
      // stuck (probe-hostile19 G1, G2, G4); a program that answers nothing at all is closed by its heartbeat.
      const wait = e instanceof StorageUnavailable ? RESUB_AFTER_MS : Math.min(LOSS_CAP_MS, LOSS_BASE_MS * 2 ** this.snapshotFails++);
      if (sock.open) this.nextSnapshotAt = this.clock.mono() + wait;
      // The others carry on: one of them may take the picture (another instance, at its turn), or stream on.
      this.resume((s) => s === sock);
      if (sock.open && this.subs.has(sock)) this.snapshotLater(sock, lost === 'renumbered' ? lost : null, claim, wait);
    }
  }

  /** One snapshot waiting its turn (the latest asked wins): then of `sock`, or of another subscriber if it went. */
  private snapshotLater(sock: PooledSocket, lost: ContinuityLoss | null, claim: Claim | undefined, ms: number): void {
    this.clock.clearTimeout(this.snapshotTimer);
    this.snapshotTimer = this.clock.setTimeout(() => {
      this.snapshotTimer = null;
      if (this.resyncing || this.stopped) return; // another took over
      if (this.subs.has(sock) && sock.open) void this.resync(sock, lost, claim);
      else this.resume(() => false);
    }, ms);
  }
}

/** The highest-scoring of `socks`. */
const best = (socks: PooledSocket[]): PooledSocket | undefined => socks.reduce<PooledSocket | undefined>((b, s) => (!b || s.score > b.score ? s : b), undefined);
