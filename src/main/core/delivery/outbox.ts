import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { LIMITS, RequestBodies, type Op, type Verdict } from '../../../shared/protocol';
import { UserError } from '../../../shared/result';
import { backendText } from '../../../shared/backend-text';
import { diskProblem } from '../disk-words';
import { systemClock, type Clock } from '../clock';
import { fullJitter } from '../pool/backoff';
import { ConnectionLost, MalformedReply, RequestFailed, RequestRejected, RequestTimedOut, StorageUnavailable } from '../pool/connection';
import { UNKNOWN_CODE_TRIES } from '../../../shared/failure-codes';
import type { Channel, ChannelSource } from './channel';
import { Attempt, type Outcomes } from './attempt';
import { OUTBOX_BOUNDS, refusalBeyondBound, type OutboxBounds } from './outbox-bounds';
import { DEFAULT_LANE_POLICY, LANES, laneBucket, type Lane, type LanePolicy } from './lanes';
import type { TokenBucket } from '../token-bucket';
import type { DeadLetter, OutboxStore, StoredMessage } from './outbox-store';
import { bodyToSend, retriedBody } from './scan-time';
import { expiry, WaitingClock } from './waiting-clock';
import { SteppedAside } from './step-aside';
import { droppedOn } from './poison-drops';
import { FailingTally } from './outbox-words';
import { Unsaved } from './unsaved';
import type { OutboxGauge } from '../../../shared/state';

export interface OutboxOptions {
  store: OutboxStore;
  channels: ChannelSource;
  clock?: Clock;
  lanes?: Partial<Record<Lane, LanePolicy>>;
  maxAttempts?: number;
  /** How long a message may wait, counted on the waiting clock (waiting-clock.ts): time the console ran, not wall time. */
  ttlMs?: number;
  /** In-memory bounds; beyond them messages wait in SQLite only. */
  memory?: { maxCount: number; maxBytes: number };
  /** Bounds on what waits unsent, on disk and all; past them new messages are refused. */
  bounds?: OutboxBounds;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Called with enqueue→ack ms for every acknowledged message (benchmarks). */
  onAck?: (ms: number) => void;
  /** The verdict this PC gave a queued check-in itself, by its key, if it did (sent with it: scan-time.ts). */
  decidedOffline?: (key: string) => Verdict | undefined;
}

/** While messages wait, the waiting clock is saved this often: a crash or power cut loses at most this much of their wait. */
const SAVE_WAITED_MS = 60_000;

interface Msg extends StoredMessage {
  op: Op;
  bytes: number;
  enqueuedAt: number;
  notBefore: number;
  durable: boolean;
  /** Times the backend said its storage was down for this message: how long it waits before the next try. */
  storageWaits: number;
  /** Tries in a row lost to a dropped socket or an unanswered request: how long it waits before the next. */
  stalls: number;
  /** When it was last sent (mono), and times in a row the socket died as soon as it went first in its lane (poison-drops.ts). */
  sentAt: number;
  drops: number;
  /** The first of those drops: when (mono), and how many messages the backend had acknowledged by then. */
  firstDrop?: { at: number; acks: number };
  /** Messages the backend had acknowledged when it was last sent: more by its timeout, and the backend answers others. */
  sentAcks: number;
  /** The backend failed on it (step-aside.ts) and it has not been taken since: what Health says. */
  aside: boolean;
  /** The backend's reply, for callers who want more than the ack (kept in memory only). */
  onReply?: (reply: unknown) => void;
}

/** Everything the outbox knows about one lane, in one place. */
interface LaneState {
  /** Committed messages held in memory, oldest first. */
  queue: Msg[];
  /** Messages the backend failed on, waiting out their own backoff while the queue goes on. */
  aside: SteppedAside<Msg>;
  /** Older messages of this lane wait in SQLite only; refill before trusting `queue`. */
  spilled: boolean;
  /** The newest seq loaded into memory; the next refill pages after it. */
  lastLoaded: number;
  /** The socket this lane stays on while it has messages in flight there. */
  pinned: string | null;
  inFlight: number;
  bucket: TokenBucket;
}

interface Write {
  msg: Msg;
  resolve(r: { key: string; durable: boolean }): void;
  reject(e: Error): void;
}

/** While the backend's database is down, a message asks again at most this far apart: its return is noticed within seconds. */
const STORAGE_RETRY_CAP_MS = 5_000;

/** What the outbox shows the screens: the state stream's gauge, exactly. */
export type OutboxView = OutboxGauge;

/** Why a message the backend kept failing on (failed() counts its tries) is a dead letter, in staff words. */
function givenUp(e: Error, tries: number): string {
  if (!(e instanceof RequestFailed)) return `gave up after ${tries} attempts; last error: ${e.message}`;
  const code = backendText(e.code, 64);
  if (!e.known) return `the backend answered it each time with a code this console does not know (${code}, ${tries} tries): ${e.message}`;
  return `the backend kept failing on it (${code}, ${tries} tries): ${e.message}`;
}

/** Said while messages wait because the backend took them and never answered, so staff know it is not the network. */
export const UNANSWERED_WHY = 'The backend accepts messages but does not answer them (it may be stuck); they stay queued on this PC and are sent again until it does.';

/**
 * Every outgoing message is committed to SQLite before it is sent, sent in order per lane over a
 * pinned socket with a window of unacked messages, and leaves the outbox only on the server's ack.
 * A lost socket sends its unacked messages again, in order, elsewhere; the server dedups by key.
 * Only what retrying cannot fix becomes a dead letter: a refusal, an expired message, or one the
 * backend keeps failing on; a now-or-never message (its own time to live) that expires only lapses, as
 * its sender has told its outcome already: no lost message for a manager. One it fails on steps aside (step-aside.ts) so its lane goes on. Outages (lost sockets, unanswered requests, a database that is down)
 * cost no attempts: the message waits, backing off, until its time to live: time it waited while this
 * console ran (waiting-clock.ts), so neither a PC clock set forward nor a PC switched off ages it.
 */
export class Outbox extends EventEmitter<{ change: []; dead: [DeadLetter]; lapsed: [key: string, op: string, body: string, queuedBeforeThisRun: boolean, created: number]; acked: [key: string]; reply: [key: string, op: string, reply: unknown]; refused: [key: string] }> {
  private readonly lanes: Record<Lane, LaneState>;
  private readonly inflight = new Map<string, Msg>();
  private writes: Write[] = [];
  /** Seqs of acknowledged messages and [attempts, seq] pairs, written with the next group commit. */
  private acked: number[] = [];
  private attemptsDirty: [number, number][] = [];
  private writeScheduled = false;
  private pumpScheduled = false;
  private wakeTimer: unknown = null;
  private saveTimer: unknown = null;
  /** The waiting clock is to be saved with the next group commit, though nothing else may be. */
  private saveWaited = false;
  private readonly waitClock: WaitingClock;
  private seq: number;
  /** Messages accepted (or being written) and not yet acknowledged or buried: what the bounds weigh. */
  private waiting: { count: number; bytes: number };
  private mem = { count: 0, bytes: 0 };
  /** Messages accepted while the disk refused them, in memory only: written with every commit, and retried alone (unsaved.ts). */
  private readonly unsaved: Unsaved<Msg>;
  /** Dead letters the disk refused, oldest first: written (and told) with the next commit that takes. */
  private readonly unburied: { msg: Msg; reason: string; at: number }[] = [];
  /** Why messages wait although a socket is open (UNANSWERED_WHY), until the next ack; null when no such reason. */
  private why: string | null = null;
  /** Messages the backend acknowledged this run: one taken between drops of another is evidence the drops are about that other. */
  private acks = 0;
  /** Messages the backend failed on and has not taken since: said on Health and Overview. */
  private readonly failing = new FailingTally();
  /** When the wake timer fires (mono); null when none is set. */
  private wakeAt: number | null = null;
  private readonly clock: Clock;
  private readonly o: Required<Omit<OutboxOptions, 'lanes' | 'onAck' | 'clock' | 'decidedOffline'>> & Pick<OutboxOptions, 'onAck' | 'decidedOffline'>;

  constructor(opts: OutboxOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.o = { maxAttempts: 10, ttlMs: 24 * 3_600_000, memory: { maxCount: 5_000, maxBytes: 8 << 20 }, bounds: OUTBOX_BOUNDS, retryBaseMs: 200, retryCapMs: 30_000, ...opts };
    const bucket = (l: Lane) => laneBucket({ ...DEFAULT_LANE_POLICY[l], ...opts.lanes?.[l] }, () => this.clock.mono());
    const aside = () => new SteppedAside<Msg>({ baseMs: this.o.retryBaseMs, capMs: this.o.retryCapMs });
    this.lanes = Object.fromEntries(LANES.map((l): [Lane, LaneState] => [l, { queue: [], aside: aside(), spilled: true, lastLoaded: 0, pinned: null, inFlight: 0, bucket: bucket(l) }])) as Record<Lane, LaneState>;
    this.unsaved = new Unsaved<Msg>(this.clock, () => this.flushWrites());
    this.waitClock = new WaitingClock(this.clock, opts.store.waited());
    this.seq = opts.store.maxSeq();
    this.waiting = opts.store.waiting();
    for (const lane of LANES) this.refill(lane);
    this.schedulePump();
  }

  /**
   * Accepts a message once it is durable (or, if the disk fails, held in memory and said so). `ttlMs`: this
   * message's own time to live, for one that must happen soon or not at all (a door release): past it, it is
   * never sent (again), whatever comes back. `unknownCard`: a check-in of a card the roster copy lacks, held
   * to a lower bound (OUTBOX_BOUNDS.unknownCard) so the last places stay for members.
   */
  enqueue(lane: Lane, op: Op, body: unknown, opts: { onReply?: (reply: unknown) => void; ttlMs?: number; unknownCard?: boolean } = {}): Promise<{ key: string; durable: boolean }> {
    const parsed = RequestBodies[op].safeParse(body);
    if (!parsed.success) return Promise.reject(new UserError('invalid-message', `This ${op} message is malformed: ${parsed.error.issues[0]?.message}`));
    const text = JSON.stringify(parsed.data);
    const bytes = Buffer.byteLength(text);
    // Room for the frame envelope around the body.
    if (bytes > LIMITS.maxFrameBytes - 256) {
      return Promise.reject(new UserError('too-large', `This message is ${bytes} bytes; the most a backend frame can carry is ${LIMITS.maxFrameBytes - 256}. Nothing was queued.`));
    }
    const refusal = refusalBeyondBound(this.o.bounds, op, this.waiting, bytes, opts.unknownCard);
    if (refusal) return Promise.reject(new UserError('outbox-full', refusal));
    this.weigh(bytes, +1);
    const now = this.clock.now();
    const msg: Msg = {
      seq: ++this.seq, key: randomUUID(), lane, op, body: text, created: now, waitingSince: this.waitClock.now(), ttlMs: opts.ttlMs ?? null, attempts: 0,
      bytes, enqueuedAt: this.clock.mono(), notBefore: 0, storageWaits: 0, stalls: 0, sentAt: 0, drops: 0, sentAcks: 0, aside: false, durable: false, onReply: opts.onReply,
    };
    return new Promise((resolve, reject) => {
      this.writes.push({ msg, resolve, reject });
      this.scheduleWrite();
    });
  }

  /** Said on Overview (Waiting to send) and Health while writes fail: how many messages a restart would lose. */
  get alert(): string | null {
    return this.unsaved.alert();
  }

  view(): OutboxView {
    const lanes = Object.fromEntries(LANES.map((l) => [l, this.lanes[l].queue.length + this.lanes[l].aside.size])) as Record<Lane, number>;
    const oldest = this.o.store.oldestCreated();
    return {
      queued: this.waiting.count - this.inflight.size,
      inFlight: this.inflight.size,
      oldestAgeMs: this.waiting.count > 0 && oldest !== null ? Math.max(0, this.clock.now() - oldest) : null,
      oldestAt: this.waiting.count > 0 ? oldest : null,
      dead: this.o.store.deadCount(),
      lanes,
      alert: this.alert,
      why: this.waiting.count > 0 ? (this.why ?? this.failing.why(LANES.some((l) => this.lanes[l].aside.held))) : null,
    };
  }

  /**
   * What waits to be sent later, from memory (no disk read: said as the console stops, perhaps on a failing disk):
   * every message but those with a time of their own (a door release, never sent after it), and of those, how many
   * are in memory only because the disk refused them (lost at a stop).
   */
  held(): { count: number; unsaved: number } {
    let timed = 0;
    let unsaved = 0;
    const look = (m: Msg): void => {
      if (m.ttlMs !== null) timed++;
      else if (!m.durable) unsaved++;
    };
    for (const l of LANES) {
      this.lanes[l].queue.forEach(look);
      this.lanes[l].aside.all().forEach(look);
    }
    this.inflight.forEach(look);
    return { count: Math.max(0, this.waiting.count - timed), unsaved };
  }

  /** Something changed outside (a socket opened, a window freed): try sending. */
  kick(): void {
    this.schedulePump();
  }

  deadLetters(limit = 200): DeadLetter[] {
    return this.o.store.deadList(limit);
  }

  deadLetter(key: string): DeadLetter | null {
    return this.o.store.dead(key);
  }

  retryDead(key: string, actor: string): void {
    const d = this.o.store.dead(key);
    if (!d) throw new UserError('no-such-letter', 'That dead letter is gone (already retried or discarded).');
    const body = retriedBody(d);
    const bytes = Buffer.byteLength(body);
    // A retry is a new message to the bounds; refused, the letter stays where it is.
    const refusal = refusalBeyondBound(this.o.bounds, d.op, this.waiting, bytes);
    if (refusal) throw new UserError('outbox-full', refusal);
    const seq = ++this.seq;
    // Its day starts again: staff sent it back to wait.
    this.o.store.revive(d, seq, body, this.waitClock.now(), actor);
    this.weigh(bytes, +1);
    this.lanes[d.lane].spilled = true; // it sits in SQLite; the next refill loads it in order
    // Loaded now, so the pump below sends it: an idle lane has nothing else to wake it (staff pressed Retry and saw nothing go).
    this.refill(d.lane);
    this.schedulePump();
    this.emit('change');
  }

  discardDead(key: string, actor: string): void {
    const d = this.o.store.dead(key);
    if (!d) throw new UserError('no-such-letter', 'That dead letter is gone (already retried or discarded).');
    this.o.store.discard(d, actor);
    this.emit('change');
  }

  /** Commits pending writes before the process exits. */
  close(): void {
    this.clock.clearTimeout(this.wakeTimer);
    this.clock.clearTimeout(this.saveTimer);
    this.saveWaited = true;
    this.flushWrites();
    this.unsaved.stop();
  }

  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    this.clock.defer(() => this.flushWrites());
  }

  /**
   * Group commit: one transaction for everything since the last turn (new messages, acks, attempt
   * counts), so a burst of N messages costs one fsync, not N. Each is sent only after it.
   */
  private flushWrites(): void {
    this.writeScheduled = false;
    const writes = this.writes;
    const acked = this.acked;
    const attempts = this.attemptsDirty;
    this.writes = [];
    this.acked = [];
    this.attemptsDirty = [];
    // While writes fail, every commit is also a try to write what is held in memory only, and to end the alert.
    if (!writes.length && !acked.length && !attempts.length && !this.saveWaited && !this.unsaved.failing) return;
    try {
      this.o.store.commit([...this.unsaved.list(), ...writes.map((w) => w.msg)], acked, attempts, this.waitClock.now());
      this.saveWaited = false;
      this.unsaved.written();
      for (const w of writes) this.accept(w, true);
      this.buryPending();
    } catch (e) {
      this.unsaved.failed(e);
      this.acked.push(...acked);
      this.attemptsDirty.push(...attempts);
      for (const w of writes) {
        if (this.mem.count < this.o.memory.maxCount && this.mem.bytes + w.msg.bytes <= this.o.memory.maxBytes) this.accept(w, false);
        else {
          this.weigh(w.msg.bytes, -1);
          w.reject(new UserError('outbox-full', 'The disk is failing and the memory queue is full: this message was NOT accepted. Free disk space and try again.'));
        }
      }
    }
    this.emit('change');
    this.schedulePump();
  }

  private accept(w: Write, durable: boolean): void {
    w.msg.durable = durable;
    if (!durable) {
      this.hold(w.msg); // kept in memory whatever the lane's spill state: there is nowhere else
      this.unsaved.add(w.msg);
    } else this.place(w.msg);
    w.resolve({ key: w.msg.key, durable });
  }

  /** Keeps a committed message in memory if there is room and nothing older of its lane waits on disk. */
  private place(msg: Msg): void {
    const lane = this.lanes[msg.lane];
    if (lane.spilled) return;
    if (this.mem.count >= this.o.memory.maxCount || this.mem.bytes + msg.bytes > this.o.memory.maxBytes) {
      lane.spilled = true;
      return;
    }
    this.hold(msg);
  }

  private hold(msg: Msg): void {
    const lane = this.lanes[msg.lane];
    lane.queue.push(msg);
    lane.lastLoaded = Math.max(lane.lastLoaded, msg.seq);
    this.mem.count++;
    this.mem.bytes += msg.bytes;
  }

  private weigh(bytes: number, sign: 1 | -1): void {
    this.waiting.count += sign;
    this.waiting.bytes += sign * bytes;
  }

  private release(msg: Msg): void {
    this.mem.count--;
    this.mem.bytes -= msg.bytes;
  }

  /** Loads the next messages of a lane from SQLite when its memory queue runs low. */
  private refill(name: Lane): void {
    const lane = this.lanes[name];
    if (!lane.spilled || lane.queue.length > this.o.memory.maxCount / 8) return;
    const room = Math.floor(Math.min(this.o.memory.maxCount - this.mem.count, Math.max(1, this.o.memory.maxCount / 4)));
    if (room <= 0) return;
    const rows = this.o.store.page(name, lane.lastLoaded, room);
    const at = this.clock.mono();
    for (const r of rows) {
      if (this.inflight.has(r.key)) continue;
      // The stored body goes out as it is (a check-in that waited aside: scan-time.ts): no parse here. Built like enqueue's,
      // field for field, so every message has one shape for the per-message code. Its enqueue→ack time counts the wait
      // in SQLite too (on the waiting clock: this run's, never a wall clock's step): counted from the refill, a backlog
      // that spilled measured as fast as one that did not.
      this.hold({
        seq: r.seq, key: r.key, lane: r.lane, op: r.op as Op, body: r.body, created: r.created, waitingSince: r.waitingSince, ttlMs: r.ttlMs, attempts: r.attempts,
        bytes: Buffer.byteLength(r.body), enqueuedAt: at - (this.waitClock.waitedThisRun(r.waitingSince) ?? 0), notBefore: 0, storageWaits: 0, stalls: 0, sentAt: 0, drops: 0, sentAcks: 0, aside: false, durable: true, onReply: undefined,
      });
    }
    if (rows.length < room) lane.spilled = false;
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.clock.defer(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Wakes the pump in `ms`, or sooner if it is already set sooner: a message aside must not wait for another's later wake. */
  private wakeIn(ms: number): void {
    const at = this.clock.mono() + Math.max(1, ms);
    if (this.wakeAt !== null && this.wakeAt <= at) return;
    this.clock.clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAt = null;
      this.pump();
    }, Math.max(1, ms));
  }

  /** Saves the waiting clock now and then while messages wait, and looks for any whose day is up. */
  private keepWaitingClock(): void {
    if (this.saveTimer !== null || this.waiting.count === 0) return;
    this.saveTimer = this.clock.setTimeout(() => {
      this.saveTimer = null;
      this.saveWaited = true;
      this.scheduleWrite();
      this.schedulePump();
    }, SAVE_WAITED_MS);
  }

  /**
   * Highest lane first; within a lane, first those the backend failed on whose wait is over (step-aside.ts), then the
   * queue in order, head-of-line included: what waits at its head waits for an outage, which holds the rest too.
   */
  private pump(): void {
    const now = this.clock.mono();
    // The time each message waited as this console saw it: a PC clock set forward (NTP after an outage) ages none.
    const waited = this.waitClock.now();
    for (const name of LANES) {
      const lane = this.lanes[name];
      const q = lane.queue;
      const expired = (m: Msg) => expiry(m, waited, this.waitClock.runStart, this.o.ttlMs);
      for (const msg of lane.aside.sweep((m) => expired(m) !== null)) this.expire(msg, expired(msg)!);
      while (lane.aside.ready(now)) {
        const ch = this.channelFor(name);
        if (!ch) break;
        if (!lane.bucket.take()) {
          this.wakeIn(lane.bucket.waitMs());
          break;
        }
        this.send(lane.aside.take(now)!, ch);
      }
      // Due and not sent (no socket ready) is woken as the queue is, by the pool's kick.
      const asideAt = lane.aside.wakeAt();
      if (asideAt !== null && asideAt > now) this.wakeIn(asideAt - now);
      for (;;) {
        while (q.length) {
          const msg = q[0]!;
          const gone = expired(msg);
          if (gone) {
            q.shift();
            this.expire(msg, gone);
            continue;
          }
          if (msg.notBefore > now) {
            this.wakeIn(msg.notBefore - now);
            break;
          }
          const ch = this.channelFor(name);
          if (!ch) break;
          if (!lane.bucket.take()) {
            this.wakeIn(lane.bucket.waitMs());
            break;
          }
          q.shift();
          this.send(msg, ch);
        }
        const ranDry = q.length === 0;
        this.refill(name);
        // Loaded once the queue ran dry: sent now, for no ack may be owed to pump again (a backlog past the memory
        // window then sat loaded until the pool's next change).
        if (!ranDry || q.length === 0) break;
      }
    }
    this.keepWaitingClock();
  }

  /** A lane stays on its socket while it has messages in flight there, so its order holds across failover. */
  private channelFor(name: Lane) {
    const lane = this.lanes[name];
    if (lane.pinned !== null) {
      const ch = this.o.channels.get(lane.pinned);
      if (ch?.ready(name)) return ch;
      if (lane.inFlight > 0) return null;
      lane.pinned = null;
    }
    const others = new Set(LANES.filter((l) => l !== name).map((l) => this.lanes[l].pinned).filter((x): x is string => x !== null));
    const ch = this.o.channels.pick(name, others);
    if (ch) lane.pinned = ch.id;
    return ch;
  }

  private send(msg: Msg, ch: Channel): void {
    const body = bodyToSend(msg, { now: this.clock.now(), waited: this.waitClock.waitedThisRun(msg.waitingSince) }, this.o.decidedOffline);
    msg.sentAt = this.clock.mono();
    msg.sentAcks = this.acks;
    msg.attempts++;
    this.inflight.set(msg.key, msg);
    this.lanes[msg.lane].inFlight++;
    ch.send(msg.op, body, msg.key, new Attempt(this.outcomes, msg));
  }

  /** What an attempt reports back to; made once, so a send allocates one small object and no closures. */
  private readonly outcomes: Outcomes<Msg> = {
    acked: (msg) => this.acknowledged(msg),
    failed: (msg, e) => this.failed(msg, e),
    // Every reply is also announced, so a message restored from disk after a restart is still answered.
    replied: (msg, reply) => {
      this.emit('reply', msg.key, msg.op, reply);
      msg.onReply?.(reply);
    },
    refusedAfterAck: (msg) => void this.emit('refused', msg.key),
  };

  private acknowledged(msg: Msg): void {
    if (this.why !== null) {
      this.why = null;
      this.emit('change');
    }
    this.acks++;
    this.inflight.delete(msg.key);
    this.lanes[msg.lane].inFlight--;
    this.lanes[msg.lane].aside.taken();
    if (this.failing.unflag(msg)) this.emit('change');
    this.weigh(msg.bytes, -1);
    this.release(msg);
    this.unsaved.drop(msg); // delivered from memory: nothing left to write
    if (msg.durable) this.acked.push(msg.seq);
    this.o.onAck?.(this.clock.mono() - msg.enqueuedAt);
    this.emit('acked', msg.key);
    this.scheduleWrite();
    this.schedulePump();
  }

  private failed(msg: Msg, e: Error): void {
    // Asked only of a socket the backend dropped: it walks this lane's messages in flight, and is not for every failure.
    const head = e instanceof ConnectionLost && e.byBackend && !(e instanceof MalformedReply) && this.oldestInFlight(msg);
    this.inflight.delete(msg.key);
    this.lanes[msg.lane].inFlight--;
    if (e instanceof RequestRejected) {
      // The whole answer of a backend that sent a developer's text is for IT, in the log; the letter says its first line.
      if (e.extra?.detail) console.error(`outbox: the backend refused ${msg.op} ${msg.key.slice(0, 8)} (${e.code}); its whole answer: ${e.extra.detail}`);
      return this.bury(msg, `refused by the backend (${backendText(e.code, 64)}): ${e.message}`, true);
    }
    if (e instanceof StorageUnavailable) return this.waitForStorage(msg);
    // A backend that drops the socket as soon as it gets this message, every time, would hold its lane for a day.
    const poison = head && droppedOn(msg, this.clock.mono(), this.acks);
    if (poison) return this.bury(msg, `the backend closed the connection each time this was sent (${msg.drops} times in a row)${poison}; it may be unable to take it`, true);
    if (e instanceof RequestTimedOut || (e instanceof ConnectionLost && !(e instanceof MalformedReply))) return this.waitOut(msg, e);
    // The backend read it and failed on it (an internal error, a reply we cannot read): this message, not an outage,
    // so the attempts are counted, or one message the backend cannot take would be tried for a day.
    const unknownCode = e instanceof RequestFailed && !e.known;
    if (msg.attempts >= (unknownCode ? Math.min(UNKNOWN_CODE_TRIES, this.o.maxAttempts) : this.o.maxAttempts)) {
      if (e instanceof RequestFailed && e.detail) console.error(`outbox: the backend kept failing on ${msg.op} ${msg.key.slice(0, 8)} (${e.code}); its last whole answer: ${e.detail}`);
      return this.bury(msg, givenUp(e, msg.attempts), true);
    }
    msg.notBefore = this.clock.mono() + fullJitter(msg.attempts, this.o.retryBaseMs, this.o.retryCapMs);
    if (msg.durable) this.attemptsDirty.push([msg.attempts, msg.seq]);
    this.stepAside(msg, true);
  }

  /** Out of its lane's line with its own backoff, so the messages behind it are sent meanwhile (step-aside.ts). */
  private stepAside(msg: Msg, failed: boolean): void {
    if (this.failing.flag(msg)) this.emit('change');
    this.lanes[msg.lane].aside.put(msg, this.clock.mono(), failed);
    this.scheduleWrite();
    this.schedulePump();
  }

  /** Whether `msg` is the oldest of its lane still in flight: the one a backend that chokes on it chokes on first. */
  private oldestInFlight(msg: Msg): boolean {
    for (const other of this.inflight.values()) if (other.lane === msg.lane && other.seq < msg.seq) return false;
    return true;
  }

  /**
   * A socket lost with the message on it, or a request never answered: the backend may well have applied it, and the
   * key makes a resend safe (it answers with its first reply). Not the message's fault, so no attempt is counted; a
   * first loss resends at once elsewhere, and then it backs off, so a stuck or flapping backend is not hammered.
   */
  private waitOut(msg: Msg, e: Error): void {
    msg.attempts--;
    const first = msg.stalls++ === 0 && e instanceof ConnectionLost;
    msg.notBefore = first ? 0 : this.clock.mono() + this.o.retryBaseMs / 2 + fullJitter(msg.stalls, this.o.retryBaseMs, this.o.retryCapMs);
    // Unanswered while the backend answered others: this message's trouble, not a stuck backend, so it steps aside.
    if (e instanceof RequestTimedOut && this.acks > msg.sentAcks) return this.stepAside(msg, false);
    if (e instanceof RequestTimedOut && this.why !== UNANSWERED_WHY) {
      this.why = UNANSWERED_WHY;
      this.emit('change');
    }
    this.requeue(msg);
  }

  /**
   * The backend said its shared database is down and nothing was applied: an outage, not this
   * message's fault, so it does not count toward giving up; it waits (up to its time to live) and
   * asks again every few seconds, never in a tight loop, so the database's return is noticed soon.
   */
  private waitForStorage(msg: Msg): void {
    msg.attempts--;
    const wait = Math.min(STORAGE_RETRY_CAP_MS, this.o.retryBaseMs * 2 ** Math.min(msg.storageWaits++, 16));
    msg.notBefore = this.clock.mono() + wait / 2 + Math.random() * (wait / 2);
    this.requeue(msg);
  }

  private requeue(msg: Msg): void {
    const q = this.lanes[msg.lane].queue;
    let i = q.length;
    while (i > 0 && q[i - 1]!.seq > msg.seq) i--;
    q.splice(i, 0, msg);
    this.scheduleWrite();
    this.schedulePump();
  }

  private expire(msg: Msg, reason: string): void {
    if (msg.ttlMs === null) return this.bury(msg, reason);
    // A door release past its 15 s: the door card told the desk "not released" and the audit log has it.
    this.release(msg);
    this.weigh(msg.bytes, -1);
    this.failing.unflag(msg);
    if (msg.durable) this.forgetLater(msg.seq, () => this.o.store.lapse(msg.seq));
    else this.unsaved.drop(msg); // never written: nothing on disk to remove
    this.emit('lapsed', msg.key, msg.op, msg.body, msg.waitingSince < this.waitClock.runStart, msg.created);
    this.emit('change');
  }

  /**
   * Forgets a now-or-never message its sender has given up on and told (a door release waiting as the
   * console stops): a restart finds nothing to lapse, and records no second outcome.
   */
  forget(key: string): void {
    // Held in memory only, it must not be written by the last commit either.
    this.unsaved.dropKey(key);
    try {
      this.o.store.forget(key);
    } catch (e) {
      // The console is stopping and the disk refuses: a restart finds it and lapses it, which is all that costs.
      if (!diskProblem(e)) throw e;
      this.unsaved.failed(e);
    }
  }

  /** Removes a message's row by seq now, or, while the disk refuses that, with the next commit that takes. */
  private forgetLater(seq: number, remove: () => void): void {
    try {
      remove();
    } catch (e) {
      this.unsaved.failed(e);
      this.acked.push(seq);
      this.emit('change');
    }
  }

  private bury(msg: Msg, reason: string, wasHeld = true): void {
    if (wasHeld) this.release(msg);
    this.weigh(msg.bytes, -1);
    if (this.failing.unflag(msg)) this.emit('change');
    // Shown in Dead letters and the activity feed: one plain line, whatever the backend's text held.
    this.unburied.push({ msg, reason: backendText(reason, 300), at: this.clock.now() });
    this.buryPending();
    this.emit('change');
    // Room freed without an ack: a backlog waiting in SQLite is loaded and sent now, not at the next wake (review26 V14).
    this.schedulePump();
  }

  /**
   * Writes the dead letters that wait for the disk (oldest first), each told once written. One the disk refuses
   * waits here and is tried with the next commit: held in memory only, it is counted in the alert as long.
   */
  private buryPending(): void {
    while (this.unburied.length) {
      const b = this.unburied[0]!;
      try {
        this.o.store.bury(b.msg, b.reason, b.at);
      } catch (e) {
        this.unsaved.failed(e);
        if (!b.msg.durable) this.unsaved.add(b.msg); // still only in memory, now as a dead letter to be
        return;
      }
      this.unburied.shift();
      this.unsaved.drop(b.msg);
      const d = this.o.store.dead(b.msg.key);
      if (d) this.emit('dead', d);
    }
  }
}
