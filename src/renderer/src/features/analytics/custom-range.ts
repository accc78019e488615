import { inZone } from '../../components/charts/zone-time';

/**
 * A date field's value ("2026-03-29T02:30") as the gym's clock reads it: an instant, and words when the clock
 * makes it not what was typed. `zone`: the gym's (Analytics "Time zone"), which the preset ranges, the bars and
 * the day rollups follow; this PC's when undefined. Fields read on this PC's clock counted a range hours off the gym's days.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A date field's text for an instant, on `zone`'s clock. */
export const toInput = (ms: number, zone?: string): string => inZone(ms, zone).toFormat("yyyy-MM-dd'T'HH:mm");

/** The instant a wall time names on `zone`'s clock: a skipped time moved on by the gap, a repeated one its first pass (as a browser reads its own zone's). */
function wallToMs(value: string, zone?: string): number {
  const m = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return NaN;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (!Number.isFinite(wall)) return NaN;
  // The offsets a day before and after: the time holds one or both of them (a repeated hour), or neither (a skipped one).
  const before = inZone(wall - DAY, zone).offset;
  const after = inZone(wall + DAY, zone).offset;
  const fits = [before, after].map((o) => wall - o * MIN).filter((t) => wall - inZone(t, zone).offset * MIN === t);
  return fits.length ? Math.min(...fits) : wall - before * MIN;
}

/**
 * `which`: "starts" or "ends". A time the clocks skipped (02:30 the night they go forward) is taken an hour on,
 * and one they repeat (02:30 the night they go back) as its first pass: both said, so the range on screen is
 * never silently not the one typed.
 */
export function readCustomTime(value: string, which: 'starts' | 'ends', zone?: string): { ms: number; note: string | null } {
  const ms = wallToMs(value, zone);
  if (!Number.isFinite(ms)) return { ms, note: null };
  const typed = value.slice(11, 16);
  const taken = toInput(ms, zone);
  if (taken !== value.slice(0, 16)) return { ms, note: `There is no ${typed} that day (the clocks went forward): the range ${which} at ${taken.slice(11, 16)}.` };
  if (toInput(ms + HOUR, zone) === taken) return { ms, note: `${typed} came twice that night (the clocks went back): the range ${which} at the first ${typed}.` };
  return { ms, note: null };
}
