import type { Gym } from './gym';
import type { Member } from '../shared/protocol';
import { seededRandom } from './random';

/** Share of peak traffic by local hour: busy 6–9 and 17–20, quiet at night but never dead (it is a demo). */
export function trafficShape(hour: number): number {
  const bump = (centre: number, width: number): number => Math.exp(-(((hour - centre) / width) ** 2));
  return Math.min(1, 0.3 + 0.7 * Math.max(bump(7.5, 1.5), bump(18.5, 1.8)));
}

export interface SimulatorOptions {
  /** Arrivals per hour at peak. */
  ratePerHour?: number;
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
  private readonly members: Member[];
  private readonly leaving: { at: number; id: string }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private carry = 0;

  constructor(
    private readonly gym: Gym,
    private readonly opts: SimulatorOptions = {},
  ) {
    this.ratePerHour = opts.ratePerHour ?? 1200;
    this.rand = seededRandom(opts.seed ?? 7);
    this.members = [...gym.members];
  }

  start(): void {
    if (this.timer) return;
    this.last = Date.now();
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
    const hour = (this.opts.now?.() ?? new Date()).getHours();
    this.carry += ((now - this.last) / 3_600_000) * this.ratePerHour * trafficShape(hour);
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
    const unknown = this.rand() < (this.opts.unknownShare ?? 0.03);
    const member = this.members[Math.floor(this.rand() * this.members.length)]!;
    const card = unknown ? String(9_000_000_000 + Math.floor(this.rand() * 1e6)) : member.cardId;
    const reply = this.gym.checkIn(card, 'door');
    if (reply.verdict.allowed && reply.member) {
      // Visits of 20–120 min, most around an hour.
      const minutes = Math.min(120, 20 + -Math.log(1 - this.rand()) * 40);
      this.leaving.push({ at: Date.now() + minutes * 60_000, id: reply.member.id });
    }
  }

  private depart(now: number): void {
    for (let i = this.leaving.length - 1; i >= 0; i--) {
      const l = this.leaving[i]!;
      if (l.at <= now) {
        this.leaving.splice(i, 1);
        this.gym.checkOut(l.id);
      }
    }
  }
}
