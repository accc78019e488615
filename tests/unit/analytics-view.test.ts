import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { buildView } from '../../src/main/core/analytics/view';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { migrate } from '../../src/main/core/store/db';
import { METRICS } from '../../src/shared/analytics';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 23, 18, 30);
// Three days of steady history: enough for a forecast whenever one is allowed.
const store = {
  timezone: 'UTC',
  series: () => ({ tier: 'hour', points: [] }),
  eventCounts: () => ({ connection: 0, performance: 0, error: 0, pool: 0, user: 0, checkin: 0 }),
  hourlyCheckins: (from: number, to: number) => {
    const out: { ts: number; checkins: number; connections: number }[] = [];
    for (let h = Math.ceil(from / HOUR) * HOUR; h < Math.min(to, now); h += HOUR) out.push({ ts: h, checkins: 50, connections: 4 });
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
    const v = buildView(store, { last: '6h' }, now, { kind: 'export', sites: ['North'], files: ['a.sqlite'], skipped: [], simulated: false });
    expect(v.prediction).toBeNull();
    expect(v.noForecast).toBe('export');
  });
});

describe('check-ins per hour on the daily tier', () => {
  it('a 23-hour day is 23 hours: 100 an hour all along a range with a DST change reads 100, not 104', () => {
    const zone = 'Europe/Berlin';
    const db = new Database(':memory:');
    migrate(db, ANALYTICS_MIGRATIONS);
    const store = new AnalyticsStore(db, ':memory:', zone);
    // One sample an hour holding that hour's 100 check-ins, from February to May (spring forward on 29 March).
    const from = DateTime.fromISO('2026-02-01T00:00', { zone }).toMillis();
    const to = DateTime.fromISO('2026-05-01T00:00', { zone }).toMillis();
    const values = Object.fromEntries(METRICS.map((m) => [m, 1])) as Sample['values'];
    const samples: Sample[] = [];
    for (let ts = from; ts < to; ts += HOUR) samples.push({ ts, values, allowed: 90, denied: 10 });
    store.addSamples(samples);
    const v = buildView(store, { from, to }, to, { kind: 'live' });
    expect(v.tier).toBe('day');
    expect(v.trends.checkins).toMatchObject({ direction: 'stable', changePct: 0 });
    expect(v.trends.checkins!.from).toBeCloseTo(100, 6);
    expect(v.trends.checkins!.to).toBeCloseTo(100, 6);
    db.close();
  });
});
