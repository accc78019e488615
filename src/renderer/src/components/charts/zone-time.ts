import { DateTime } from 'luxon';
export { zoneFormat } from '../../format';

/**
 * Round times on one zone's clock and calendar. The Analytics tab uses the gym's zone (its "Time zone"
 * setting, carried in exports): the store stamps day rollups at the gym's midnight, so bars, ticks and
 * words on this PC's calendar put each gym day in the wrong bar when the two zones differ.
 * `zone` undefined: this PC's zone (the live charts of the other tabs).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type Unit = 'min' | 'hour' | 'day' | 'week' | 'month';
const UNIT_MS = { min: MIN, hour: HOUR, day: DAY, week: 7 * DAY, month: 30.44 * DAY } as const;

/** `ts` on `zone`'s clock; an unknown zone (never accepted by the settings, but a hand-edited export) falls back to this PC's. */
export function inZone(ts: number, zone?: string): DateTime {
  if (zone !== undefined) {
    const d = DateTime.fromMillis(ts, { zone });
    if (d.isValid) return d;
  }
  return DateTime.fromMillis(ts);
}

/**
 * Start of the `n`-`unit` mark holding `ts`: round minutes and hours, midnight, Monday (ISO weeks, as
 * luxon's and the week rollups' calendars count them), the first of a month.
 */
export function floorMark(ts: number, unit: Unit, n: number, zone?: string): number {
  const d = inZone(ts, zone);
  const f =
    unit === 'min'
      ? d.startOf('minute').set({ minute: Math.floor(d.minute / n) * n })
      : unit === 'hour'
        ? d.startOf('hour').set({ hour: Math.floor(d.hour / n) * n })
        : unit === 'day'
          ? d.startOf('day')
          : unit === 'week'
            ? d.startOf('week')
            : d.startOf('month').set({ month: Math.floor((d.month - 1) / Math.min(n, 12)) * Math.min(n, 12) + 1 });
  const ms = f.toMillis();
  return ms <= ts ? ms : ts; // never after `ts`, whatever a zone's rules
}

/**
 * The next `n`-`unit` mark after the mark `ts`, walked by the wall clock and the calendar: a DST change
 * moves no mark off its round hour or midnight (minutes by the absolute clock: every zone's offset is
 * whole quarter-hours, and no step of minutes is longer than one).
 */
export function nextMark(ts: number, unit: Unit, n: number, zone?: string): number {
  const d = inZone(ts, zone);
  const next =
    unit === 'min'
      ? ts + n * MIN
      : unit === 'hour'
        ? nextRoundHours(d, n, zone)
        : unit === 'day'
          ? d.startOf('day').plus({ days: n }).startOf('day').toMillis() // back to midnight after a day whose midnight the clocks skipped
          : unit === 'week'
            ? d.startOf('week').plus({ weeks: n }).startOf('day').toMillis()
            : d.startOf('month').plus({ months: n }).toMillis();
  return next > ts ? next : ts + n * UNIT_MS[unit]; // never stands still
}

/**
 * The next round `n`-hour mark of the wall clock (00, 06, 12, 18 for 6). After the clocks go forward the
 * marks stay on their round hours (02:00 that night is 03:00, then 04:00), and the hour the clock repeats
 * when it goes back is a mark of its own, not folded into an hour twice as long.
 */
function nextRoundHours(d: DateTime, n: number, zone?: string): number {
  const t = d.toMillis();
  const h = Math.floor(d.hour / n) * n + n;
  let next = (h >= 24 ? d.startOf('day').plus({ days: 1 }).startOf('day') : d.startOf('hour').set({ hour: h })).toMillis();
  const repeated = inZone(t + n * HOUR, zone);
  if (repeated.toMillis() < next && repeated.minute === 0 && repeated.hour % n === 0) next = repeated.toMillis();
  return next;
}

/** This PC's own zone name ("America/New_York"). */
export const pcZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Whether `zone`'s clock reads differently from this PC's at any time of `around`'s year (same rules under another name count as the same). */
export function differsFromPc(zone: string | undefined, around: number): boolean {
  if (zone === undefined || zone === pcZone()) return false;
  return [0, 1, 2, 3].some((q) => {
    const t = around + q * 91 * DAY;
    return inZone(t, zone).offset !== DateTime.fromMillis(t).offset;
  });
}
