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

/** A time to live as the dead letter says it: "15 s", "1440 min". */
const ttlWords = (ms: number): string => (ms < 120_000 ? `${Math.round(ms / 1_000)} s` : `${Math.round(ms / 60_000)} min`);

/**
 * Why a message is never to be sent (its time to live, counted on the waiting clock, is up); null while it may be.
 * `waited`: the clock's reading now; `runStart`: this run's first; `ttlMs`: the outbox's own for messages without one.
 */
export function expiry(msg: { ttlMs: number | null; waitingSince: number }, waited: number, runStart: number, ttlMs: number): string | null {
  const ttl = msg.ttlMs ?? ttlMs;
  if (waited - msg.waitingSince > ttl) return `expired: not acknowledged within ${ttlWords(ttl)} of waiting on this console`;
  // Now or never (a door release): one queued before this run is not sent late after a restart.
  if (msg.ttlMs !== null && msg.waitingSince < runStart) return 'expired: the console stopped before the backend confirmed it, and it is never sent late';
  return null;
}
