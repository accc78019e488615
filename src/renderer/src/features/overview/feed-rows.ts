import type { CheckinEntry } from '../../../../shared/state';
import { stampBelievable } from '../../../../shared/backend-clock';
import { formatStamp, stampParts } from '../../format';

/**
 * How much earlier than a row already listed a scan must be to read as late: PCs' clocks and the
 * backend's differ by a second or two, and two scans a moment apart may reach the backend either way round.
 */
export const LATE_BY_MS = 3_000;

/**
 * The live list's rows, newest arrival first. Rows stay in the order they reached the backend, not
 * sorted by scan time: a check-in decided offline (a kiosk's while the backend was slow or away) then
 * shows at the top, where the desk is looking, instead of slipping in below rows already read. `late`
 * marks one that waited (it came with its scan time) and whose scan is earlier than a row that arrived before
 * it, so its out-of-order time is explained. One that did not wait is never said to: rows out of order without
 * waiting are clocks (a backend's stepped back, two instances' a few seconds apart), not a late check-in.
 * A time past belief (backend-clock.ts; a row kept from before the console took such a stamp as of its arrival)
 * is neither late nor a time later rows are measured against: one stamp of 2031 marked every row after it late.
 */
export function feedRows(checkins: readonly CheckinEntry[], show = 50, now = Date.now()): { c: CheckinEntry; late: boolean }[] {
  let latest = -Infinity;
  const rows = checkins.map((c) => {
    if (!stampBelievable(c.ts, now)) return { c, late: false };
    const late = c.waited === true && c.ts < latest - LATE_BY_MS;
    latest = Math.max(latest, c.ts);
    return { c, late };
  });
  return rows.slice(-show).reverse();
}

/**
 * Said above the list while a row on it is above rows scanned after it, so the order is not read as scan time's
 * (the time shown): the list is by when they reached the backend. Null while the two orders agree.
 */
export function feedOrderNote(rows: readonly { late: boolean }[]): string | null {
  return rows.some((r) => r.late)
    ? 'Newest to reach the backend first: a check-in that waited while the backend was away is listed when it got there, above ones scanned after it.'
    : null;
}

/**
 * A row's time as the backend stamped it, with its date when that is not today: a backend whose clock is days
 * off sent "04:30:12 PM" at 03:00 PM, and nothing on the list said the time was not today's.
 */
export const feedTime = (ts: number, now: number): string => formatStamp(ts, now);
/** The same in two parts, so the column can put the date above the time instead of cutting either. */
export const feedTimeParts = (ts: number, now: number): { date: string | null; time: string } => stampParts(ts, now);

/**
 * Said on a row the backend stamped past belief (main took it as of its arrival): its stamp, with no blame, since the
 * clock off may be this PC's as well as the backend's (probe26a A2); Health's Clock says which is apart.
 */
export const clockSaidWords = (clockSaid: number, now: number): string => `the backend stamped ${formatStamp(clockSaid, now)}`;
