import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { buildView } from '../../src/main/core/analytics/view';
import { trendOf, type MeasuredPoint } from '../../src/main/core/analytics/trends';
import type { AnalyticsStore } from '../../src/main/core/store/analytics-store';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 23, 18, 30);
// Three days of steady history: enough for a forecast whenever one is allowed.
const store = {
  timezone: 'UTC',
  earliest: () => now - 3 * 24 * HOUR,
  series: () => ({ tier: 'hour', points: [] }),
  sampledSpan: () => null,
  downtime: () => ({ spells: [], unplacedMs: 0 }),
  alertsFired: () => 0,
  eventCounts: () => ({ connection: 0, performance: 0, error: 0, pool: 0, user: 0, checkin: 0 }),
  hourlyCheckins: (from: number, to: number) => {
    const out: { ts: number; checkins: number; connections: number; n: number }[] = [];
    for (let h = Math.ceil(from / HOUR) * HOUR; h < Math.min(to, now); h += HOUR) out.push({ ts: h, checkins: 50, connections: 4, n: 360 });
    return out;
  },
} as unknown as AnalyticsStore;

describe('the next-hour forecast is only for ranges that end now', () => {
  it('a preset range (ending now) gets a forecast', () => {
    const v = buildView(store, { last: '24h' }, now, { kind: 'live' });
    expect(v.noForecast).toBeNull();
    expect(v.prediction).not.toBeNull();
  });

  it('a custom range ending a minute ago still counts as now', () => {
    expect(buildView(store, { from: now - 6 * HOUR, to: now - 60_000 }, now, { kind: 'live' }).noForecast).toBeNull();
  });

  it('a past custom range gets none, and says why', () => {
    const v = buildView(store, { from: now - 30 * HOUR, to: now - 20 * HOUR }, now, { kind: 'live' });
    expect(v.prediction).toBeNull();
    expect(v.noForecast).toBe('past-range');
  });

  it('an opened export gets none', () => {
    const v = buildView(store, { last: '6h' }, now, { kind: 'export', sites: ['North'], files: ['a.sqlite'], skipped: [], simulated: false, span: { from: now - 6 * HOUR, to: now } });
    expect(v.prediction).toBeNull();
    expect(v.noForecast).toBe('export');
  });

  // The check-in chart cuts the bar holding it: a custom range to midnight drew the hour under way as a whole bar.
  it('says where its data ends, for a range reaching past it', () => {
    expect(buildView(store, { from: now - 6 * HOUR, to: now + 5 * HOUR }, now, { kind: 'live' }).now).toBe(now);
  });
});

describe('a range with nothing in it says why, not "not enough data yet"', () => {
  it('a range in the future: nothing recorded in it yet, and no forecast for it', () => {
    const v = buildView(store, { from: now + 2 * HOUR, to: now + 26 * HOUR }, now, { kind: 'live' });
    expect(v.empty).toEqual({ why: 'future', earliest: now - 72 * HOUR });
    expect(v.noForecast).toBe('future-range');
    expect(v.prediction).toBeNull();
  });

  it('a range before the first record: no data in it, and when the records start', () => {
    expect(buildView(store, { from: now - 30 * 24 * HOUR, to: now - 29 * 24 * HOUR }, now, { kind: 'live' }).empty).toEqual({ why: 'before-data', earliest: now - 72 * HOUR });
  });

  it('a range after an opened export ends is "after the export", and one with data is not empty', () => {
    const source = { kind: 'export' as const, sites: ['North'], files: ['a.sqlite'], skipped: [], simulated: false, span: { from: now - 6 * HOUR, to: now } };
    expect(buildView(store, { from: now + HOUR, to: now + 2 * HOUR }, now, source).empty).toMatchObject({ why: 'future' });
    const counted = { ...store, eventCounts: () => ({ connection: 0, performance: 0, error: 0, pool: 0, user: 0, checkin: 3 }) } as unknown as AnalyticsStore;
    expect(buildView(counted, { from: now + HOUR, to: now + 2 * HOUR }, now, { kind: 'live' }).empty).toBeNull();
  });

  it('a range reaching past now forecasts the hour after now, not the hour after its end', () => {
    const v = buildView(store, { from: now - 6 * HOUR, to: now + 6 * HOUR }, now, { kind: 'live' });
    expect(v.noForecast).toBeNull();
    expect(v.prediction!.hour).toBe(Math.floor(now / HOUR) * HOUR + HOUR);
  });
});

describe('check-ins per hour on the daily tier', () => {
  it('a 23-hour day is 23 hours: 100 an hour all along a range with a DST change reads 100, not 104', () => {
    // Daily rollups carry the time their samples measured: a spring-forward day measured 23 h, not 24.
    const zone = 'Europe/Berlin';
    const from = DateTime.fromISO('2026-02-01T00:00', { zone });
    const to = DateTime.fromISO('2026-05-01T00:00', { zone });
    const days: MeasuredPoint[] = [];
    for (let d = from; d < to; d = d.plus({ days: 1 })) {
      const hours = d.plus({ days: 1 }).diff(d, 'hours').hours;
      days.push({ ts: d.toMillis(), value: 100 * hours, measuredMs: hours * HOUR });
    }
    expect(days.some((p) => p.measuredMs === 23 * HOUR)).toBe(true);
    const t = trendOf(days, { from: from.toMillis(), to: to.toMillis() }, { counts: true });
    expect(t).toMatchObject({ direction: 'stable', changePct: 0 });
    expect(t!.from).toBeCloseTo(100, 6);
    expect(t!.to).toBeCloseTo(100, 6);
  });
});

describe('where the charts have figures', () => {
  const point = (ts: number, measuredMs: number) => ({ ts, v: {}, allowed: 0, denied: 0, measuredMs });
  it('is the samples\' span, or the rollups\' (whole hours) once samples are no longer kept, or none', () => {
    const range = { from: now - 7 * 24 * HOUR, to: now };
    const sampled = { ...store, sampledSpan: () => ({ from: now - 2 * HOUR + 120_000, to: now - 2 * HOUR + 480_000 }) } as unknown as AnalyticsStore;
    expect(buildView(sampled, range, now, { kind: 'live' }).drawn).toEqual({ from: now - 2 * HOUR + 120_000, to: now - 2 * HOUR + 480_000 });
    const rolled = { ...store, series: () => ({ tier: 'hour', points: [point(now - 5 * HOUR, 0), point(now - 3 * HOUR, 360_000), point(now - 2 * HOUR, 10_000)] }) } as unknown as AnalyticsStore;
    expect(buildView(rolled, range, now, { kind: 'live' }).drawn).toEqual({ from: now - 3 * HOUR, to: now - HOUR });
    expect(buildView(store, range, now, { kind: 'live' }).drawn).toBeNull();
  });
});

describe('the view names the zone its days are the gym\u2019s in', () => {
  it('the store\u2019s time zone (the Analytics setting, or an opened export\u2019s), for the tab to draw and say times on', () => {
    expect(buildView({ ...store, timezone: 'Asia/Kathmandu' } as AnalyticsStore, { last: '7d' }, now, { kind: 'live' }).zone).toBe('Asia/Kathmandu');
  });
});
