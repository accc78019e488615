import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { exportAnalytics, loadExports, offsetSegments } from '../../src/main/core/store/export';
import { METRICS } from '../../src/shared/analytics';
import { UserError } from '../../src/shared/result';

/** Exporting again what was opened for review, and what a failed export leaves (nothing). */

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 1);
const RANGE = { from: FROM, to: FROM + 6 * HOUR };

async function exported(): Promise<{ dir: string; file: string; store: AnalyticsStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'gym-reexport-'));
  const { store } = openAnalytics(dir, 'Europe/Berlin');
  const samples: Sample[] = [];
  for (let ts = FROM; ts < RANGE.to; ts += 10_000) samples.push({ ts, values: Object.fromEntries(METRICS.map((m) => [m, 1])) as Sample['values'], allowed: 1, denied: 0, up: { '': true } });
  store.addSamples(samples);
  store.insertEvents(Array.from({ length: 300 }, (_, i) => ({ ts: FROM + i * 60_000, category: 'checkin' as const, type: 't', source: 's', detail: `d ${i}` })));
  const file = join(dir, 'x.sqlite');
  await exportAnalytics(store, { range: RANGE, format: 'sqlite' }, file, { site: 'North', app: 't', now: RANGE.to });
  return { dir, file, store };
}

const open = (...files: string[]) => loadExports(files, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));

describe('re-exporting a review', () => {
  it.each(['sqlite', 'json', 'csv'] as const)('writes a %s export of an opened review', async (format) => {
    const { dir, file, store: source } = await exported();
    const { store: review } = open(file);
    review.timezone = 'Europe/Berlin';
    const again = join(dir, `again.${format}`);
    const r = await exportAnalytics(review, { range: RANGE, format }, again, { site: 'North', app: 't', now: RANGE.to });
    expect(r.events).toBe(300);
    if (format === 'csv') return;
    const { store: reopened } = open(again);
    expect(reopened.series(RANGE.from, RANGE.to)).toEqual(source.series(RANGE.from, RANGE.to));
    expect(reopened.eventCounts(RANGE.from, RANGE.to)).toEqual(source.eventCounts(RANGE.from, RANGE.to));
  });

  it.each(['sqlite', 'json'] as const)('leaves no partial %s file behind when an export fails', async (format) => {
    const { dir, file } = await exported();
    const { store: review } = open(file);
    review.db.exec('DROP TABLE uptime'); // the export fails after it has started writing
    await expect(exportAnalytics(review, { range: RANGE, format }, join(dir, `out.${format}`), { site: 'N', app: 't', now: RANGE.to })).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.startsWith('out'))).toEqual([]);
  });
});

describe('local times in CSV', () => {
  it('never writes a time zone it cannot resolve into the CSV query', () => {
    expect(() => offsetSegments('Not/AZone', RANGE.from, RANGE.to)).toThrow(UserError);
    expect(() => offsetSegments('Not/AZone', RANGE.from, RANGE.to)).toThrow(/time zone “Not\/AZone” is not one the console knows/);
  });
});
