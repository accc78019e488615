import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsStore } from '../../src/main/core/store/analytics-store';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { METRICS, UNNAMED_SITE } from '../../src/shared/analytics';
import { UserError } from '../../src/shared/result';

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 11, 5, 6);
const RANGE = { from: FROM - 7 * 24 * HOUR, to: FROM + HOUR };

/** A gym's console with a few minutes of figures and check-ins, exported in `format` under `site`. */
async function exported(format: 'csv' | 'json' | 'sqlite', site: string, simulated = false): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gym-review-words-'));
  const { store } = openAnalytics(dir, 'UTC');
  store.addSamples(Array.from({ length: 36 }, (_, i) => ({ ts: FROM + 120_000 + i * 10_000, values: Object.fromEntries(METRICS.map((m) => [m, 1])) as never, allowed: 1, denied: 0, up: { '': true } })));
  store.insertEvents([{ ts: FROM + 130_000, category: 'checkin', type: 'allowed', source: 'desk', detail: 'Rosa Zhang' }]);
  const file = join(dir, `gym-7d.${format}`);
  await exportAnalytics(store, { range: RANGE, format }, file, { site, app: 't', now: RANGE.to, simulated });
  store.close();
  return file;
}

const open = (...files: string[]) => loadExports(files, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));

function refusal(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('the file was accepted');
}

describe('a review PC told the console\'s own CSV export', () => {
  const SAID = (file: string): string =>
    `${file} is this console's spreadsheet (CSV) export: it holds check-ins and events only, for a spreadsheet, so it does not open for review. To review this range here, export it again on the gym's console as SQLite or JSON (Analytics tab, Export) and open that file.`;

  it('says it is the spreadsheet export and which one to make instead, not "damaged"', async () => {
    const file = await exported('csv', 'North');
    // local_time names its zone now (probe-walk16 #5); an older console's header, without it, is the case below.
    expect(readFileSync(file, 'utf8').startsWith('\uFEFFtime_utc,local_time (UTC),category,event,')).toBe(true);
    const e = refusal(() => open(file));
    expect(e.code).toBe('csv-export');
    expect(e.message).toBe(SAID(file));
    expect(e.message).not.toMatch(/damaged|not an AV Gym Console export/);
  });

  it('knows the demo\'s CSV, and one a spreadsheet saved again (no BOM, quoted header)', async () => {
    const demo = await exported('csv', 'Demo gym', true);
    expect(refusal(() => open(demo)).message).toBe(SAID(demo));
    const resaved = join(mkdtempSync(join(tmpdir(), 'gym-review-words-')), 'resaved.csv');
    writeFileSync(resaved, '"time_utc","local_time","category","event","source"\r\n"2026-12-05T06:02:10.000Z","2026-12-05 06:02:10","Check-ins","Allowed","desk"\r\n');
    expect(refusal(() => open(resaved)).message).toBe(SAID(resaved));
    // Today's header names the zone of local_time, the longest zone name too, quoted by a spreadsheet.
    const zoned = join(mkdtempSync(join(tmpdir(), 'gym-review-words-')), 'zoned.csv');
    writeFileSync(zoned, '\uFEFF"time_utc","local_time (America/Argentina/ComodRivadavia)","category","event","source"\r\n');
    expect(refusal(() => open(zoned)).message).toBe(SAID(zoned));
  });

  it('still calls any other file not an export', () => {
    const other = join(mkdtempSync(join(tmpdir(), 'gym-review-words-')), 'members.csv');
    writeFileSync(other, 'name,card\r\nRosa Zhang,4000104729\r\n');
    const e = refusal(() => open(other));
    expect(e.code).toBe('not-an-export');
    expect(e.message).toMatch(/is not an AV Gym Console export, or it is damaged: it is neither a SQLite nor a JSON export/);
  });
});

describe('a JSON export saved again by an editor', () => {
  it('opens with the UTF-8 BOM Windows Notepad puts in front (and spaces before the brace), as the file it was', async () => {
    const file = await exported('json', 'North');
    const body = readFileSync(file);
    const again = join(mkdtempSync(join(tmpdir(), 'gym-review-words-')), 'notepad.json');
    writeFileSync(again, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\r\n  '), body]));
    const plain = open(file);
    const resaved = open(again);
    expect(resaved.metas).toEqual(plain.metas);
    expect(resaved.store.events({ from: RANGE.from, to: RANGE.to, limit: 10 }).map((e) => e.detail)).toEqual(['Rosa Zhang']);
    plain.store.close();
    resaved.store.close();
  });
});

describe('the gym an export names', () => {
  it('is "A gym with no name set" when its name was never set, in new exports and in older ones that said "This gym"', async () => {
    for (const site of [UNNAMED_SITE, 'This gym', '']) {
      for (const format of ['sqlite', 'json'] as const) {
        const r = open(await exported(format, site));
        expect(r.metas.map((m) => m.site)).toEqual(['A gym with no name set']);
        r.store.close();
      }
    }
    const named = open(await exported('sqlite', 'Northside'));
    expect(named.metas[0]!.site).toBe('Northside');
    named.store.close();
  });
});
