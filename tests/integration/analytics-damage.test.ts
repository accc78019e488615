import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { METRICS } from '../../src/shared/analytics';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { migrate } from '../../src/main/core/store/db';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';

/** Metric values no sample can have: written by consoles before backend frames were bounded, or by a source gone wrong. */

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 1);
const good = (ts: number): Sample => ({ ts, values: Object.fromEntries(METRICS.map((m) => [m, 5])) as Sample['values'], allowed: 1, denied: 0 });

describe('damaged metric values', () => {
  it('a sample with NaN, a negative or an infinite value is stored with 0 there, not refused or kept', () => {
    const { store } = openAnalytics(mkdtempSync(join(tmpdir(), 'gym-damage-')), 'UTC');
    const bad = good(FROM);
    bad.values.latencyMs = Number.NaN; // NOT NULL would refuse the whole batch
    bad.values.loopLagMs = -1e9;
    bad.values.cpuPct = Number.POSITIVE_INFINITY;
    bad.values.rssMb = 1e300;
    store.addSamples([bad, good(FROM + 10_000)]);
    const row = store.db.prepare('SELECT latencyMs, loopLagMs, cpuPct, rssMb, occupancy FROM samples WHERE ts = ?').get(FROM) as Record<string, number>;
    expect(row).toEqual({ latencyMs: 0, loopLagMs: 0, cpuPct: 0, rssMb: 0, occupancy: 5 });
    const hour = store.db.prepare('SELECT n, sum_latencyMs, max_latencyMs, sum_loopLagMs FROM hours').get() as Record<string, number>;
    expect(hour).toEqual({ n: 2, sum_latencyMs: 5, max_latencyMs: 5, sum_loopLagMs: 5 });
  });

  it('an analytics.db written with such values is cleaned on start, and its export then opens for review', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-damage-'));
    // A console of schema 3 wrote what a forged pong gave it.
    const old = new Database(join(dir, 'analytics.db'));
    migrate(old, ANALYTICS_MIGRATIONS.slice(0, 3));
    // Its rows as this console writes them, copied into the schema 3 columns (it has no n_occupancy).
    const fresh = new Database(':memory:');
    migrate(fresh, ANALYTICS_MIGRATIONS);
    new AnalyticsStore(fresh, ':memory:', 'UTC').addSamples([good(FROM), good(FROM + 10_000)]);
    for (const t of ['samples', 'hours', 'days']) {
      const cols = (old.prepare('SELECT name FROM pragma_table_info(?)').all(t) as { name: string }[]).map((r) => r.name);
      const put = old.prepare(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      for (const row of fresh.prepare(`SELECT ${cols.join(', ')} FROM ${t}`).raw().all() as unknown[][]) put.run(...row);
    }
    fresh.close();
    old.exec(`UPDATE samples SET latencyMs = -1e9 WHERE ts = ${FROM}; UPDATE samples SET loopLagMs = 9e999 WHERE ts = ${FROM + 10_000};
      UPDATE hours SET sum_latencyMs = -9e999, max_latencyMs = 1e300; UPDATE days SET sum_cpuPct = -3;`);
    old.close();

    const { store } = openAnalytics(dir, 'UTC');
    expect(store.db.prepare('SELECT latencyMs, loopLagMs FROM samples ORDER BY ts').all()).toEqual([
      { latencyMs: 0, loopLagMs: 5 },
      { latencyMs: 5, loopLagMs: 0 },
    ]);
    expect(store.db.prepare('SELECT sum_latencyMs, max_latencyMs, sum_occupancy FROM hours').get()).toEqual({ sum_latencyMs: 0, max_latencyMs: 0, sum_occupancy: 10 });
    expect(store.db.prepare('SELECT sum_cpuPct FROM days').get()).toEqual({ sum_cpuPct: 0 });

    for (const format of ['sqlite', 'json'] as const) {
      const out = join(dir, `x.${format}`);
      await exportAnalytics(store, { range: { from: FROM, to: FROM + HOUR }, format }, out, { site: 'North', app: 't', now: FROM + HOUR });
      const { store: review } = loadExports([out], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
      expect(review.db.prepare('SELECT count(*) AS n FROM samples').get()).toEqual({ n: 2 });
      review.db.close();
    }
  });
});
