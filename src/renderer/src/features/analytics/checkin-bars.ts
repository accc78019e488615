import type { SeriesPoint } from '../../../../shared/analytics';

const MIN = 60_000;
const HOUR = 60 * MIN;

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
   */
  bars: { start: number; allowed: number; denied: number; part?: { from: number; to: number } }[];
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
  // Walked by the wall clock, so a DST change moves no bar off its round hour.
  for (const d = floorLocal(range.from, step.ms); d.getTime() < range.to; step.ms < 24 * HOUR ? d.setTime(d.getTime() + step.ms) : d.setDate(d.getDate() + step.ms / (24 * HOUR))) {
    bars.push({ start: d.getTime(), allowed: 0, denied: 0 });
  }
  for (const [i, bar] of bars.entries()) {
    const end = i + 1 < bars.length ? bars[i + 1]!.start : bar.start + step.ms;
    if (bar.start < range.from || end > range.to) bar.part = { from: Math.max(bar.start, range.from), to: Math.min(end, range.to) };
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
