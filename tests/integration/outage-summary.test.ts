import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { buildView } from '../../src/main/core/analytics/view';
import { METRICS } from '../../src/shared/analytics';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 5, 12);
const values = (connections: number) => ({ ...(Object.fromEntries(METRICS.map((m) => [m, 0])) as Sample['values']), connections });

/**
 * 24 h of samples with 6 connections open; the backend wholly down from 09:02:00 for 1 min 30 s (no
 * connection open, no instance answering), and a critical alert fired then. No messages are sent in an
 * outage, so the error rate stays 0: the summary must still name it.
 */
function gym(opts: { setUp: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 'gym-outage-'));
  const { store } = openAnalytics(dir, 'UTC');
  const downFrom = Date.UTC(2026, 11, 5, 9, 2);
  const samples: Sample[] = [];
  for (let ts = NOW - 24 * HOUR; ts < NOW; ts += 10_000) {
    const down = ts >= downFrom && ts < downFrom + 90_000;
    // A console with nothing set up records no uptime at all, and has no connection either.
    samples.push({ ts, values: values(down || !opts.setUp ? 0 : 6), allowed: 0, denied: 0, up: opts.setUp ? { '': !down, 'ws://a:1': !down } : {} });
  }
  store.addSamples(samples);
  store.insertEvents([{ ts: downFrom + 30_000, category: 'error', type: 'alert-firing', source: '', detail: 'Critical: Backend connection. No instance answers.' }]);
  return { dir, store, downFrom };
}

describe('the summary names outages of the gym system', () => {
  it('a 1.5-min full outage is one outage, placed in time, with its alert', () => {
    const { store, downFrom } = gym({ setUp: true });
    const v = buildView(store, { last: '24h' }, NOW, { kind: 'live' });
    expect(v.outages).toEqual({ downMs: 90_000, spells: [{ from: downFrom, to: downFrom + 90_000 }], alerts: 1 });
    // A range that does not hold it has none.
    expect(buildView(store, { from: NOW - 2 * HOUR, to: NOW }, NOW, { kind: 'live' }).outages).toEqual({ downMs: 0, spells: [], alerts: 0 });
  });

  // probe28a R5: an outage still on was summed up as a finished one.
  it('one still on at the latest sample of a live console is going on; the same seen later, or in an export, is over', () => {
    const { store, downFrom } = gym({ setUp: true });
    const now = downFrom + 50_000;
    const live = buildView(store, { from: now - 2 * HOUR, to: now }, now, { kind: 'live' }).outages;
    expect(live).toMatchObject({ ongoing: true, spells: [{ from: downFrom }] });
    expect(buildView(store, { from: NOW - 2 * HOUR - 4 * HOUR, to: NOW }, NOW, { kind: 'live' }).outages.ongoing).toBeUndefined();
    // Between two samples, the last one down: still on.
    expect(buildView(store, { from: now + 5_000 - 2 * HOUR, to: now + 5_000 }, now + 5_000, { kind: 'live' }).outages.ongoing).toBe(true);
    // review28 V9: the first sample after it says the gym system answered: over, at once, not 10–20 s later.
    for (const after of [1, 5_000, 9_999]) {
      const at = downFrom + 90_000 + after;
      expect(buildView(store, { from: at - 2 * HOUR, to: at }, at, { kind: 'live' }).outages, `${after} ms after`).toMatchObject({ spells: [{ from: downFrom, to: downFrom + 90_000 }] });
      expect(buildView(store, { from: at - 2 * HOUR, to: at }, at, { kind: 'live' }).outages.ongoing, `${after} ms after`).toBeUndefined();
    }
  });

  it('a console with nothing set up has no connection, and no outage', () => {
    const { store } = gym({ setUp: false });
    expect(buildView(store, { last: '24h' }, NOW, { kind: 'live' }).outages.downMs).toBe(0);
  });

  it('an export opened on a review PC shows the same outage', async () => {
    const { dir, store, downFrom } = gym({ setUp: true });
    for (const format of ['sqlite', 'json'] as const) {
      const out = join(dir, `x.${format}`);
      await exportAnalytics(store, { range: { from: NOW - 24 * HOUR, to: NOW }, format }, out, { site: 'North', app: 't', now: NOW });
      const { store: opened } = loadExports([out], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
      const v = buildView(opened, { from: NOW - 24 * HOUR, to: NOW }, NOW, { kind: 'export', sites: ['North'], files: [out], skipped: [], simulated: false, span: { from: NOW - 24 * HOUR, to: NOW } });
      expect(v.outages).toEqual({ downMs: 90_000, spells: [{ from: downFrom, to: downFrom + 90_000 }], alerts: 1 });
      opened.close();
    }
  });

  it('past the keeping of samples, the hourly uptime still gives the down time, with no times', () => {
    const { store } = gym({ setUp: true });
    store.db.prepare('DELETE FROM samples').run();
    expect(buildView(store, { last: '24h' }, NOW, { kind: 'live' }).outages).toMatchObject({ downMs: 90_000, spells: [] });
  });

  describe('uptime rows of an export opened for review are bounded (a file from another PC may be crafted)', () => {
    const H = Date.UTC(2026, 11, 5, 3); // an hour of the export with no outage
    const span = { from: NOW - 24 * HOUR, to: NOW };
    const review = (file: string) => {
      const { store: opened } = loadExports([file], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
      try {
        return buildView(opened, span, NOW, { kind: 'export', sites: ['North'], files: [file], skipped: [], simulated: false, span }).outages.downMs;
      } finally {
        opened.close();
      }
    };
    /** The gym's export with its samples left out (the outage then comes from uptime rows alone), changed by `edit`. */
    async function crafted(format: 'json' | 'sqlite', edit: (rows: { hour: number; target: string; up: number; n: number }[]) => void): Promise<string> {
      const { dir, store } = gym({ setUp: true });
      const out = join(dir, `x.${format}`);
      await exportAnalytics(store, { range: span, format }, out, { site: 'North', app: 't', now: NOW });
      if (format === 'json') {
        const j = JSON.parse(readFileSync(out, 'utf8')) as { samples: unknown[]; uptime: { hour: number; target: string; up: number; n: number }[] };
        j.samples = [];
        edit(j.uptime);
        writeFileSync(out, JSON.stringify(j));
      } else {
        const db = new Database(out);
        db.exec('DELETE FROM samples');
        const rows = db.prepare('SELECT hour, target, up, n FROM uptime').all() as { hour: number; target: string; up: number; n: number }[];
        edit(rows);
        // Made again without its key, as a crafted file may be, so repeated hours can be written.
        db.exec('DROP TABLE uptime; CREATE TABLE uptime (hour INTEGER, target TEXT, up INTEGER, n INTEGER)');
        const put = db.prepare('INSERT INTO uptime (hour, target, up, n) VALUES (?, ?, ?, ?)');
        for (const r of rows) put.run(r.hour, r.target, r.up, r.n);
        db.close();
      }
      return out;
    }
    const at = (rows: { hour: number; target: string }[]) => rows.find((r) => r.hour === H && r.target === '')!;

    for (const format of ['json', 'sqlite'] as const) {
      it(`${format}: untouched, the 1.5-min outage; more samples than an hour holds count one hour at most`, async () => {
        expect(review(await crafted(format, () => {}))).toBe(90_000);
        const huge = await crafted(format, (rows) => Object.assign(at(rows), { up: 0, n: 9e15 }));
        expect(review(huge)).toBe(90_000 + HOUR);
      });

      it(`${format}: a negative outage, an hour off the hour, or an hour given twice is refused, saying which row`, async () => {
        const negative = await crafted(format, (rows) => Object.assign(at(rows), { up: 1e12, n: 1 }));
        expect(() => review(negative)).toThrow(/row \d+ of uptime has more samples up than were taken/);
        const below = await crafted(format, (rows) => Object.assign(at(rows), { up: -5, n: 1 }));
        expect(() => review(below)).toThrow(/row \d+ of uptime has a negative count/);
        const unaligned = await crafted(format, (rows) => rows.push({ hour: H + 1, target: '', up: 0, n: 360 }));
        expect(() => review(unaligned)).toThrow(/row \d+ of uptime has an hour that does not start on the hour/);
        const twice = await crafted(format, (rows) => rows.push({ ...at(rows), up: 0, n: 360 }));
        expect(() => review(twice)).toThrow(/row \d+ of uptime repeats an hour/);
      });
    }
  });
});
