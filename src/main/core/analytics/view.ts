import { CATEGORIES, resolveRange, SAMPLE_MS, type AnalyticsView, type Category, type Metric, type Range } from '../../../shared/analytics';
import type { AnalyticsStore } from '../store/analytics-store';
import { predictNextHour } from './predict';
import { measuredHalves, trendOf, type MeasuredPoint } from './trends';

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
  const { from, to } = resolveRange(range, now, store.timezone);
  const { tier, points } = store.series(from, to);
  const counts = store.eventCounts(from, to);
  const eventCounts = Object.fromEntries(CATEGORIES.map((c) => [c, !categories?.length || categories.includes(c) ? counts[c] : 0])) as Record<Category, number>;
  // Compared per time actually sampled, so hours the console was off, or a gym open for ten minutes, make no trend.
  // A value not known (occupancy while the backend was away) is left out, not taken as 0.
  const at = (value: (p: (typeof points)[number]) => number | null): MeasuredPoint[] =>
    points.flatMap((p) => {
      const v = value(p);
      return v === null ? [] : [{ ts: p.ts, value: v, measuredMs: p.measuredMs }];
    });
  const measured = measuredHalves(at(() => 0), { from, to });
  const trends: AnalyticsView['trends'] = {};
  const checkins = trendOf(at((p) => p.allowed + p.denied), { from, to }, { counts: true });
  if (checkins) trends.checkins = checkins;
  for (const m of TRENDED) {
    const t = trendOf(at((p) => p.v[m]), { from, to });
    if (t) trends[m] = t;
  }
  // "Next hour" means the hour after now: a past range, one wholly to come, or an export has none.
  const noForecast = source.kind === 'export' ? 'export' : to < now - FORECAST_SLACK_MS ? 'past-range' : from >= now ? 'future-range' : null;
  // A range reaching past now forecasts the hour after now, not the hour after its end.
  const end = Math.min(to, now);
  // Seven days (one of them maybe 25 h) before each of the backtest's 48 hours, and a spare day.
  const prediction = noForecast ? null : predictNextHour(store.hourlyCheckins(end - 10 * 86_400_000, end + 3_600_000), end, store.timezone);
  return { source, range: { from, to }, now, zone: store.timezone, tier, series: points, outages: outagesIn(store, { from, to }, source.kind === 'live' ? now : null), drawn: drawnSpan(store, { from, to }, tier, points), eventCounts, trends, measured, prediction, noForecast, empty: emptiness(store, { from, to }, now, measured.ms, counts) };
}

const BUCKET_MS = { '10s': 10_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Where the charts have figures: the samples' span, or the rollups' when samples are no longer kept. */
function drawnSpan(store: AnalyticsStore, range: { from: number; to: number }, tier: AnalyticsView['tier'], points: AnalyticsView['series']): AnalyticsView['drawn'] {
  const sampled = store.sampledSpan(range.from, range.to);
  if (sampled) return sampled;
  const measured = points.filter((p) => p.measuredMs > 0);
  if (!measured.length) return null;
  return { from: Math.max(range.from, measured[0]!.ts), to: Math.min(range.to, measured.at(-1)!.ts + BUCKET_MS[tier]) };
}

/** Why a range holds nothing, if it does not: "not enough for a trend" misled for a range in the future. */
function emptiness(store: AnalyticsStore, range: { from: number; to: number }, now: number, measuredMs: number, counts: Record<Category, number>): AnalyticsView['empty'] {
  if (measuredMs > 0 || CATEGORIES.some((c) => counts[c] > 0)) return null;
  const earliest = store.earliest();
  const why = range.from >= now ? 'future' : earliest === null || range.to <= earliest ? 'before-data' : 'gap';
  return { why, earliest };
}

/** Outages in the range, whatever the trends say: a full outage sends nothing, so no error is counted. */
function outagesIn(store: AnalyticsStore, range: { from: number; to: number }, liveNow: number | null): AnalyticsView['outages'] {
  const { spells, unplacedMs } = store.downtime(range.from, range.to);
  const placed = spells.reduce((n, s) => n + (Math.min(s.to, range.to) - s.from), 0);
  // Its last sample is the latest a live console took (one is taken every SAMPLE_MS): still on, not over (probe28a R5).
  // Only if no sample since says the gym system answered: that read "still going on" for 10–20 s after (review28 V9).
  const last = spells.at(-1);
  const latest = last && liveNow !== null ? store.sampledSpan(range.from, range.to)?.to : undefined;
  const ongoing = liveNow !== null && last !== undefined && last.to >= liveNow - SAMPLE_MS && range.to >= liveNow && latest !== undefined && Math.min(range.to, last.to) >= latest;
  return { downMs: placed + unplacedMs, spells, alerts: store.alertsFired(range.from, range.to), ...(ongoing && { ongoing }) };
}
