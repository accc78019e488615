/**
 * When a backend's time stamp can be believed, against this PC's clock. A stamp past these bounds is the
 * backend's clock gone wrong (once or for good), not a check-in: the console lists and counts such an event
 * at when it arrived, and says once what the backend's clock said (Health, and on the row itself).
 */

/** Further ahead than any clock error or time zone slip: a day. A backend clock a few seconds or hours off is still believed. */
export const STAMP_AHEAD_MS = 86_400_000;
/** Before any gym used this console (Jan 1, 2020, UTC): a stamp of 1970 is a clock reset, not a visit. */
export const STAMP_FLOOR_MS = Date.UTC(2020, 0, 1);

/** Whether the backend's stamp `ts` can be the time of something that happened, this PC's clock reading `now`. */
export const stampBelievable = (ts: number, now: number): boolean => ts >= STAMP_FLOOR_MS && ts <= now + STAMP_AHEAD_MS;

/**
 * An event sent as the backend recorded it (not replayed) reaches this PC within seconds: one stamped this far
 * from its arrival, either way, tells the backend's clock (or this PC's), not when it happened. Health's clock
 * check fails at the same gap. A replayed event may be old, and is judged by `stampBelievable` alone.
 */
export const LIVE_STAMP_OFF_MS = 120_000;

/** Whether a live event's stamp `ts` can be when it was recorded, this PC's clock reading `arrived` as it came. */
export const liveStampBelievable = (ts: number, arrived: number): boolean => stampBelievable(ts, arrived) && Math.abs(ts - arrived) < LIVE_STAMP_OFF_MS;

/**
 * What the backend's clock said, for the event log, exports and Health, which are read on other PCs and in other
 * time zones: the date and minute in UTC ("2031-12-05 04:07 UTC"), never a local date without its year.
 */
export function clockSaidUtc(ts: number): string {
  const d = new Date(ts);
  const two = (n: number): string => String(n).padStart(2, '0');
  // Not toISOString: past the year 9999 it writes "+275760-…", and the slice cut the wrong fields.
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** A check-in's note where its backend stamp was past belief: analytics keep it at when it arrived. */
export const clockSaidNote = (ts: number): string => `The backend's clock said ${clockSaidUtc(ts)}; counted when it arrived.`;
