import type { SeriesPoint } from '../../../../shared/analytics';
import { nextRoundHours } from '../../components/charts/time-ticks';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Bar widths a manager reads at a glance, the smallest first. */
const STEPS = [
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ ms: n * MIN, words: n === 1 ? 'minute' : `${n} minutes` })),
  ...[1, 2, 3, 6, 12].map((n) => ({ ms: n * HOUR, words: n === 1 ? 'hour' : `${n} hours` })),
  { ms: 24 * HOUR, words: 'day' },
  { ms: 7 * 24 * HOUR, words: 'week' },
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
   */
  bars: { start: number; end: number; allowed: number; denied: number; part?: { from: number; to: number }; clocks?: string }[];
}

/** Local-time start of the bucket holding `ts`: bars begin on round minutes, hours and midnights, as the axis ticks do. */
function floorLocal(ts: number, ms: number): Date {
  const d = new Date(ts);
  if (ms < HOUR) d.setMinutes(Math.floor(d.getMinutes() / (ms / MIN)) * (ms / MIN), 0, 0);
  else if (ms < 24 * HOUR) d.setHours(Math.floor(d.getHours() / (ms / HOUR)) * (ms / HOUR), 0, 0, 0);
  else d.setHours(0, 0, 0, 0);
  return d;
}

/** Check-ins regrouped into bars sized to the range (never finer than the series' own buckets). */
export function checkinBars(points: SeriesPoint[], range: { from: number; to: number }): CheckinBars {
  // The series' own bucket: the smallest gap between its points (a longer gap is time not sampled).
  let gap = 0;
  for (let i = 1; i < points.length; i++) {
    const g = points[i]!.ts - points[i - 1]!.ts;
    if (g > 0 && (gap === 0 || g < gap)) gap = g;
  }
  const step = STEPS.find((s) => s.ms >= (range.to - range.from) / MAX_BARS && s.ms >= gap) ?? STEPS.at(-1)!;
  const bars: CheckinBars['bars'] = [];
  // Hours and days walked by the wall clock, so a DST change moves no bar off its round hour or midnight
  // (minutes by the absolute clock: every zone's offset is whole quarter-hours).
  const next = (d: Date): void => {
    if (step.ms < HOUR) d.setTime(d.getTime() + step.ms);
    else if (step.ms < DAY) nextRoundHours(d, step.ms / HOUR);
    else {
      d.setDate(d.getDate() + step.ms / DAY);
      d.setHours(0, 0, 0, 0); // back to midnight after a day whose midnight the clocks skipped
    }
  };
  for (const d = floorLocal(range.from, step.ms); d.getTime() < range.to; ) {
    const start = d.getTime();
    next(d);
    // A start in the hour the clocks repeat floors to its first pass, a whole bucket before it.
    if (d.getTime() > range.from) bars.push({ start, end: d.getTime(), allowed: 0, denied: 0 });
  }
  for (const bar of bars) {
    if (bar.start < range.from || bar.end > range.to) bar.part = { from: Math.max(bar.start, range.from), to: Math.min(bar.end, range.to) };
    const len = bar.end - bar.start;
    // "per day" names no length; "per 6 hours" does, and a bar across a DST change holds 5 or 7.
    if (step.ms >= HOUR && step.ms < DAY && len !== step.ms) bar.clocks = `${len === HOUR ? '1 hour' : `${Math.round((len / HOUR) * 100) / 100} hours`}: the clocks went ${len < step.ms ? 'forward' : 'back'}`;
  }
  let i = 0;
  for (const p of points) {
    while (i + 1 < bars.length && bars[i + 1]!.start <= p.ts) i++;
    if (!bars[i] || p.ts < bars[i]!.start) continue;
    bars[i]!.allowed += p.allowed;
    bars[i]!.denied += p.denied;
  }
  return { bucketMs: step.ms, per: step.words, bars };
}

/** A part-bar in words, for its tooltip and the chart's note: "so far (13 min)" for the one under way, else the part the range holds. */
export function partWords(part: { from: number; to: number }, bucketEnd: number, now: number, clock: (ms: number) => string, span: (ms: number) => string): string {
  if (part.to < bucketEnd && bucketEnd > now) return `so far (${span(part.to - part.from)})`;
  return `only ${clock(part.from)}–${clock(part.to)} is in this range`;
}
