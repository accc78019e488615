import type { CheckinResult } from '../../../shared/desk';
import type { Clock } from '../clock';

/**
 * How long after a station let a card in that the same card again at that station is the same
 * visit, not a new check-in. A member whose turnstile did not turn, or who is not sure it took, tries
 * again within seconds, at most a walk back to the reader: half a minute covers that, and the verdict
 * they saw (up to 30 s) too. Longer, and a card handed back over the barrier to a friend would be told
 * "you're in" unseen; past it the scan is sent, and the backend's "already checked in" is logged for staff.
 */
export const REPEAT_MS = 30_000;

export interface Admission {
  /** Monotonic, for the window; `wallAt` is the time staff read. */
  at: number;
  wallAt: number;
  member: CheckinResult['member'];
  /** Let in by this PC's own decision, the backend not yet heard: a repeat of it is said as offline too. */
  offline: boolean;
}

/**
 * The cards each station (a kiosk screen, a desk window) let in within the last REPEAT_MS, on this PC. Kept in
 * memory only: a restart forgets them, and a rescan then goes to the backend as any other would.
 */
export class RecentAdmissions {
  private readonly byStation = new Map<string, Admission>();

  constructor(private readonly clock: Clock) {}

  /** The station let `card` in just now. */
  admitted(station: string, card: string, member: CheckinResult['member'], offline = false): void {
    const now = this.clock.mono();
    // Bounded by the window: entries past it are of no more use.
    if (this.byStation.size > 1_000) for (const [k, a] of this.byStation) if (now - a.at >= REPEAT_MS * 2) this.byStation.delete(k);
    this.byStation.set(key(station, card), { at: now, wallAt: this.clock.now(), member, offline });
  }

  /**
   * The backend overruled a check-in this PC let in on its own (a membership expired meanwhile): that
   * admission is no visit to repeat, at any station; the card's next scan goes to the backend.
   */
  forget(card: string): void {
    for (const k of this.byStation.keys()) if (k.endsWith(`\u0000${card}`)) this.byStation.delete(k);
  }

  /** When the station let `card` in within `windowMs`, and whom; undefined if it did not. */
  within(station: string, card: string, windowMs: number): Admission | undefined {
    const a = this.byStation.get(key(station, card));
    return a && this.clock.mono() - a.at < windowMs ? a : undefined;
  }
}

const key = (station: string, card: string): string => `${station}\u0000${card}`;
