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
}

/** Share of peak traffic by local hour: busy 6–9 and 17–20, quiet at night but never dead (it is a demo). */
export function trafficShape(hour: number): number {
  const bump = (centre: number, width: number): number => Math.exp(-(((hour - centre) / width) ** 2));
  return Math.min(1, 0.35 + 0.65 * Math.max(bump(7.5, 1.5), bump(18.5, 1.8)));
}

export interface SimulatorOptions {
  /** Arrivals per hour at peak. */
  ratePerHour?: number;
  /** Mean visit length; the demo compresses visits so occupancy visibly moves. */
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
    return (this.opts.meanVisitMin ?? 10) * 60_000;
  }

  private hour(): number {
    return (this.opts.now?.() ?? new Date()).getHours();
  }

  /** Fills the gym to its steady state for this hour, as if it had been open all along. */
  private warmStart(): void {
    if (!this.gym.admit) return;
    const expected = ((this.ratePerHour * trafficShape(this.hour())) / 3_600_000) * this.meanVisitMs;
    const target = Math.min(this.gym.capacity * 0.95, expected);
    const now = Date.now();
    for (let i = 0; i < target * 3 && (this.gym.occupancy ?? 0) < target; i++) {
      const m = this.regulars[Math.floor(this.rand() * this.regulars.length)]!;
      if (this.gym.admit(m.id, now - this.rand() * this.meanVisitMs)) {
        this.leaving.push({ at: now + this.visitMs(), id: m.id });
      }
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
  }

  /** Arrivals owed since the last tick, kept fractional so low rates still produce traffic. */
  private tick(): void {
    const now = Date.now();
    this.carry += ((now - this.last) / 3_600_000) * this.ratePerHour * trafficShape(this.hour());
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
    const unknownShare = this.opts.unknownShare ?? 0.03;
    const pool = r < unknownShare ? null : r < unknownShare + 0.06 ? this.lapsed : this.regulars;
    const card = pool ? pool[Math.floor(this.rand() * pool.length)]!.cardId : String(9_000_000_000 + Math.floor(this.rand() * 1e6));
    settle(
      () => this.gym.checkIn(card, 'door'),
      (reply) => reply.verdict.allowed && reply.member && this.leaving.push({ at: Date.now() + this.visitMs(), id: reply.member.id }),
      () => {}, // storage away: a member the demo door missed
    );
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
