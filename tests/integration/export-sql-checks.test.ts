import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { METRICS, type Category } from '../../src/shared/analytics';
import { UserError } from '../../src/shared/result';

/** SQLite exports are checked and copied in SQL; a row the SQL checks refuse is reported as row-by-row reading would. */

const FROM = Date.UTC(2026, 10, 1);
const RANGE = { from: FROM, to: FROM + 6 * 3_600_000 };

async function exported(edit: string): Promise<{ file: string; source: AnalyticsStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'gym-sql-checks-'));
  const { store } = openAnalytics(dir, 'UTC');
  const samples: Sample[] = [];
  for (let ts = FROM; ts < RANGE.to; ts += 10_000) samples.push({ ts, values: Object.fromEntries(METRICS.map((m) => [m, 1])) as Sample['values'], allowed: 1, denied: 0, up: { '': true } });
  store.addSamples(samples);
  const cats: Category[] = ['connection', 'checkin', 'user'];
  store.insertEvents(Array.from({ length: 300 }, (_, i) => ({ ts: FROM + i * 60_000, category: cats[i % 3]!, type: 't', source: 's', detail: `d ${i}` })));
  const file = join(dir, 'x.sqlite');
  await exportAnalytics(store, { range: RANGE, format: 'sqlite' }, file, { site: 'North', app: 't', now: RANGE.to });
  const db = new Database(file);
  db.exec(edit);
  db.close();
  return { file, source: store };
}

const open = (file: string) => loadExports([file], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
const refusal = (file: string): UserError => {
  try {
    open(file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('the file was accepted');
};

describe('SQLite exports checked in SQL', () => {
  it.each([
    ['a text time', `UPDATE events SET ts = 'x' WHERE id = 250`, /row 250 of events has something other than a number in “ts”/],
    ['a time past the safe integers', `UPDATE events SET ts = 9007199254740993 WHERE id = 7`, /row 7 of events has a number that is not whole in “ts”/],
    ['a time that is not whole', `UPDATE events SET ts = 1.5 WHERE id = 12`, /row 12 of events has a number that is not whole in “ts”/],
    ['an infinite metric', `UPDATE samples SET cpuPct = 9e999 WHERE rowid = (SELECT rowid FROM samples LIMIT 1 OFFSET 4)`, /row 5 of samples has something other than a number in “cpuPct”/],
    ['a blob detail', `UPDATE events SET detail = x'00' WHERE id = 3`, /row 3 of events has something other than text in “detail”/],
    ['a null type', `UPDATE events SET type = NULL WHERE id = 300`, /row 300 of events has something other than text in “type”/],
  ])('refuses %s, naming the row as reading row by row did', async (_, edit, why) => {
    const { file } = await exported(`${edit.includes('NULL') ? 'CREATE TABLE e2 AS SELECT * FROM events; DROP TABLE events; ALTER TABLE e2 RENAME TO events;' : ''} ${edit}`);
    const e = refusal(file);
    expect(e.code).toBe('not-an-export');
    expect(e.message).toMatch(why);
  });

  it('still opens rows the SQL checks are stricter about (whole REALs, categories as text), row by row', async () => {
    const { file, source } = await exported(`UPDATE events SET ts = CAST(ts AS REAL) WHERE id = 2; CREATE TABLE e2 AS SELECT * FROM events; DROP TABLE events; ALTER TABLE e2 RENAME TO events; UPDATE events SET category = 'checkin' WHERE rowid = 5`);
    const { store } = open(file);
    expect(store.eventCounts(RANGE.from, RANGE.to)).toEqual(source.eventCounts(RANGE.from, RANGE.to));
    expect(store.series(RANGE.from, RANGE.to)).toEqual(source.series(RANGE.from, RANGE.to));
  });

  it('copies a sound export whole and leaves the file as it was', async () => {
    const { file, source } = await exported('');
    const before = readFileSync(file);
    const { store } = open(file);
    expect(store.events({ ...RANGE, limit: 1000 })).toEqual(source.events({ ...RANGE, limit: 1000 }));
    expect(store.series(RANGE.from, RANGE.to)).toEqual(source.series(RANGE.from, RANGE.to));
    expect(readFileSync(file).equals(before)).toBe(true);
    // The review store is writable (a review can be exported again).
    expect(() => store.db.exec('CREATE TABLE scratch (x)')).not.toThrow();
  });
});
