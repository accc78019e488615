import type { Trend } from '../../../shared/analytics';

/** A change between the halves of at least this share of the first half's value counts as a trend. */
export const TREND_THRESHOLD = 0.1;
/** Each half of the range needs this much sampled time, and at least this share of its length. */
export const MIN_MEASURED_MS = 15 * 60_000;
export const MIN_MEASURED_SHARE = 0.25;

const HOUR = 3_600_000;

/** A bucket of the series: its value (a mean, or a count with `counts`) and how long it was actually sampled. */
export interface MeasuredPoint {
  ts: number;
  value: number;
  measuredMs: number;
}

export interface Halves {
  /** Sampled time in the whole range, and the least each half needs for a trend. */
  ms: number;
  neededMs: number;
  enough: boolean;
}

const halfOf = (points: MeasuredPoint[], range: { from: number; to: number }) => {
  const mid = (range.from + range.to) / 2;
  return [points.filter((p) => p.ts < mid), points.filter((p) => p.ts >= mid)] as const;
};
const measured = (points: MeasuredPoint[]): number => points.reduce((n, p) => n + p.measuredMs, 0);

/** Whether both halves of the range hold enough sampled time to compare: hours the console was off are not zeros. */
export function measuredHalves(points: MeasuredPoint[], range: { from: number; to: number }): Halves {
  const neededMs = Math.max(MIN_MEASURED_MS, ((range.to - range.from) / 2) * MIN_MEASURED_SHARE);
  const [a, b] = halfOf(points, range);
  return { ms: measured(a) + measured(b), neededMs, enough: measured(a) >= neededMs && measured(b) >= neededMs };
}

/**
 * The first half of the range against the second, each per time actually sampled: a mean weighted by sampled
 * time, or with `counts` a count per hour (a half-sampled bucket is never scaled up to a whole one).
 * A change of ±10 % of the first half is up or down. Null (no trend) when either half lacks measured time.
 * Counts also need a change beyond chance (2σ of a Poisson count): 50 → 40 visits in half an hour is steady.
 */
export function trendOf(points: MeasuredPoint[], range: { from: number; to: number }, opts: { counts?: boolean } = {}): Trend | null {
  if (!measuredHalves(points, range).enough) return null;
  const [a, b] = halfOf(points, range).map((half) => {
    const ms = measured(half);
    const sum = half.reduce((n, p) => n + (opts.counts ? p.value : p.value * p.measuredMs), 0);
    return { ms, sum, value: opts.counts ? (sum / ms) * HOUR : sum / ms };
  }) as [{ ms: number; sum: number; value: number }, { ms: number; sum: number; value: number }];
  const diff = b.value - a.value;
  const change = a.value > 0 ? diff / a.value : diff > 0 ? Infinity : 0;
  const changePct = Number.isFinite(change) ? Math.round(change * 1000) / 10 : 0;
  const chance = opts.counts ? 2 * Math.sqrt(a.sum / a.ms ** 2 + b.sum / b.ms ** 2) * HOUR : 0;
  const real = Math.abs(diff) > chance;
  const direction = !real ? 'stable' : change >= TREND_THRESHOLD ? 'up' : change <= -TREND_THRESHOLD ? 'down' : 'stable';
  return { direction, changePct, from: a.value, to: b.value };
}
