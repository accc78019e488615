import type { Clock } from '../clock';

/**
 * A hole that stood this long with no event applied: if replays promised what it lacks, it is lost; if nobody
 * answered, what waits past it is let go and asked again (twice unanswered, it is lost too).
 */
export const MAX_HOLD_MS = 10_000;
/** The first wait between rounds of replay requests for one hole; each round waits twice the one before. */
export const RESUB_AFTER_MS = 500;
const RESUB_CAP_MS = 30_000;
/** A replay comes back to back: one that brought events and then nothing for this long has ended. */
const REPLAY_PAUSE_MS = 100;
/**
 * Rounds whose replays promised the events a hole lacks and did not bring them: that many, and the backend does not
 * have them (a seq it skipped for good). One round could be a dropped frame; four in a row, with every instance asked, is not.
 */
export const HOLE_ROUNDS = 4;

/** What recovering a hole needs of the feed. */
export interface HoleFeed {
  /** The last seq applied. */
  applied(): number;
  /** Events past the last applied are known of (held early ones, a believed head, a replay's promise). */
  behind(): boolean;
  /** How many events are held past the hole, and letting them go. */
  held(): number;
  letGo(): void;
  /** Asks every subscriber again for what follows the last applied event, as round `round`. */
  ask(round: number): void;
  /** A replay was asked within `ms` and not yet answered (a new subscriber, a resync). */
  askedWithin(ms: number): boolean;
  /** The backend cannot fill the hole: continuity is lost. */
  lose(): void;
}

interface Hole {
  /** Since when it has stood with no event applied (monotonic ms). */
  since: number;
  /** The last applied when last looked at: more now is progress. */
  seen: number;
  /** Rounds since the last progress: each waits longer. */
  rounds: number;
  /** Id of the latest round, when it was asked, and whether any of its `sub`s was answered. */
  round: number;
  roundAt: number;
  answered: boolean;
  /** The highest head a replay answered while it stood: the backend said it holds up to there. */
  promised: number;
  /** Rounds whose replays promised past the hole and did not fill it; `roundFailed`: the latest one is counted. */
  failed: number;
  roundFailed: boolean;
  /** Hold periods in which no round was answered. */
  silent: number;
  due: number;
  timer: unknown;
}

/**
 * One hole at a time, recovered in rounds of `sub` to every subscriber that wait longer each time, and looked at
 * on its own timer: it ends in events applied or in a counted loss, whatever the backend sends or leaves unsaid.
 */
export class HoleRecovery {
  private hole: Hole | null = null;
  private rounds = 0;

  constructor(
    private readonly clock: Clock,
    private readonly feed: HoleFeed,
  ) {}

  /** The most a replay answered for the current hole said the log holds (0: none). */
  get promised(): number {
    return this.hole?.promised ?? 0;
  }

  /** The round a `sub` sent now belongs to (0: none under way). */
  get round(): number {
    return this.hole?.round ?? 0;
  }

  /**
   * Something shows events past the last applied. `skipped`: a socket's own stream jumped; after events were
   * applied that is a new hole, asked for at once (not twice within RESUB_AFTER_MS: a replay that drops frames
   * would restart itself at every skip).
   */
  start(skipped = false): void {
    const h = this.hole;
    if (h && !(skipped && this.feed.applied() > h.seen && this.clock.mono() - h.roundAt >= RESUB_AFTER_MS)) return;
    this.end();
    this.hole = this.fresh();
    // A replay asked just now is not asked again before it could answer.
    if (this.feed.askedWithin(RESUB_AFTER_MS)) this.wake(RESUB_AFTER_MS);
    else this.ask();
  }

  /** Asked for from outside (its caller waits between calls): a round now. */
  force(): void {
    this.hole ??= this.fresh();
    this.ask();
  }

  /** Also looked at on every pong: a timer can fire late (a PC asleep), and pongs come every beat. */
  poll(): void {
    if (this.hole && this.clock.mono() >= this.hole.due) this.step();
  }

  end(): void {
    if (this.hole) this.clock.clearTimeout(this.hole.timer);
    this.hole = null;
  }

  /** A replay answered a `sub` of round `round`, saying the log holds up to `head`. */
  answered(round: number, head: number): void {
    const h = this.hole;
    if (!h) return;
    h.promised = Math.max(h.promised, head);
    if (round === h.round) h.answered = true;
  }

  /** A replay of round `round` skipped the hole: it holds events it cannot send. True when that makes the hole lost. */
  skippedBy(round: number): boolean {
    const h = this.hole;
    if (!h || !h.round || round !== h.round || this.feed.applied() !== h.seen || h.roundFailed) return false;
    h.roundFailed = true;
    if (++h.failed < HOLE_ROUNDS) return false;
    this.lose();
    return true;
  }

  private fresh(): Hole {
    const now = this.clock.mono();
    return { since: now, seen: this.feed.applied(), rounds: 0, round: 0, roundAt: -Infinity, answered: false, promised: 0, failed: 0, roundFailed: false, silent: 0, due: now, timer: null };
  }

  private ask(): void {
    const h = this.hole!;
    Object.assign(h, { rounds: h.rounds + 1, round: ++this.rounds, roundAt: this.clock.mono(), answered: false, roundFailed: false, seen: this.feed.applied() });
    this.feed.ask(h.round);
    // Looked at again no later than the end of its hold, however long the backoff has grown.
    const held = Math.max(RESUB_AFTER_MS, h.since + MAX_HOLD_MS - this.clock.mono());
    this.wake(Math.min(RESUB_CAP_MS, RESUB_AFTER_MS * 2 ** (h.rounds - 1), held));
  }

  private wake(ms: number): void {
    const h = this.hole!;
    this.clock.clearTimeout(h.timer);
    h.due = this.clock.mono() + ms;
    h.timer = this.clock.setTimeout(() => this.step(), ms);
  }

  /** The hole's next look: filling, filled, lost, or asked again. */
  private step(): void {
    const h = this.hole;
    if (!h) return;
    this.clock.clearTimeout(h.timer);
    const now = this.clock.mono();
    const applied = this.feed.applied();
    if (applied > h.seen) {
      // Events applied since: it is filling (a long replay), and the backoff starts over.
      Object.assign(h, { since: now, seen: applied, rounds: 0, failed: 0, silent: 0 });
      return this.feed.behind() ? this.wake(REPLAY_PAUSE_MS) : this.end();
    }
    if (h.rounds > 0 && h.answered) {
      if (h.promised > applied) h.failed += h.roundFailed ? 0 : 1;
      else if (this.feed.held()) this.feed.letGo(); // held past what the backend itself says it has: never real
    }
    if (h.failed >= HOLE_ROUNDS || (h.failed > 0 && now - h.since >= MAX_HOLD_MS)) return this.lose();
    if (!this.feed.behind()) return this.end();
    if (now - h.since >= MAX_HOLD_MS) {
      // No replay answered for a whole hold: what waits was never real, or is replayed anyway.
      if (this.feed.held()) this.feed.letGo();
      if (++h.silent >= 2) return this.lose();
      h.since = now;
    }
    this.ask();
  }

  private lose(): void {
    this.end();
    this.feed.lose();
  }
}
