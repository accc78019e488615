import type { Clock } from '../clock';

/**
 * How long the outbox's messages have waited, as this console saw them wait: monotonic ms, kept in
 * console.db from run to run. Setting the PC's clock (by hand, or NTP after an outage) does not move
 * it, and a PC that is switched off does not advance it: a message's day in the outbox is a day the
 * console was there to send it, so check-ins taken offline are never given up on while nothing could
 * have sent them.
 */
export class WaitingClock {
  /** This run's first reading: a message stamped this or later was queued in this run. */
  readonly runStart: number;
  private readonly monoAtStart: number;

  constructor(
    private readonly clock: Clock,
    saved: number,
  ) {
    // 1 ms past where the last run left it, so a stamp tells this run's messages from those queued before.
    this.runStart = saved + 1;
    this.monoAtStart = clock.mono();
  }

  /** Whole ms, so a stamp stored in SQLite reads back as it was written. */
  now(): number {
    return this.runStart + Math.max(0, Math.floor(this.clock.mono() - this.monoAtStart));
  }

  /** How long a message stamped `since` has waited, if it was queued in this run; null if before (its wait while the PC was off is unknown). */
  waitedThisRun(since: number): number | null {
    return since >= this.runStart ? this.now() - since : null;
  }
}
