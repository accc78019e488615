import type { SeriesPoint } from '../../../../shared/analytics';
import { formatDuration } from '../../../../shared/duration';
import { floorMark, nextMark, type Unit } from '../../components/charts/zone-time';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Bar widths a manager reads at a glance, the smallest first. */
const STEPS: { ms: number; unit: Unit; n: number; words: string }[] = [
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ ms: n * MIN, unit: 'min' as const, n, words: n === 1 ? 'minute' : `${n} minutes` })),
  ...[1, 2, 3, 6, 12].map((n) => ({ ms: n * HOUR, unit: 'hour' as const, n, words: n === 1 ? 'hour' : `${n} hours` })),
  { ms: 24 * HOUR, unit: 'day', n: 1, words: 'day' },
  // Monday to Sunday (ISO weeks, luxon's default): weeks from the range's own first day ran Wednesday to Wednesday.
  { ms: 7 * 24 * HOUR, unit: 'week', n: 1, words: 'week' },
];
/** At most this many bars across the chart, so each is several pixels wide in a third of the screen (720 two-minute bars over 24h were hairlines). */
export const MAX_BARS = 36;

export interface CheckinBars {
  bucketMs: number;
  /** "30 minutes": what one bar counts. */
  per: string;
  /**
   * Every bucket of the range, empty ones too, so the chart spaces bars by the bucket, not by the nearest two that have data.
   * `part`: the share of a bucket the range holds, when not all of it (the hour under way, or one cut by the range's start):
   * such a bar counts part of an hour and must not read as a whole one (600 so far beside 4,000 read as a collapse).
   * `end`: where the bucket ends. `clocks`: a bar of hours whose bucket the clocks made longer or shorter than
   * `per` says, in words ("5 hours: the clocks went forward"): it reads as a dip or a spike otherwise.
   * `ahead`: wholly after the data's end (a custom range reaching past now): nothing is known of it yet, so it is no bar of 0.
   */
  bars: { start: number; end: number; allowed: number; denied: number; part?: { from: number; to: number }; clocks?: string; ahead?: true }[];
}

/**
 * Check-ins regrouped into bars sized to the range (never finer than the series' own buckets), on the
 * clock and calendar of `zone`: the gym's, whose midnight the day rollups are stamped at (this PC's when undefined).
 * `until`: where the data ends (now, or an export's end). A range reaching past it cuts the bar holding it there:
 * only the range's own ends did, so a custom range to midnight drew the hour under way as a whole bar.
 */
export function checkinBars(points: SeriesPoint[], range: { from: number; to: number }, zone?: string, until = Infinity): CheckinBars {
  // The series' own bucket: the smallest gap between its points (a longer gap is time not sampled).
  let gap = 0;
  for (let i = 1; i < points.length; i++) {
    const g = points[i]!.ts - points[i - 1]!.ts;
    if (g > 0 && (gap === 0 || g < gap)) gap = g;
  }
  const step = STEPS.find((s) => s.ms >= (range.to - range.from) / MAX_BARS && s.ms >= gap) ?? STEPS.at(-1)!;
  const bars: CheckinBars['bars'] = [];
  // Hours and days walked by the zone's wall clock, so a DST change moves no bar off its round hour or midnight.
  for (let start = floorMark(range.from, step.unit, step.n, zone); start < range.to; ) {
    const end = nextMark(start, step.unit, step.n, zone);
    // A start in the hour the clocks repeat may floor to its first pass, a whole bucket before it.
    if (end > range.from) bars.push({ start, end, allowed: 0, denied: 0 });
    start = end;
  }
  const to = Math.min(range.to, until);
  for (const bar of bars) {
    if (bar.start >= until) bar.ahead = true;
    else if (bar.start < range.from || bar.end > to) bar.part = { from: Math.max(bar.start, range.from), to: Math.min(bar.end, to) };
    const len = bar.end - bar.start;
    // "per day" names no length; "per 6 hours" does, and a bar across a DST change holds 5 or 7.
    if (step.ms >= HOUR && step.ms < DAY && len !== step.ms) bar.clocks = `${len === HOUR ? '1 hour' : `${Math.round((len / HOUR) * 100) / 100} hours`}: the clocks went ${len < step.ms ? 'forward' : 'back'}`;
  }
  let i = 0;
  for (const p of points) {
    while (i + 1 < bars.length && bars[i + 1]!.start <= p.ts) i++;
    if (!bars[i] || p.ts < bars[i]!.start || p.ts >= bars[i]!.end) continue; // outside every bar: not piled into the last
    bars[i]!.allowed += p.allowed;
    bars[i]!.denied += p.denied;
  }
  return { bucketMs: step.ms, per: step.words, bars };
}

/** How much of a bar is in: "13 min", "5 h 20 min", and past a day "6 days 6 h" (a week bar's "so far (150 h)" was read as a sum to work out). */
export function partSpan(ms: number): string {
  if (ms < DAY) return formatDuration(ms);
  const hours = Math.round(ms / HOUR);
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/**
 * A part-bar in words, for its tooltip and the chart's note: "so far (13 min)" for the one under way, else the part the range holds.
 * `ended`: `now` is an opened export's end, where nothing is under way: its last bar is "cut at the export's end".
 */
export function partWords(part: { from: number; to: number }, bucketEnd: number, now: number, clock: (ms: number) => string, span: (ms: number) => string, ended = false): string {
  if (ended) {
    if (part.to === now && part.to < bucketEnd) return `cut at the export's end (${span(part.to - part.from)})`;
  } else if (part.to < bucketEnd && bucketEnd > now) return `so far (${span(part.to - part.from)})`;
  return `only ${clock(part.from)}–${clock(part.to)} is in this range`;
}
