import { linearRegression, mean } from 'simple-statistics';
import type { Trend } from '../../../shared/analytics';

/** A change across the range of at least this share of the mean counts as a trend. */
export const TREND_THRESHOLD = 0.1;

/**
 * Trend of a series: the least-squares slope, times the span of the range, as a share of the mean.
 * |change| ≥ 10 % → up or down; otherwise stable. Fewer than 4 points, or a zero mean, is stable.
 */
export function trendOf(points: { ts: number; value: number }[]): Trend {
  if (points.length < 4) return { direction: 'stable', changePct: 0 };
  const m = mean(points.map((p) => p.value));
  if (m === 0) return { direction: 'stable', changePct: 0 };
  const t0 = points[0]!.ts;
  const { m: slope } = linearRegression(points.map((p) => [(p.ts - t0) / 3_600_000, p.value]));
  const span = (points.at(-1)!.ts - t0) / 3_600_000;
  const change = (slope * span) / Math.abs(m);
  const changePct = Math.round(change * 1000) / 10;
  return { direction: change >= TREND_THRESHOLD ? 'up' : change <= -TREND_THRESHOLD ? 'down' : 'stable', changePct };
}
