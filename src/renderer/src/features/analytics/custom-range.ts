/** A date field's value ("2026-03-29T02:30") as this PC's clock reads it: an instant, and words when the clock makes it not what was typed. */
const HOUR = 3_600_000;

/** A date field's text for an instant, on this PC's clock. */
export const toInput = (ms: number): string => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * `which`: "starts" or "ends". A time the clocks skipped (02:30 the night they go forward) is taken as the
 * browser takes it, an hour on, and one they repeat (02:30 the night they go back) as its first pass: both
 * said, so the range on screen is never silently not the one typed.
 */
export function readCustomTime(value: string, which: 'starts' | 'ends'): { ms: number; note: string | null } {
  const ms = new Date(value).getTime();
  if (!Number.isFinite(ms)) return { ms, note: null };
  const typed = value.slice(11, 16);
  const taken = toInput(ms);
  if (taken !== value.slice(0, 16)) return { ms, note: `There is no ${typed} that day (the clocks went forward): the range ${which} at ${taken.slice(11, 16)}.` };
  if (toInput(ms + HOUR) === taken) return { ms, note: `${typed} came twice that night (the clocks went back): the range ${which} at the first ${typed}.` };
  return { ms, note: null };
}
