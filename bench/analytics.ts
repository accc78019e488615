/**
 * Analytics store: batched ingest vs one insert per row; the Analytics tab's 7-day query on a large
 * generated DB (rollups) vs a raw scan of the events; 1M-row CSV, JSON and SQLite exports; size per million events.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { openAnalytics } from '../src/main/core/store/open-analytics';
import { exportAnalytics } from '../src/main/core/store/export';
import type { AnalyticsStore, NewEvent } from '../src/main/core/store/analytics-store';
import { CATEGORIES } from '../src/shared/analytics';
import type { ScenarioOptions } from './scenario';

export interface AnalyticsResult {
  scenario: 'analytics';
  ingest_events_per_s: number;
  events_in_db: number;
  query_7d_ms: number;
  export_csv_1m_rows_s: number;
  /** The same million rows as JSON and as a SQLite file (events plus the range's rollups). */
  export_json_1m_rows_s: number;
  export_sqlite_1m_rows_s: number;
  db_mb_per_million_events: number;
  baseline: { name: 'per-row-insert+raw-scan'; ingest_events_per_s: number; query_7d_ms: number };
}

const DAY = 86_400_000;
const event = (i: number, ts: number): NewEvent => ({ ts, category: CATEGORIES[i % 6]!, type: i % 9 ? 'allowed' : 'denied', source: 'door', detail: `ok member ${i % 2400}` });

function time(fn: () => void, runs = 5): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return Math.round(median(t) * 100) / 100;
}

export async function analytics(opts: ScenarioOptions): Promise<AnalyticsResult> {
  const total = opts.faults ?? (opts.quick ? 1_000_000 : 10_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-analytics-'));
  try {
    const now = Date.UTC(2026, 10, 23);
    const { store } = openAnalytics(dir, 'UTC');

    // Ingest through the real path (record → batched transactions), measured on the first 200k.
    const ingestN = 200_000;
    let t0 = performance.now();
    for (let i = 0; i < ingestN; i++) store.record(event(i, now - 7 * DAY + Math.floor((i / total) * 7 * DAY)));
    store.flush();
    const ingest = Math.round(ingestN / ((performance.now() - t0) / 1000));
    opts.log(`analytics: ingest ${ingest}/s`);

    // Fill the rest, spread over 7 days, in large batches.
    for (let i = ingestN; i < total; ) {
      const batch: NewEvent[] = [];
      for (const end = Math.min(total, i + 100_000); i < end; i++) batch.push(event(i, now - 7 * DAY + Math.floor((i / total) * 7 * DAY)));
      store.insertEvents(batch);
      if (i % 1_000_000 === 0) opts.log(`analytics: ${i} events`);
    }
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbMb = statSync(join(dir, 'analytics.db')).size / 1048576;

    // What the tab asks for a 7-day view: counts per type, the newest page of the log, the series.
    const from = now - 7 * DAY;
    const query7d = time(() => {
      store.eventCounts(from, now);
      store.events({ from, to: now, limit: 200 });
      store.series(from, now);
    });
    const rawScan = time(() => {
      store.db.prepare('SELECT category, COUNT(*) FROM events WHERE ts >= ? AND ts < ? GROUP BY category').all(from, now);
      store.db.prepare('SELECT * FROM events WHERE ts >= ? AND ts < ? ORDER BY ts DESC LIMIT 200').all(from, now);
    }, 3);
    opts.log(`analytics: 7-day query ${query7d} ms (raw scan ${rawScan} ms)`);

    // A 1M-row CSV export (the newest million events).
    const csvFrom = now - Math.floor((1_000_000 / total) * 7 * DAY);
    t0 = performance.now();
    const exp = await exportAnalytics(store, { range: { from: csvFrom, to: now }, format: 'csv' }, join(dir, 'x.csv'), { site: 'bench', app: 'bench', now });
    const csvSecs = (performance.now() - t0) / 1000;
    opts.log(`analytics: CSV of ${exp.events} rows in ${csvSecs.toFixed(2)} s`);
    const perMillion = async (format: 'json' | 'sqlite'): Promise<number> => {
      const t = performance.now();
      const r = await exportAnalytics(store, { range: { from: csvFrom, to: now }, format }, join(dir, `x.${format}`), { site: 'bench', app: 'bench', now });
      const secs = (performance.now() - t) / 1000;
      opts.log(`analytics: ${format.toUpperCase()} of ${r.events} rows in ${secs.toFixed(2)} s`);
      return Math.round(((secs * 1_000_000) / r.events) * 100) / 100;
    };
    const jsonSecs = await perMillion('json');
    const sqliteSecs = await perMillion('sqlite');

    const perRow = perRowIngest(dir, opts.quick ? 5_000 : 20_000, now);
    store.close();
    return {
      scenario: 'analytics',
      ingest_events_per_s: ingest,
      events_in_db: total,
      query_7d_ms: query7d,
      export_csv_1m_rows_s: Math.round(((csvSecs * 1_000_000) / exp.events) * 100) / 100,
      export_json_1m_rows_s: jsonSecs,
      export_sqlite_1m_rows_s: sqliteSecs,
      db_mb_per_million_events: Math.round((dbMb / (total / 1e6)) * 10) / 10,
      baseline: { name: 'per-row-insert+raw-scan', ingest_events_per_s: perRow, query_7d_ms: rawScan },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The naive way: each event its own insert and commit. */
function perRowIngest(dir: string, n: number, now: number): number {
  const { store } = openAnalytics(join(dir), 'UTC');
  const stmt = store.db.prepare('INSERT INTO events (ts, category, type, source, detail) VALUES (?, ?, ?, ?, ?)');
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const e = event(i, now);
    stmt.run(e.ts, CATEGORIES.indexOf(e.category), e.type, e.source, e.detail);
  }
  const rate = Math.round(n / ((performance.now() - t0) / 1000));
  (store as AnalyticsStore).db.close();
  return rate;
}

export function summarizeAnalytics(r: AnalyticsResult): string {
  return [
    `analytics: ${r.events_in_db} events in the DB (${r.db_mb_per_million_events} MB per million)`,
    `  ingest ${r.ingest_events_per_s}/s (one insert per row: ${r.baseline.ingest_events_per_s}/s)`,
    `  7-day query ${r.query_7d_ms} ms (raw scan: ${r.baseline.query_7d_ms} ms)`,
    `  export, s per million rows: CSV ${r.export_csv_1m_rows_s}, JSON ${r.export_json_1m_rows_s}, SQLite ${r.export_sqlite_1m_rows_s}`,
  ].join('\n');
}
