import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { startCluster } from '../../src/server/cluster';
import { waitFor } from '../helpers/wait';

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 1);
const TOKEN = 'unknown-latency-token';
/** A sample: 6 connections and `latency` ms, or the backend away (no connection, no reply: null). */
const sample = (ts: number, latency: number | null): Sample => ({
  ts,
  values: { ...(Object.fromEntries(METRICS.map((m) => [m, 5])) as Sample['values']), connections: latency === null ? 0 : 6, latencyMs: latency },
  allowed: 0,
  denied: 0,
  up: { '': latency !== null },
});
/** An hour at 5 ms, the next with nothing answering, then 5 ms again. */
const outageHour = (): Sample[] => Array.from({ length: 3 * 360 }, (_, i) => sample(FROM + i * 10_000, i >= 360 && i < 720 ? null : 5));
const review = (file: string) => loadExports([file], (db) => new AnalyticsStore(db, ':memory:', 'UTC')).store;
const latencies = (store: AnalyticsStore, from: number, to: number) => store.series(from, to).points.map((p) => p.v.latencyMs);

describe('a latency with nothing answering is recorded as unknown, not 0 ms', () => {
  it('a console whose backend goes away samples no latency, and stores none', async () => {
    const cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-lat-core-')), backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      await waitFor(() => core.analytics.sampler.take().values.latencyMs !== null, 20_000);
      await Promise.all(cluster.instances.map((i) => i.kill()));
      await waitFor(() => core.analytics.sampler.take().values.connections === 0, 20_000);
      const s = core.analytics.sampler.take();
      expect(s.values.latencyMs).toBeNull();
      core.analytics.store.addSamples([s]);
      expect(core.analytics.store.db.prepare('SELECT latencyMs FROM samples WHERE ts = ?').get(s.ts)).toEqual({ latencyMs: null });
    } finally {
      await core.stop();
      await cluster.close();
    }
  }, 60_000);

  it('a console started while its backend is away samples no latency', async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-lat-core-')), backend: { endpoints: ['ws://127.0.0.1:9'], token: 't' } });
    try {
      expect(core.analytics.sampler.take().values.latencyMs).toBeNull();
    } finally {
      await core.stop();
    }
  });

  it('means and trends leave the outage out, and every tier shows it as a gap (null), not a plunge to 0', () => {
    const { store } = openAnalytics(mkdtempSync(join(tmpdir(), 'gym-lat-')), 'UTC');
    store.addSamples(outageHour());
    expect(store.db.prepare('SELECT latencyMs FROM samples WHERE ts = ?').get(FROM + HOUR)).toEqual({ latencyMs: null });
    const raw = store.series(FROM, FROM + 3 * HOUR).points;
    expect(raw.filter((p) => p.ts >= FROM + HOUR && p.ts < FROM + 2 * HOUR).every((p) => p.v.latencyMs === null)).toBe(true);
    expect(raw.filter((p) => p.v.latencyMs !== null).every((p) => p.v.latencyMs === 5)).toBe(true);
    expect(latencies(store, FROM, FROM + 4 * 86_400_000)).toEqual([5, null, 5]);
    // The day holds the outage: its mean is of the two hours that had replies (5 ms, not 3.3 ms).
    expect(latencies(store, FROM, FROM + 90 * 86_400_000)).toEqual([5]);
    expect(store.db.prepare('SELECT n, n_latencyMs, max_latencyMs FROM hours WHERE ts = ?').get(FROM + HOUR)).toEqual({ n: 360, n_latencyMs: 0, max_latencyMs: 0 });
    const v = buildView(store, { from: FROM, to: FROM + 3 * HOUR }, FROM + 3 * HOUR, { kind: 'live' });
    // Taken as 0, the outage would read as a fall (3.3 → 3.3 with the halves split, or worse); left out, it is steady.
    expect(v.trends.latencyMs).toMatchObject({ direction: 'stable', from: 5, to: 5 });
    // The outage itself is still said as one.
    expect(v.outages.spells).toEqual([{ from: FROM + HOUR, to: FROM + 2 * HOUR }]);
  });

  it('an export keeps the gap, in SQLite and JSON, and opens on a review PC with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-lat-export-'));
    const { store } = openAnalytics(dir, 'UTC');
    store.addSamples(outageHour());
    for (const format of ['sqlite', 'json'] as const) {
      const out = join(dir, `x.${format}`);
      await exportAnalytics(store, { range: { from: FROM, to: FROM + 3 * HOUR }, format }, out, { site: 'North', app: 't', now: FROM + 3 * HOUR });
      if (format === 'json') expect(readFileSync(out, 'utf8')).toContain('"latencyMs":null');
      const r = review(out);
      expect(r.db.prepare('SELECT latencyMs FROM samples WHERE ts = ?').get(FROM + HOUR)).toEqual({ latencyMs: null });
      expect(latencies(r, FROM, FROM + 4 * 86_400_000)).toEqual([5, null, 5]);
      expect(r.series(FROM, FROM + 3 * HOUR).points.some((p) => p.v.latencyMs === 0)).toBe(false);
      r.db.close();
    }
  });

  it('two gyms opened together: a gym offline does not halve the other\'s reply time, nor count as one that answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-lat-sites-'));
    const files = await Promise.all(
      (['North', 'South'] as const).map(async (site) => {
        const { store } = openAnalytics(mkdtempSync(join(tmpdir(), `gym-lat-${site}-`)), 'UTC');
        // North is offline for the first sample; South answers in 6 ms throughout.
        store.addSamples([sample(FROM, site === 'North' ? null : 6), sample(FROM + 10_000, site === 'North' ? 4 : 6)]);
        const out = join(dir, `${site}.sqlite`);
        await exportAnalytics(store, { range: { from: FROM, to: FROM + HOUR }, format: 'sqlite' }, out, { site, app: 't', now: FROM + HOUR });
        return out;
      }),
    );
    const { store: r } = loadExports(files, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
    expect(r.db.prepare('SELECT latencyMs FROM samples ORDER BY ts').pluck().all()).toEqual([6, 5]);
    expect(r.db.prepare('SELECT n, n_latencyMs, sum_latencyMs FROM hours').get()).toEqual({ n: 4, n_latencyMs: 3, sum_latencyMs: 16 });
    r.db.close();
  });

  it('an export from before (format 3, 0 ms in an outage) opens with the outage as a gap too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-lat-old-'));
    const old = join(dir, 'old.sqlite');
    const db = new Database(old);
    db.pragma('synchronous = OFF');
    migrate(db, ANALYTICS_MIGRATIONS.slice(0, 6));
    const meta = { magic: EXPORT_MAGIC, version: '3', site: 'North', timezone: 'UTC', from: String(FROM), to: String(FROM + 3 * HOUR), exportedAt: String(FROM + 3 * HOUR), app: 'old' };
    for (const [k, v] of Object.entries(meta)) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(k, v);
    // As a console before this wrote it: 0 ms with no connection open, and its rollups counting those 0s.
    const rows = outageHour().map((s) => ({ ...s, values: { ...s.values, latencyMs: s.values.latencyMs ?? 0 } }));
    const put = db.prepare(`INSERT INTO samples VALUES (?, ${METRICS.map(() => '?').join(', ')}, 0, 0)`);
    for (const s of rows) put.run(s.ts, ...METRICS.map((m) => s.values[m]));
    const hour = db.prepare(`INSERT INTO hours (ts, n, ${METRICS.map((m) => `sum_${m}`).join(', ')}, allowed, denied, max_latencyMs) VALUES (?, 360, ${METRICS.map(() => '?').join(', ')}, 0, 0, ?)`);
    for (let h = 0; h < 3; h++) {
      const inHour = rows.slice(h * 360, (h + 1) * 360);
      hour.run(FROM + h * HOUR, ...METRICS.map((m) => inHour.reduce((n, s) => n + (s.values[m] ?? 0), 0)), h === 1 ? 0 : 5);
    }
    db.close();
    const r = review(old);
    expect(latencies(r, FROM, FROM + 3 * HOUR).filter((l) => l === 0)).toEqual([]);
    expect(latencies(r, FROM, FROM + 4 * 86_400_000)).toEqual([5, null, 5]);
    r.db.close();

    // The same as JSON, with its samples' 0s written out.
    const json = join(dir, 'old.json');
    writeFileSync(json, JSON.stringify({ meta: { ...meta, version: 3 }, events: [], samples: rows.map((s) => ({ ts: s.ts, ...s.values, allowed: 0, denied: 0 })) }));
    const j = review(json);
    expect(j.db.prepare('SELECT COUNT(*) FROM samples WHERE latencyMs IS NULL').pluck().get()).toBe(360);
    j.db.close();
  });

  it('a latency that is neither a number nor empty is refused in words', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-lat-bad-'));
    const file = join(dir, 'bad.json');
    const meta = { magic: EXPORT_MAGIC, version: 4, site: 'North', timezone: 'UTC', from: FROM, to: FROM + HOUR, exportedAt: FROM + HOUR, app: 't' };
    writeFileSync(file, JSON.stringify({ meta, events: [], samples: [{ ts: FROM, ...sample(FROM, 5).values, latencyMs: 'fast', allowed: 0, denied: 0 }] }));
    expect(() => review(file)).toThrow(/bad\.json is not an AV Gym Console export, or it is damaged: row 1 of samples has something other than a number in “latencyMs”/);
    writeFileSync(file, JSON.stringify({ meta: { ...meta, version: 5 }, events: [] }));
    expect(() => review(file)).toThrow(/made by a newer console \(format 5\)\. Update the console to open it\./);
  });
});
