import type { Member, Replies } from '../shared/protocol';
import { seededRandom } from './random';
import { settle, type MaybePromise } from './store';

/** What the simulator drives: the in-memory gym, or a process's view of the Redis one. */
export interface SimulatedGym {
  readonly members: Iterable<Member>;
  readonly capacity: number;
  checkIn(cardId: string, source: 'door'): MaybePromise<Replies['checkin']>;
  checkOut(memberId: string): MaybePromise<boolean>;
  /** Only a gym that can admit without events gets a warm start. */
  readonly occupancy?: number;
  admit?(memberId: string, since: number): boolean;
  /** Lets the simulator pick members who are not inside; a gym that cannot say gets the odd duplicate. */
  isInside?(memberId: string): boolean;
}

/** Share of peak traffic by local hour: busy 6–9 and 17–20, quiet at night but never dead (it is a demo). */
export function trafficShape(hour: number): number {
  const bump = (centre: number, width: number): number => Math.exp(-(((hour - centre) / width) ** 2));
  return Math.min(1, 0.35 + 0.65 * Math.max(bump(7.5, 1.5), bump(18.5, 1.8)));
}

/** Saturdays and Sundays are this much as busy as a weekday. */
const WEEKEND_SHARE = 0.8;

/**
 * Arrivals an hour at `at` (the PC's local time) for a demo of `ratePerHour` at its peak: the shape of
 * the day, quieter at weekends. The live demo and its generated history both go by it, so the
 * history joins what the demo does once it runs.
 */
export function arrivalsPerHour(ratePerHour: number, at: Date): number {
  const weekend = at.getDay() === 0 || at.getDay() === 6 ? WEEKEND_SHARE : 1;
  return ratePerHour * trafficShape(at.getHours() + at.getMinutes() / 60) * weekend;
}

/** At the busiest hour the demo gym is about this full: busy, but a member can still get in. */
export const PEAK_OCCUPANCY_SHARE = 0.6;
/** Share of scans from lapsed members (expired, frozen, unpaid). */
export const LAPSED_SHARE = 0.06;
/** Share of scans by someone already inside (a second tap at the door): a real door sees a few. */
export const DOUBLE_SCAN_SHARE = 0.01;
/** Share of scans from cards the gym does not know, unless told otherwise. */
export const UNKNOWN_SHARE = 0.03;

/**
 * Mean visit length that keeps a gym of `capacity` at about PEAK_OCCUPANCY_SHARE full at the peak rate
 * (Little's law: inside = admitted per hour × hours per visit), never longer than `longestMin`.
 * A high demo rate therefore means short visits, not a gym that fills and turns everyone away.
 */
export function demoVisitMs(ratePerHour: number, capacity: number, longestMin = 60, admittedShare = 1 - UNKNOWN_SHARE - LAPSED_SHARE): number {
  const longest = longestMin * 60_000;
  const admittedPerMs = (ratePerHour * admittedShare) / 3_600_000;
  return admittedPerMs > 0 ? Math.min(longest, (PEAK_OCCUPANCY_SHARE * capacity) / admittedPerMs) : longest;
}

export interface SimulatorOptions {
  /** Arrivals per hour at peak. */
  ratePerHour?: number;
  /** Longest mean visit; at high rates visits are shorter so the gym stays below capacity (demoVisitMs). */
  meanVisitMin?: number;
  tickMs?: number;
  seed?: number;
  /** Share of scans from cards the gym does not know. */
  unknownShare?: number;
  now?: () => Date;
}

/** Members arriving at the door and leaving after a visit; drives the demo through the real backend. */
export class TrafficSimulator {
  ratePerHour: number;
  private readonly rand: () => number;
  /** Members in good standing come far more often than lapsed ones; that is what a real door sees. */
  private readonly regulars: Member[];
  private readonly lapsed: Member[];
  private readonly leaving: { at: number; id: string }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private carry = 0;

  constructor(
    private readonly gym: SimulatedGym,
    private readonly opts: SimulatorOptions = {},
  ) {
    this.ratePerHour = opts.ratePerHour ?? 1800;
    this.rand = seededRandom(opts.seed ?? 7);
    const all = [...gym.members];
    this.regulars = all.filter((m) => m.status === 'active' || m.status === 'expiring');
    this.lapsed = all.filter((m) => !this.regulars.includes(m));
  }

  private get meanVisitMs(): number {
    return demoVisitMs(this.ratePerHour, this.gym.capacity, this.opts.meanVisitMin ?? 60, 1 - this.unknownShare - LAPSED_SHARE);
  }

  private get unknownShare(): number {
    return this.opts.unknownShare ?? UNKNOWN_SHARE;
  }

  private perHour(): number {
    return arrivalsPerHour(this.ratePerHour, this.opts.now?.() ?? new Date());
  }

  /** Fills the gym to its steady state for this hour, as if it had been open all along. */
  private warmStart(): void {
    if (!this.gym.admit) return;
    const admitted = 1 - this.unknownShare - LAPSED_SHARE;
    const expected = ((this.perHour() * admitted) / 3_600_000) * this.meanVisitMs;
    const target = Math.min(this.gym.capacity * PEAK_OCCUPANCY_SHARE, expected);
    const now = Date.now();
    for (let i = 0; i < target * 3 && (this.gym.occupancy ?? 0) < target; i++) {
      const m = this.regular();
      // Somewhere along a visit: what is left of it, not a whole new one. Whole visits kept everyone
      // in for a third of a visit at least while members kept arriving: the count rose by a third.
      const visit = this.visitInProgress();
      const done = this.rand() * visit;
      if (this.gym.admit(m.id, now - done)) {
        this.leaving.push({ at: now + visit - done, id: m.id });
      }
    }
  }

  /** A visit as one found in progress is: a long one is likelier to be (chosen in proportion to its length). */
  private visitInProgress(): number {
    for (;;) {
      const v = this.visitMs();
      if (this.rand() * 3 * this.meanVisitMs < v) return v;
    }
  }

  /** Exponential around the mean, clamped to a third of it and three times it. */
  private visitMs(): number {
    const mean = this.meanVisitMs;
    return Math.min(3 * mean, mean / 3 + -Math.log(1 - this.rand()) * mean * (2 / 3));
  }

  start(): void {
    if (this.timer) return;
    this.last = Date.now();
    this.warmStart();
    this.arrive(); // something to see at once
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 250);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  setRate(ratePerHour: number): void {
    this.ratePerHour = ratePerHour;
    this.carry = 0; // arrivals owed at the old rate are not owed at the new one (0 means none at all)
  }

  /** Arrivals owed since the last tick, kept fractional so low rates still produce traffic. */
  private tick(): void {
    const now = Date.now();
    this.carry += ((now - this.last) / 3_600_000) * this.perHour();
    this.last = now;
    // Randomise the moment so arrivals do not march in step with the tick.
    while (this.carry >= 1 || (this.carry > 0 && this.rand() < this.carry * 0.25)) {
      this.carry -= 1;
      this.arrive();
    }
    this.carry = Math.max(this.carry, -1);
    this.depart(now);
  }

  private arrive(): void {
    const r = this.rand();
    const unknownShare = this.unknownShare;
    const pool = r < unknownShare ? null : r < unknownShare + LAPSED_SHARE ? this.lapsed : this.regulars;
    const card = pool === this.regulars ? this.regular().cardId : pool ? pool[Math.floor(this.rand() * pool.length)]!.cardId : String(9_000_000_000 + Math.floor(this.rand() * 1e6));
    settle(
      () => this.gym.checkIn(card, 'door'),
      (reply) => reply.verdict.allowed && reply.member && this.leaving.push({ at: Date.now() + this.visitMs(), id: reply.member.id }),
      () => {}, // storage away: a member the demo door missed
    );
  }

  /** A regular who is not inside: members come once per visit, bar the odd double tap. */
  private regular(): Member {
    const doubleScan = this.rand() < DOUBLE_SCAN_SHARE;
    let m = this.regulars[Math.floor(this.rand() * this.regulars.length)]!;
    for (let i = 0; i < 8 && !doubleScan && this.gym.isInside?.(m.id); i++) m = this.regulars[Math.floor(this.rand() * this.regulars.length)]!;
    return m;
  }

  private depart(now: number): void {
    for (let i = this.leaving.length - 1; i >= 0; i--) {
      const l = this.leaving[i]!;
      if (l.at <= now) {
        this.leaving.splice(i, 1);
        settle(() => this.gym.checkOut(l.id), () => {}, () => {});
      }
    }
  }
}
