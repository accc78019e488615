import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EXPORT_MAGIC, METRICS } from '../../src/shared/analytics';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { migrate } from '../../src/main/core/store/db';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { buildView } from '../../src/main/core/analytics/view';
import { startCore } from '../../src/main/core/app';

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 1);
const sample = (ts: number, occupancy: number | null): Sample => ({ ts, values: { ...(Object.fromEntries(METRICS.map((m) => [m, 5])) as Sample['values']), occupancy }, allowed: 0, denied: 0 });
const review = (file: string) => loadExports([file], (db) => new AnalyticsStore(db, ':memory:', 'UTC')).store;

describe('an occupancy the console did not know (the backend away) is recorded as unknown, not 0', () => {
  it('is NULL in the samples, left out of the rollups and trends, and a gap (null) in the series at every tier', () => {
    const { store } = openAnalytics(mkdtempSync(join(tmpdir(), 'gym-occ-')), 'UTC');
    // 40 inside, then an hour with the backend away, then 40 again.
    store.addSamples([sample(FROM, 40), sample(FROM + 10_000, 40), ...Array.from({ length: 360 }, (_, i) => sample(FROM + HOUR + i * 10_000, null)), sample(FROM + 2 * HOUR, 40)]);
    expect(store.db.prepare('SELECT occupancy FROM samples WHERE ts = ?').get(FROM + HOUR)).toEqual({ occupancy: null });
    const raw = store.series(FROM, FROM + 3 * HOUR).points;
    expect(raw.filter((p) => p.ts >= FROM + HOUR && p.ts < FROM + 2 * HOUR).every((p) => p.v.occupancy === null)).toBe(true);
    expect(raw.filter((p) => p.v.occupancy !== null).every((p) => p.v.occupancy === 40)).toBe(true);
    const hours = store.series(FROM, FROM + 4 * 86_400_000);
    expect(hours.tier).toBe('hour');
    expect(hours.points.map((p) => p.v.occupancy)).toEqual([40, null, 40]);
    expect(hours.points.map((p) => p.v.latencyMs)).toEqual([5, 5, 5]);
    const days = store.series(FROM, FROM + 90 * 86_400_000);
    expect(days.points[0]!.v.occupancy).toBe(40);
    // Trends need enough measured time in each half: 40 inside, away from 0:30 to 1:30, then 40 again. Taken as 0,
    // the away hour would read as a rise (13 → 40); left out, it is steady.
    const steady = openAnalytics(mkdtempSync(join(tmpdir(), 'gym-occ-')), 'UTC').store;
    steady.addSamples(Array.from({ length: 3 * 360 }, (_, i) => sample(FROM + i * 10_000, i >= 180 && i < 540 ? null : 40)));
    expect(buildView(steady, { from: FROM, to: FROM + 3 * HOUR }, FROM + 3 * HOUR, { kind: 'live' }).trends.occupancy).toMatchObject({ direction: 'stable', from: 40, to: 40 });
  });

  it('an export keeps it unknown, in SQLite and JSON, and an export from before (no n_occupancy) still opens as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-occ-export-'));
    const { store } = openAnalytics(dir, 'UTC');
    store.addSamples([sample(FROM, 12), sample(FROM + 10_000, null)]);
    for (const format of ['sqlite', 'json'] as const) {
      const out = join(dir, `x.${format}`);
      await exportAnalytics(store, { range: { from: FROM, to: FROM + HOUR }, format }, out, { site: 'North', app: 't', now: FROM + HOUR });
      const r = review(out);
      expect(r.db.prepare('SELECT ts, occupancy FROM samples ORDER BY ts').all()).toEqual([
        { ts: FROM, occupancy: 12 },
        { ts: FROM + 10_000, occupancy: null },
      ]);
      expect(r.db.prepare('SELECT n, n_occupancy, sum_occupancy FROM hours').get()).toEqual({ n: 2, n_occupancy: 1, sum_occupancy: 12 });
      expect(r.series(FROM, FROM + 4 * 86_400_000).points[0]!.v.occupancy).toBe(12);
      r.db.close();
    }

    // Written by a console of schema 4, format 1.
    const old = join(dir, 'old.sqlite');
    const db = new Database(old);
    migrate(db, ANALYTICS_MIGRATIONS.slice(0, 4));
    const meta = { magic: EXPORT_MAGIC, version: '1', site: 'North', timezone: 'UTC', from: String(FROM - 86_400_000), to: String(FROM), exportedAt: String(FROM), app: 'old' };
    for (const [k, v] of Object.entries(meta)) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(k, v);
    db.exec(`INSERT INTO hours (ts, n, ${METRICS.map((m) => `sum_${m}`).join(', ')}, allowed, denied, max_latencyMs) VALUES (${FROM - HOUR}, 2, ${METRICS.map((m) => (m === 'occupancy' ? 60 : 10)).join(', ')}, 0, 0, 5)`);
    db.close();
    const r = review(old);
    expect(r.series(FROM - 4 * 86_400_000, FROM).points.map((p) => p.v.occupancy)).toEqual([30]);
    r.db.close();
  });

  it('a console started while its backend is away samples the occupancy as unknown', async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-occ-core-')), backend: { endpoints: ['ws://127.0.0.1:9'], token: 't' } });
    try {
      expect(core.pools.connectionView().state).toBe('offline');
      expect(core.analytics.sampler.take().values.occupancy).toBeNull();
    } finally {
      await core.stop();
    }
  });
});
