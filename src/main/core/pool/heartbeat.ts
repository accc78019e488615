import type { Clock } from '../clock';
import type { FailureCause } from '../../../shared/pools';
import { cause, causeOfAppSilence } from './failure-cause';
import { FailureDetector } from './failure-detector';

/** The backend program a socket reaches, judged as one across the console's sockets to its instance (pool.ts, programs.ts). */
export interface ProgramLink {
  /** When it last answered, on any socket (mono). */
  heardAt(): number;
  /** Known (or, beside a stuck one, presumed) stuck: its sockets stay open and out of use, not closed again and again. */
  stuck(): boolean;
  /** It answered (a frame after its welcome), at `at` (mono): told as it happens, so nobody has to ask. */
  answered(at: number): void;
  /** It answered a protocol ping of this socket. */
  pingAnswered(): void;
  /** It sent other frames while a protocol ping of this socket was owed past the program's deadline. */
  pingsOwedWhileTalking(): void;
  /** Programs at its address are seen to leave pings unanswered while alive (and never to answer one). */
  ignoresPings(): boolean;
  /** Its welcome named its instance: unnamed, "the program" is every backend behind the address (a load balancer's). */
  named(): boolean;
  /** It answered, on this socket, something this console sent at `sentAt` (mono): proof it was alive then. */
  proved(sentAt: number): void;
  /** The latest send time (mono) of anything it answered, on any socket: alive since. */
  provenAt(): number;
}

/** What the heartbeat needs from its socket. */
export interface HeartbeatHost {
  clock: Clock;
  /** Sends a WebSocket ping and, once the handshake is done, a protocol ping carrying `ts`. */
  ping(ts: number): void;
  state(): 'connecting' | 'open' | 'closed';
  condemn(reason: string, failure: FailureCause): void;
  /** True while a ping is wanted every beat whatever the traffic (a socket carrying the event stream: its pongs report the stream's head). */
  mustBeat(): boolean;
  /**
   * Whether frames this socket brought waited on the console itself at any time since `since` (monotonic), or still do:
   * what came behind them (a pong) was late for the console's sake, and a socket whose frames wait unread is not silent.
   */
  waitedOnUs?(since: number): boolean;
  /** The backend program behind this socket, as the pool knows it from every socket to its instance. */
  program?: ProgramLink;
}

/**
 * The least time a backend program gets to answer anything (a protocol pong, an ack, an event) while its WebSocket
 * layer still answers pings; at least twice the pool's dead-peer setting. Long, because slow is not stopped: a
 * backend whose every answer comes 4 s late is slow, and closing it would only lose its answers (review18 M2).
 */
export const PROGRAM_SILENCE_MS = 10_000;

/**
 * While its instance is heard on another socket, a silent socket gets this many times the pool's dead-peer setting
 * (at most the program's deadline): the instance is alive and busy, not gone.
 */
const BUSY_SILENCE_FACTOR = 4;

/**
 * The longest a socket may be silent before its heartbeat gives it up: the dead-peer setting, stretched while its
 * instance is heard on another socket (heardElsewhere), never past the program deadline. Recovery's sweep for silent
 * sockets waits past it, or it would close the very sockets the stretch keeps (review21 K3).
 */
export function longestSilenceMs(intervalMs: number, deadAfterMs = 4 * intervalMs): number {
  return Math.min(programDeadlineFor(deadAfterMs), BUSY_SILENCE_FACTOR * deadAfterMs);
}

function programDeadlineFor(deadAfterMs: number): number {
  return Math.max(PROGRAM_SILENCE_MS, 2 * deadAfterMs);
}

/** An adaptive check that runs later than this was held up by our own loop: the next beat judges instead. */
const CHECK_SLACK_MS = 50;
/** The least time a peer gets to answer a ping before its silence counts against it. */
const REPLY_GRACE_MS = 100;
/**
 * Beats fall on whole slots of the monotonic clock: the sockets whose phases share a slot beat in one
 * wake-up of the loop, not one each (a thousand a second at 300 sockets, each a context switch).
 */
export const BEAT_SLOT_MS = 10;

/**
 * One socket's liveness: pings every interval, counts any inbound frame as life, and condemns an open
 * peer after a silence longer than its adaptive deadline (failure-detector.ts), at most the pool's
 * setting (a socket still connecting is its handshake deadline's, connection.ts). Deadlines use the
 * monotonic clock, so a throttled or sleeping timer cannot hide a dead peer.
 */
export class Heartbeat {
  private lastInbound = 0;
  /**
   * When a beat last ran more than a beat late (our own stall, or a sleep): the silence before it is ours, not the
   * peer's, so silence is counted from then; the probe that beat starts judges the peer meanwhile (review29 V5).
   */
  private wokeAt = -Infinity;
  /** When the peer was last heard from after a silence past its deadline: a round trip spanning it came out of a freeze. */
  private freezeEndedAt = -Infinity;
  /** When the instance last answered a request of ours (an ack or a reply): proof both ways, as a pong is. */
  private lastAnswered = -Infinity;
  /** The oldest ping sent since anything was last heard: the peer has owed an answer since then. */
  private awaitingSince = -Infinity;
  /**
   * When the backend program last sent a frame (a WebSocket pong is its WebSocket layer's, which a Go or Java server
   * answers from its own thread while its handler is deadlocked: probe-hostile18 F3), and the oldest protocol ping
   * sent since then: the program has owed an answer since.
   */
  private lastProgram = 0;
  private programOwedSince = -Infinity;
  /** The first request sent since the program last answered on this socket (mono), and still owed by it. */
  private requestOwedSince = -Infinity;
  /** The first request that timed out unanswered here since the program last answered on this socket (mono). */
  private expiredOwedSince = -Infinity;
  /** The protocol ping owed longest, since the last pong (null: none owed). */
  private pongOwedSince: number | null = null;
  /**
   * The last 16 pings by `ts`: how late after its beat's due time it went (our timers, the slot), taken
   * out of its reply's arrival so reply gaps describe the peer, null for a probe (off the beat, so no
   * gap); and how many pongs are still owed for it (two pings can share a ms).
   */
  private readonly sent = new Map<number, { late: number | null; owed: number }>();
  /** The first ping's `ts`: a pong for anything earlier answers no ping of this socket. */
  private firstPing = Infinity;
  /** Answers to pings sent before this are not learned from: they come out of a freeze, or span a beat that rested. */
  private ignoreBefore = -Infinity;
  /** Smoothed round trip of protocol pings, so a slow link gets time to answer a late ping; one spike does not. */
  private rttEwma = 0;
  /**
   * The round trip of the latest ping answered (by when it was sent: a slow answer to an older ping arriving
   * after it is the past): a link slow a while ago and quick now has no need of the smoothed one's time.
   */
  private latest = { ts: -Infinity, rtt: 0 };
  /**
   * The probe under way: answered only by proof the instance is alive since `since` (monotonic): a pong to a ping,
   * or an answer to a request, sent at or after it. Any other frame may have been in flight, or held in the kernel
   * through a sleep, before the instance hung: it keeps the ordinary silence deadline at bay, not a probe.
   */
  private probing: { since: number } | null = null;
  private beat: unknown = null;
  private check: unknown = null;
  private readonly detector: FailureDetector;
  private readonly clock: Clock;

  constructor(
    private readonly host: HeartbeatHost,
    private intervalMs: number,
    /** The pool's dead-peer setting: the adaptive deadline's ceiling. */
    private deadAfterMs = 4 * intervalMs,
    /** Gaps learned on an earlier socket to the same endpoint. */
    prior?: readonly number[],
  ) {
    this.clock = host.clock;
    this.detector = new FailureDetector({ ceilingMs: deadAfterMs, prior, expectedGapMs: intervalMs });
  }

  /** The reply gaps seen so far (those it started from included), to pass on to the next socket. */
  gaps(): number[] {
    return this.detector.snapshot();
  }

  /** How many gaps `gaps()` would give, without copying them. */
  get samples(): number {
    return this.detector.samples;
  }

  /**
   * `phase` (0 to 1): how much of an interval early the first beat comes, and so where in the
   * interval every later one falls. Sockets opened in one turn would otherwise all beat in one turn:
   * a burst of a thousand pings and checks every interval, and a stall the size of it.
   */
  start(phase = 0): void {
    this.lastInbound = this.lastProgram = this.clock.mono();
    this.scheduleBeat(this.clock.mono() + this.intervalMs * (1 - Math.min(1, Math.max(0, phase))));
  }

  stop(): void {
    this.clock.clearTimeout(this.beat);
    this.clock.clearTimeout(this.check);
  }

  /** Ms since the last inbound frame of any kind. */
  get silentForMs(): number {
    return this.clock.mono() - this.lastInbound;
  }

  /**
   * Any inbound frame is a sign of life (for the silence deadline; a probe wants proof, see `proves`). `program`:
   * false for a WebSocket pong, which the backend's WebSocket layer sends whatever its program does.
   */
  alive(program = true): void {
    const now = this.clock.mono();
    if (program) {
      // Alive while a ping waits past the deadline: its pings are filtered (or this is that ping's late answer, which
      // then says it answers them: either way the address learns it).
      if (this.pongOwedSince !== null && now - this.pongOwedSince > this.programDeadlineMs && this.host.state() === 'open') this.host.program?.pingsOwedWhileTalking();
      this.lastProgram = now;
      // After its welcome only: a stuck program may still greet.
      if (this.host.state() === 'open') this.host.program?.answered(now);
    }
    if (now - this.lastInbound > this.detector.deadlineMs()) this.freezeEndedAt = now;
    this.lastInbound = now;
    // The check waits for an answer to a ping; this is one, so it would only wake the loop to find so.
    if (this.check !== null) {
      this.clock.clearTimeout(this.check);
      this.check = null;
    }
  }

  /** A request went out: a program spared its pings is judged by the requests it owes (probe-hostile20 H1). */
  asked(): void {
    if (this.requestOwedSince <= this.lastProgram) this.requestOwedSince = this.clock.mono();
  }

  /** A request sent at `sentAt` (mono) timed out unanswered here: the program still owes it. */
  expired(sentAt: number): void {
    if (sentAt > this.lastProgram && !(this.expiredOwedSince > this.lastProgram && this.expiredOwedSince <= sentAt)) this.expiredOwedSince = sentAt;
  }

  /**
   * A request was answered on another socket, so this one's copy is owed no more (a backend that answers only the first
   * copy of a hedged id would otherwise be judged stuck: review20b M2). `sentAt`: when it was sent; `owed`: when each
   * request still owed here was sent. Only the oldest owed sets the deadline, so settling any other walks nothing:
   * settling each of thousands pending walked them all each time, seconds of a frozen console (prof28 P3).
   */
  settledElsewhereAt(sentAt: number, owed: () => Iterable<number>): void {
    if (this.requestOwedSince > this.lastProgram && sentAt > this.requestOwedSince) return;
    let oldest = this.expiredOwedSince > this.lastProgram ? this.expiredOwedSince : Infinity;
    for (const at of owed()) if (at > this.lastProgram && at < oldest) oldest = at;
    this.requestOwedSince = oldest === Infinity ? -Infinity : oldest;
  }

  /** The instance answered a request sent at `sentAt` (monotonic): call after `alive()` for the same frame. */
  answered(sentAt: number): void {
    this.lastAnswered = this.lastInbound;
    this.proves(sentAt);
  }

  /**
   * The instance answered something sent at `sentAt` (monotonic): a probe started then or earlier has its proof.
   * A WebSocket pong carrying its ping's `ts` is one (the backend's WebSocket library answers it even with its storage down).
   */
  proves(sentAt: number): void {
    if (sentAt > this.clock.mono()) return;
    if (this.probing !== null && sentAt >= this.probing.since) this.probing = null;
    this.host.program?.proved(sentAt);
  }

  /**
   * Its instance proved itself alive since `since` on another of the console's sockets (a pong to a later ping, an
   * answer to a later request): it is slow, not gone, and this socket's answer may be queued behind the others'. After
   * the console's own stall a thousand sockets probed at once were all closed as unreachable when their backend took
   * more than a second to answer them all, and their requests failed over into a reconnect storm (prof28 P5).
   */
  private provenElsewhere(since: number): boolean {
    return (this.host.program?.named() ?? false) && this.host.program!.provenAt() >= since;
  }

  /**
   * A protocol pong carrying `ts`: the arrivals the deadline is learned from. Says whether it answers
   * a ping of ours still owed (`timed`: its round trip is real), one too old to be remembered
   * (`forgotten`: a late answer, after a freeze, to a ping among the first of a long silence), or
   * none we sent or an answer we already had (`never-sent`: a protocol error), or one that waited behind frames
   * the console had not yet handled (`ours`: its round trip is the console's, not learned).
   */
  reply(ts: number): 'timed' | 'ours' | 'forgotten' | 'never-sent' {
    const ping = this.sent.get(ts);
    if (ping === undefined || ping.owed === 0) {
      // Every ping since the oldest remembered is remembered, and none went before the first.
      const oldest = this.sent.keys().next().value;
      if (oldest === undefined || ts >= oldest || ts < this.firstPing) return 'never-sent';
      this.detector.forgetLast();
      // Late, but an answer to a ping of ours all the same: this program answers pings (review20b L4).
      this.pongOwedSince = null;
      this.host.program?.pingAnswered();
      return 'forgotten';
    }
    ping.owed--;
    this.pongOwedSince = null;
    this.host.program?.pingAnswered();
    this.proves(ts);
    // Read behind the console's own backlog: its round trip is the console's lag, not the peer's (probe-hostile15 R2).
    if (this.host.waitedOnUs?.(ts)) return (this.outage(), 'ours');
    const now = this.clock.mono();
    const rtt = now - ts;
    // An answer slower than the deadline whose round trip spans a silence past it comes out of a freeze: so do the
    // rest of its backlog. One that took as long while the peer was heard from all along (its link's own pongs, other
    // frames) is a slow backend, not a frozen one: its round trip and rhythm are learned like any other.
    if (rtt > this.detector.deadlineMs() && ts < this.freezeEndedAt) return (this.outage(), 'timed');
    if (ping.late === null || ts < this.ignoreBefore) return (this.detector.forgetLast(), 'timed');
    this.rttEwma += (this.rttEwma ? 0.2 : 1) * (rtt - this.rttEwma);
    if (ts > this.latest.ts) this.latest = { ts, rtt };
    this.detector.heartbeat(now - ping.late);
    return 'timed';
  }

  /**
   * The peer froze (another socket to it was condemned for silence, or an answer came back slower
   * than the deadline): answers to pings sent until now say nothing about the link's rhythm, and
   * the first answer after them starts afresh.
   */
  outage(): void {
    this.detector.forgetLast();
    this.ignoreBefore = this.clock.mono();
  }

  /**
   * Frames of this socket still wait on the console (or did until now): it is not silent, the console is behind.
   * Its silence counts afresh from now, and the gap is not learned as the peer's rhythm.
   */
  private behindOnIt(): boolean {
    const now = this.clock.mono();
    if (!this.host.waitedOnUs?.(now)) return false;
    this.lastInbound = this.lastProgram = now;
    this.probing = null;
    this.outage();
    return true;
  }

  /** Hot change of the probe interval; the dead-peer deadline follows it, learned afresh. */
  setInterval(ms: number): void {
    this.intervalMs = ms;
    this.deadAfterMs = 4 * ms;
    this.detector.reset(this.deadAfterMs, ms);
  }

  /** How long the backend program may send nothing while its WebSocket layer answers pings. */
  get programDeadlineMs(): number {
    return programDeadlineFor(this.deadAfterMs);
  }

  /**
   * Open, a protocol ping owed, and the program silent past its deadline since, on this socket and on every other to
   * its instance (its WebSocket layer may answer still). A program that streams events or answers requests on one
   * socket is not stuck because it leaves another's pings unanswered (probe-hostile19 G3).
   */
  private programStalled(now: number): boolean {
    if (this.host.state() !== 'open' || this.programOwedSince <= this.lastProgram || this.host.program?.stuck()) return false;
    const heardAt = this.host.program?.heardAt() ?? -Infinity;
    // A program seen alive while leaving pings unanswered (an old build, a proxy that filters them) is not judged by
    // pings it owes: on a quiet gym it would be called stuck every night (review19 M4). Only on that evidence: one
    // that answered a snapshot and then nothing is judged (review20 M2); so is one that never answered anything.
    // Spared its pings, it is judged by the requests it owes, from the first: one that stops answering check-ins is stuck.
    if (heardAt > -Infinity && (this.host.program?.ignoresPings() ?? false)) {
      return this.requestOwedSince > this.lastProgram && now - Math.max(this.requestOwedSince, heardAt) > this.programDeadlineMs;
    }
    return now - Math.max(this.lastProgram, heardAt) > this.programDeadlineMs;
  }

  /**
   * Its instance answered on another of the console's sockets since this one was last heard, within the dead-peer
   * setting: alive. A backend streaming a replay on one socket, on a loaded machine, answered the other's pings 0.7–0.9 s
   * late; closing that socket as unreachable only sent its check-ins round again and decided them on this PC.
   */
  private heardElsewhere(now: number): boolean {
    // Only a named instance: behind a balancer whose backends give no name, one answering says nothing of another (review21 K1).
    if (!this.host.program?.named()) return false;
    const at = this.host.program.heardAt();
    return at > this.lastInbound && now - at <= this.deadAfterMs;
  }

  /** Silent past its limit. The plain deadline is asked first: silenceLimitMs is never below it, and this runs every beat. */
  /** Since when this socket counts as silent: its last frame, or the end of our own stall if later. */
  private get quietSince(): number {
    return Math.max(this.lastInbound, this.wokeAt);
  }

  private silentTooLong(now: number): boolean {
    const silent = now - this.quietSince;
    return silent > this.deadAfterMs && silent > this.silenceLimitMs(now);
  }

  /** How long this socket may be silent now before it is given up on (see heardElsewhere). */
  private silenceLimitMs(now: number): number {
    return this.heardElsewhere(now) ? longestSilenceMs(this.intervalMs, this.deadAfterMs) : this.deadAfterMs;
  }

  /** The silence after which this peer is given up on now. */
  get deadlineMs(): number {
    return this.detector.deadlineMs();
  }

  /** The smoothed round trip of its protocol pings (0 before any): how long the instance takes to answer. */
  get replyMs(): number {
    return Math.round(this.rttEwma);
  }

  /** Still the first estimate from the interval: too few replies seen to learn from. */
  get learning(): boolean {
    return this.detector.learning;
  }

  /**
   * Probes now (after a wake or a network change): no proof of life within `withinMs` (or twice the link's round
   * trip, if longer) means dead. Frames sent before the probe (an event, a pong to an earlier ping) are no proof: read
   * after a sleep, they hid a hung instance (stopped, its kernel still holding the connection) until the pool's
   * deadline. The instance proven alive on another socket since is proof enough to leave this one to its deadlines.
   */
  probe(withinMs = 1_000, since = this.clock.mono(), afterOwnStall = false): void {
    // A socket still connecting has its own deadline (the handshake's): a probe would only judge our own stall.
    // One probe at a time: on a loop that keeps running late, each late beat would start another
    // chain of re-probes, and a thousand sockets' chains were enough to stall the loop for good.
    if (this.host.state() !== 'open' || this.probing !== null) return;
    const probing = { since };
    this.probing = probing;
    const sentAt = this.clock.mono();
    // A slow link's answer is not a dead one: as long as the adaptive check gives a ping (armCheck).
    const limit = Math.max(withinMs, 2 * Math.min(this.rttEwma, this.latest.rtt));
    this.ping(null);
    this.clock.setTimeout(() => {
      if (this.probing !== probing) return; // proven alive, or the console was behind
      // Late ourselves: the answer may be waiting unread behind this timer, so ask again; an answer to
      // the first ask still counts.
      if (this.clock.mono() - (sentAt + limit) > this.intervalMs) {
        this.probing = null;
        return this.probe(withinMs, since, afterOwnStall);
      }
      this.afterReads(
        () => {
          if (this.probing !== probing || this.behindOnIt()) return false;
          // Only after our own stall: after a wake or a network change another socket's answer says nothing of this
          // one's own path, which may be the one that died (review29 V6).
          if (!afterOwnStall || !this.provenElsewhere(since)) return true;
          this.probing = null;
          return false;
        },
        () => this.host.condemn('no answer to a probe after wake or network change', cause('unreachable', 'no answer to a probe')),
        () => {},
      );
    }, limit);
  }

  /**
   * A verdict of silence, given only after the frames already waiting have been read: a timer runs
   * before the loop reads sockets, so on a busy console the answer can be sitting unread behind it.
   */
  private afterReads(silent: () => boolean, dead: () => void, alive: () => void): void {
    this.clock.defer(() => {
      if (this.host.state() === 'closed') return;
      if (silent()) dead();
      else alive();
    });
  }

  /** `late`: how late this beat ran; null for a probe. */
  private ping(late: number | null): void {
    const ts = this.clock.mono();
    if (this.awaitingSince <= this.lastInbound) this.awaitingSince = ts;
    if (this.programOwedSince <= this.lastProgram) this.programOwedSince = ts;
    this.pongOwedSince ??= ts;
    const same = this.sent.get(ts);
    if (same) same.owed++;
    else this.sent.set(ts, { late, owed: 1 });
    this.firstPing = Math.min(this.firstPing, ts);
    if (this.sent.size > 16) this.sent.delete(this.sent.keys().next().value!);
    this.host.ping(ts);
  }

  /**
   * The beat due at `due` (monotonic), run at the slot it falls in; the next is due an interval after
   * it, so beats keep their phase however late each runs. A beat that runs more than a beat late
   * means we were asleep or our own event loop stalled: frames may be waiting unread, so probe
   * instead of judging by stale silence, and beat on from now.
   */
  private scheduleBeat(due: number): void {
    const at = Math.ceil(due / BEAT_SLOT_MS) * BEAT_SLOT_MS;
    this.beat = this.clock.setTimeout(() => {
      if (this.host.state() === 'closed') return;
      const now = this.clock.mono();
      if (now - due > this.intervalMs) {
        this.detector.forgetLast(); // the gap we slept through is ours, not the peer's
        this.lastProgram = this.wokeAt = now; // and so is its program's silence through it, and its socket's
        this.probe(undefined, undefined, true);
        return this.scheduleBeat(now + this.intervalMs);
      } else if (this.programStalled(now)) {
        // Its link answers, its program has not for a long while: stuck, not slow. Judged after the reads, as below.
        return this.afterReads(
          () => this.programStalled(this.clock.mono()) && !this.behindOnIt(),
          () => {
            const ms = Math.round(this.clock.mono() - this.lastProgram);
            this.host.condemn(`its application sent nothing for ${ms} ms while its WebSocket answered pings`, causeOfAppSilence(this.programDeadlineMs));
          },
          () => {
            this.ping(Math.max(0, now - due));
            this.armCheck();
            this.scheduleBeat(due + this.intervalMs);
          },
        );
      } else if (this.probing === null && this.silentTooLong(now) && this.host.state() === 'open') {
        // (A probe under way judges by its own deadline: a reply within it keeps the socket, docs/protocol.md.)
        // Only an open socket: one still connecting is judged by its handshake deadline alone (connection.ts),
        // as Test connection judges it; at 4 beats (1 s at 250 ms) a welcome 1.5 s away was cut off.
        return this.afterReads(
          () => this.silentTooLong(this.clock.mono()) && !this.behindOnIt(),
          () => this.host.condemn('no sign of life (heartbeat timeout)', cause('unreachable', 'heartbeat timeout')),
          () => {
            this.ping(Math.max(0, now - due));
            this.armCheck();
            this.scheduleBeat(due + this.intervalMs);
          },
        );
      } else if (this.host.state() === 'connecting' && now - this.lastInbound < this.intervalMs) {
        // Still in the handshake and heard from within the beat (the upgrade): a ping proves nothing more,
        // and in an opening storm it is one more frame each way per socket. A silent one is pinged as before.
      } else if (now - this.lastAnswered < this.intervalMs && !this.host.mustBeat()) {
        // Answered within the beat: the link is proven both ways, and a ping would only add load
        // (at 500 busy sockets, most of the pool's CPU beyond its requests). The next pong's gap
        // starts afresh, so the rest is not learned as a slow reply; nor is a pong still owed for
        // an earlier ping (a round trip longer than a beat), whose gap to the next would span two.
        this.detector.forgetLast();
        this.ignoreBefore = now;
      } else {
        this.ping(Math.max(0, now - due));
        this.armCheck();
      }
      this.scheduleBeat(due + this.intervalMs);
    }, at - this.clock.mono());
  }

  /**
   * Between beats, condemns the peer once the adaptive deadline has passed and a ping has gone
   * unanswered for the grace (later pings do not push that back). The beat's own check at the pool's setting stays as the backstop, so this is only ever earlier.
   */
  private armCheck(): void {
    this.clock.clearTimeout(this.check);
    if (this.host.state() !== 'open') return;
    // After a late ping of ours, the peer still gets the deadline's slack beyond one interval to answer it.
    const deadline = this.detector.deadlineMs();
    // Long only while the link is slow now: a backend that answered slowly a while ago, then quickly, and then froze
    // was caught only at the pool setting, its smoothed round trip still seconds long for a dozen beats.
    const grace = Math.max(REPLY_GRACE_MS, deadline - this.intervalMs, 2 * Math.min(this.rttEwma, this.latest.rtt));
    const at = Math.max(this.quietSince + deadline, this.awaitingSince + grace) + 1;
    if (at > this.quietSince + this.deadAfterMs) return;
    this.check = this.clock.setTimeout(() => {
      const now = this.clock.mono();
      if (this.host.state() !== 'open' || now - at > CHECK_SLACK_MS || this.lastInbound >= this.awaitingSince || this.probing !== null) return;
      if (now - this.quietSince <= this.detector.deadlineMs() || this.heardElsewhere(now)) return;
      // One more turn before the verdict: a reply already readable is read first.
      const heard = this.lastInbound;
      this.clock.defer(() => {
        if (this.host.state() !== 'open' || this.lastInbound !== heard || this.probing !== null || this.heardElsewhere(this.clock.mono()) || this.behindOnIt()) return;
        const ms = Math.round(this.clock.mono() - Math.max(heard, this.wokeAt));
        this.host.condemn(`no sign of life for ${ms} ms (adaptive deadline ${this.detector.deadlineMs()} ms)`, cause('unreachable', 'heartbeat timeout (adaptive)'));
      });
    }, at - this.clock.mono());
  }
}
