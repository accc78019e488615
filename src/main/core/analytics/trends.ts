import { linearRegression, mean } from 'simple-statistics';
import type { Trend } from '../../../shared/analytics';

/** A change across the range of at least this share of the mean counts as a trend. */
export const TREND_THRESHOLD = 0.1;

/**
 * Trend of a series: the least-squares slope, times the span of the range, as a share of the mean.
 * |change| ≥ 10 % → up or down; otherwise stable. Fewer than 4 points, or a zero mean, is stable.
 */
export function trendOf(points: { ts: number; value: number }[]): Trend {
  if (points.length < 4) return { direction: 'stable', changePct: 0, ...ends(points) };
  const m = mean(points.map((p) => p.value));
  if (m === 0) return { direction: 'stable', changePct: 0, from: 0, to: 0 };
  const t0 = points[0]!.ts;
  const { m: slope, b } = linearRegression(points.map((p) => [(p.ts - t0) / 3_600_000, p.value]));
  const span = (points.at(-1)!.ts - t0) / 3_600_000;
  const change = (slope * span) / Math.abs(m);
  const changePct = Math.round(change * 1000) / 10;
  // Where the fitted line starts and ends: what the screen says when the numbers are too small for a percentage.
  return { direction: change >= TREND_THRESHOLD ? 'up' : change <= -TREND_THRESHOLD ? 'down' : 'stable', changePct, from: Math.max(0, b), to: Math.max(0, b + slope * span) };
}

const ends = (points: { value: number }[]): { from: number; to: number } => ({ from: points[0]?.value ?? 0, to: points.at(-1)?.value ?? 0 });
