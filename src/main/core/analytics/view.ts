import { DateTime } from 'luxon';
import { CATEGORIES, resolveRange, type AnalyticsView, type Category, type Metric, type Range } from '../../../shared/analytics';
import type { AnalyticsStore } from '../store/analytics-store';
import { predictNextHour } from './predict';
import { trendOf } from './trends';

/** A custom range ending within this of now counts as ending now (the picker has minute resolution). */
const FORECAST_SLACK_MS = 5 * 60_000;

const TRENDED: Metric[] = ['latencyMs', 'occupancy', 'errorRate', 'connections', 'inPerS'];

/** Everything the Analytics tab draws for a range, from whichever store is the source. */
export function buildView(
  store: AnalyticsStore,
  range: Range,
  now: number,
  source: AnalyticsView['source'],
  categories?: Category[],
): Omit<AnalyticsView, 'storage'> {
  const { from, to } = resolveRange(range, now);
  const { tier, points } = store.series(from, to);
  const counts = store.eventCounts(from, to);
  const eventCounts = Object.fromEntries(CATEGORIES.map((c) => [c, !categories?.length || categories.includes(c) ? counts[c] : 0])) as Record<Category, number>;
  // Check-ins per hour whatever the bucket, so the screen can say "120 an hour". A local day is 23 or
  // 25 hours across a DST change: its own length, not the shortest gap (which made every day 24/23 too busy).
  const gap = bucketMs(points);
  const hoursIn = (ts: number): number => (tier === 'day' ? DateTime.fromMillis(ts, { zone: store.timezone }).plus({ days: 1 }).toMillis() - ts : gap) / 3_600_000;
  const trends: AnalyticsView['trends'] = { checkins: trendOf(points.map((p) => ({ ts: p.ts, value: (p.allowed + p.denied) / hoursIn(p.ts) }))) };
  for (const m of TRENDED) trends[m] = trendOf(points.map((p) => ({ ts: p.ts, value: p.v[m] })));
  // "Next hour" means the hour after now: a past range or an export has none, so it gets no forecast.
  const noForecast = source.kind === 'export' ? 'export' : to < now - FORECAST_SLACK_MS ? 'past-range' : null;
  // Seven days (one of them maybe 25 h) before each of the backtest's 48 hours, and a spare day.
  const prediction = noForecast ? null : predictNextHour(store.hourlyCheckins(to - 10 * 86_400_000, to + 3_600_000), to, store.timezone);
  return { source, range: { from, to }, tier, series: points, eventCounts, trends, prediction, noForecast };
}

/** The series' bucket length: the smallest gap between points (a gap is missing data, not a longer bucket). */
function bucketMs(points: { ts: number }[]): number {
  let gap = Infinity;
  for (let i = 1; i < points.length; i++) gap = Math.min(gap, points[i]!.ts - points[i - 1]!.ts);
  return Number.isFinite(gap) && gap > 0 ? gap : 3_600_000;
}
