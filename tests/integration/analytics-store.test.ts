import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { migrate, openDb } from '../../src/main/core/store/db';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { METRICS, type Category } from '../../src/shared/analytics';
import { seededRandom } from '../../src/server/random';

const tmp = () => mkdtempSync(join(tmpdir(), 'gym-analytics-'));
const HOUR = 3_600_000;

function sample(ts: number, rand: () => number): Sample {
  const values = Object.fromEntries(METRICS.map((m) => [m, Math.round(rand() * 1000) / 10])) as Sample['values'];
  return { ts, values, allowed: Math.floor(rand() * 5), denied: Math.floor(rand() * 2) };
}

function filled(zone: string, from: number, hours: number, seed = 1) {
  const dir = tmp();
  const { store } = openAnalytics(dir, zone);
  const rand = seededRandom(seed);
  const samples: Sample[] = [];
  for (let ts = from; ts < from + hours * HOUR; ts += 10_000) samples.push(sample(ts, rand));
  store.addSamples(samples);
  const cats: Category[] = ['connection', 'performance', 'error', 'pool', 'user', 'checkin'];
  store.insertEvents(Array.from({ length: 3000 }, (_, i) => ({ ts: from + Math.floor(rand() * hours * HOUR), category: cats[i % 6]!, type: `t${i % 7}`, source: 's', detail: `detail ${i}, "quoted"` })).sort((a, b) => a.ts - b.ts));
  return { dir, store, samples };
}

describe('where the records start', () => {
  it('is the first sample or event, not the midnight its day rolls up from; rollups kept longer count', () => {
    const { store } = openAnalytics(tmp(), 'UTC');
    expect(store.earliest()).toBeNull();
    const first = Date.UTC(2026, 10, 28, 3, 39, 10);
    const rand = seededRandom(3);
    store.addSamples([sample(first, rand), sample(first + 10_000, rand)]);
    expect(store.earliest()).toBe(first);
    store.insertEvents([{ ts: first - 5_000, category: 'user', type: 'export', source: 'manager', detail: '' }]);
    expect(store.earliest()).toBe(first - 5_000);
    // Samples and events gone past their retention, the hourly rollup still there: it is the oldest record.
    store.db.exec('DELETE FROM samples; DELETE FROM events;');
    expect(store.earliest()).toBe(Date.UTC(2026, 10, 28, 0));
    store.close();
  });
});

describe('schema migrations', () => {
  it('takes an empty database through every version, keeping data', () => {
    const db = new Database(':memory:');
    migrate(db, ANALYTICS_MIGRATIONS.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const zeros = METRICS.map(() => 1).join(', ');
    db.exec(`INSERT INTO hours VALUES (0, 2, ${METRICS.map(() => 20).join(', ')}, 3, 1)`);
    db.exec(`INSERT INTO samples VALUES (0, ${zeros}, 1, 0)`);
    migrate(db, ANALYTICS_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(ANALYTICS_MIGRATIONS.length);
    expect(db.prepare('SELECT n, allowed, max_latencyMs FROM hours').get()).toEqual({ n: 2, allowed: 3, max_latencyMs: 10 });
    expect(migrate(db, ANALYTICS_MIGRATIONS)).toBe(ANALYTICS_MIGRATIONS.length); // idempotent
    expect(() => migrate(db, ANALYTICS_MIGRATIONS.slice(0, 1))).toThrow(/written by a newer version of the console than this one/);
  });
});

describe('rollups', () => {
  it('hourly and local-daily rollups equal aggregates of the raw rows, across a DST change', () => {
    // New York leaves DST on 2026-11-01: that local day has 25 hours.
    const zone = 'America/New_York';
    const from = Date.UTC(2026, 9, 30, 4); // Oct 30 00:00 EDT
    const { store, samples } = filled(zone, from, 96);
    const hours = store.db.prepare('SELECT * FROM hours ORDER BY ts').all() as Record<string, number>[];
    expect(hours).toHaveLength(96);
    for (const h of hours) {
      const inHour = samples.filter((s) => s.ts >= h.ts! && s.ts < h.ts! + HOUR);
      expect(h.n).toBe(inHour.length);
      expect(h.allowed).toBe(inHour.reduce((n, s) => n + s.allowed, 0));
      expect(h.sum_latencyMs).toBeCloseTo(inHour.reduce((n, s) => n + s.values.latencyMs!, 0), 6);
      expect(h.max_latencyMs).toBe(Math.max(...inHour.map((s) => s.values.latencyMs!)));
    }
    const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const days = store.db.prepare('SELECT day, n, denied FROM days ORDER BY day').all() as { day: string; n: number; denied: number }[];
    for (const d of days) {
      const inDay = samples.filter((s) => localDay.format(s.ts) === d.day);
      expect(d.n).toBe(inDay.length);
      expect(d.denied).toBe(inDay.reduce((n, s) => n + s.denied, 0));
    }
    expect(days.find((d) => d.day === '2026-11-01')!.n).toBe(25 * 360);
    expect(days.find((d) => d.day === '2026-10-31')!.n).toBe(24 * 360);
  });

  it('picks the coarsest tier that draws the range, and counts events exactly at ragged edges', () => {
    const from = Date.UTC(2026, 10, 1);
    const { store } = filled('UTC', from, 24 * 10);
    expect(store.series(from, from + HOUR).tier).toBe('10s');
    expect(store.series(from, from + 7 * 24 * HOUR)).toMatchObject({ tier: 'hour' });
    expect(store.series(from, from + 7 * 24 * HOUR).points).toHaveLength(168);
    expect(store.series(from, from + 90 * 24 * HOUR).tier).toBe('day');
    const a = from + 1234567;
    const b = from + 5 * 24 * HOUR + 7654321;
    const fast = store.eventCounts(a, b);
    const slow = Object.fromEntries((store.db.prepare('SELECT category, COUNT(*) AS n FROM events WHERE ts >= ? AND ts < ? GROUP BY category').all(a, b) as { category: number; n: number }[]).map((r) => [r.category, r.n]));
    expect(Object.values(fast)).toEqual([0, 1, 2, 3, 4, 5].map((c) => slow[c] ?? 0));
  });

  it('prunes each tier by its retention and keeps the rest', () => {
    const from = Date.UTC(2026, 10, 1);
    const { store } = filled('UTC', from, 48);
    const now = from + 48 * HOUR;
    store.prune(now, { eventsMs: 24 * HOUR, samplesMs: 12 * HOUR, hoursMs: 36 * HOUR, daysMs: 100 * 24 * HOUR });
    const min = (t: string) => (store.db.prepare(`SELECT MIN(ts) AS m FROM ${t}`).get() as { m: number }).m;
    expect(min('events')).toBeGreaterThanOrEqual(now - 24 * HOUR);
    expect(min('samples')).toBe(now - 12 * HOUR);
    expect(min('hours')).toBe(now - 36 * HOUR);
    expect(store.db.pragma('wal_checkpoint(PASSIVE)')).toBeTruthy();
  });
});

describe('export and offline review', () => {
  const from = Date.UTC(2026, 10, 1);
  const range = { from: from + 2 * HOUR, to: from + 26 * HOUR };

  it.each(['json', 'sqlite'] as const)('round-trips a %s export: the opened view equals the source', async (format) => {
    const { dir, store } = filled('Europe/Berlin', from, 30);
    const out = join(dir, `x.${format}`);
    const r = await exportAnalytics(store, { range, format }, out, { site: 'Gym North', app: 'test', now: range.to });
    expect(r.events).toBeGreaterThan(1000);
    const { store: opened, metas } = loadExports([out], (db) => new AnalyticsStore(db, ':memory:', 'Europe/Berlin'));
    expect(metas[0]).toMatchObject({ site: 'Gym North', from: range.from, to: range.to, timezone: 'Europe/Berlin' });
    expect(opened.eventCounts(range.from, range.to)).toEqual(store.eventCounts(range.from, range.to));
    expect(opened.series(range.from, range.to)).toEqual(store.series(range.from, range.to));
    expect(opened.events({ ...range, limit: 50 }).map(({ id: _id, ...e }) => e)).toEqual(store.events({ ...range, limit: 50 }).map(({ id: _id, ...e }) => e));
  });

  it('merges several exports into a multi-site view: check-ins add up', async () => {
    const a = filled('UTC', from, 30, 1);
    const b = filled('UTC', from, 30, 2);
    await exportAnalytics(a.store, { range, format: 'sqlite' }, join(a.dir, 'a.sqlite'), { site: 'North', app: 't', now: range.to });
    await exportAnalytics(b.store, { range, format: 'json' }, join(b.dir, 'b.json'), { site: 'South', app: 't', now: range.to });
    const { store: merged, metas } = loadExports([join(a.dir, 'a.sqlite'), join(b.dir, 'b.json')], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
    expect(metas.map((m) => m.site)).toEqual(['North', 'South']);
    const total = (s: AnalyticsStore) => s.series(range.from, range.to).points.reduce((n, p) => n + p.allowed, 0);
    expect(total(merged)).toBe(total(a.store) + total(b.store));
    const ev = (s: AnalyticsStore) => Object.values(s.eventCounts(range.from, range.to)).reduce((x, y) => x + y, 0);
    expect(ev(merged)).toBe(ev(a.store) + ev(b.store));
  });

  it('the same export opened twice, or two exports of the same site and span, count once and say so', async () => {
    const a = filled('UTC', from, 30, 1);
    const b = filled('UTC', from, 30, 2);
    await exportAnalytics(a.store, { range, format: 'sqlite' }, join(a.dir, 'a.sqlite'), { site: 'North', app: 't', now: range.to });
    await exportAnalytics(a.store, { range, format: 'json' }, join(a.dir, 'a-again.json'), { site: 'North', app: 't', now: range.to });
    await exportAnalytics(b.store, { range, format: 'json' }, join(b.dir, 'b.json'), { site: 'South', app: 't', now: range.to });
    const open = (files: string[]) => loadExports(files, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
    const total = (s: AnalyticsStore) => s.series(range.from, range.to).points.reduce((n, p) => n + p.allowed, 0);
    const ev = (s: AnalyticsStore) => Object.values(s.eventCounts(range.from, range.to)).reduce((x, y) => x + y, 0);

    const twice = open([join(a.dir, 'a.sqlite'), join(a.dir, 'a.sqlite')]);
    expect(twice.skipped).toEqual([{ file: 'a.sqlite', sameAs: 'a.sqlite' }]);
    expect(twice.files).toEqual(['a.sqlite']);
    expect(total(twice.store)).toBe(total(a.store));
    expect(ev(twice.store)).toBe(ev(a.store));

    const sameSpan = open([join(a.dir, 'a.sqlite'), join(b.dir, 'b.json'), join(a.dir, 'a-again.json')]);
    expect(sameSpan.skipped).toEqual([{ file: 'a-again.json', sameAs: 'a.sqlite' }]);
    expect(sameSpan.metas.map((m) => m.site)).toEqual(['North', 'South']);
    expect(total(sameSpan.store)).toBe(total(a.store) + total(b.store));
    expect(sameSpan.metas[0]!.exportId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['csv', 'json', 'sqlite'] as const)('writes a %s export readable only by this user (0600)', async (format) => {
    const { dir, store } = filled('UTC', from, 3);
    const out = join(dir, `x.${format}`);
    await exportAnalytics(store, { range: { from, to: from + 3 * HOUR }, format }, out, { site: 'G', app: 't', now: from + 3 * HOUR });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'analytics.db')).mode & 0o777).toBe(0o600); // the store itself, too
  });

  it('writes CSV a spreadsheet opens: BOM, header, quoting, local time', async () => {
    const { dir, store } = filled('Europe/Berlin', from, 30);
    const out = join(dir, 'x.csv');
    await exportAnalytics(store, { range, format: 'csv', categories: ['error'] }, out, { site: 'G', app: 't', now: range.to });
    const lines = readFileSync(out, 'utf8').split('\r\n');
    // local_time says its zone: 01:33 in the file beside 12:33 AM on a screen is Berlin time, not this PC's (probe-walk16 #5).
    expect(lines[0]).toBe('\uFEFFtime_utc,local_time (Europe/Berlin),category,event,source,member,member_id,card,note,overridden_by,detail,site');
    const row = lines[1]!.match(/^([^,]+),([^,]+),Problem,t\d,s,,,,,,"detail \d+, ""quoted""",G$/);
    expect(row).not.toBeNull();
    const utc = new Date(row![1]!);
    expect(row![2]).toBe(new Date(utc.getTime() + 3_600_000).toISOString().slice(0, 19).replace('T', ' ')); // CET = UTC+1 in November
  });

  it('writes correct local times in CSV across a DST change', async () => {
    const zone = 'America/New_York';
    const start = Date.UTC(2026, 9, 31, 4);
    const { dir, store } = filled(zone, start, 48, 5);
    const out = join(dir, 'dst.csv');
    await exportAnalytics(store, { range: { from: start, to: start + 48 * HOUR }, format: 'csv' }, out, { site: 'G', app: 't', now: start });
    const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    const rows = readFileSync(out, 'utf8').split('\r\n').slice(1, -1);
    expect(rows.length).toBeGreaterThan(900);
    for (const r of rows) {
      const [utc, local] = r.split(',');
      expect(local).toBe(fmt.format(new Date(utc!)).replace(',', ''));
    }
  });

  it('refuses a corrupt or foreign file with a clear error', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'garbage.sqlite'), Buffer.from('this is not anything'));
    writeFileSync(join(dir, 'half.json'), '{"meta":{"magic":"av-gym-console-export"');
    writeFileSync(join(dir, 'other.json'), '{"hello":"world"}');
    const foreign = new Database(join(dir, 'foreign.sqlite'));
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    const open = (f: string) => () => loadExports([join(dir, f)], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
    expect(open('garbage.sqlite')).toThrow(/not an AV Gym Console export/);
    expect(open('half.json')).toThrow(/damaged JSON \(.*\), as a copy cut short leaves it: copy it again from the PC that made it/);
    expect(open('other.json')).toThrow(/it carries no export's mark \(it was not made with Export\)/);
    expect(open('foreign.sqlite')).toThrow(/not an AV Gym Console export/);
    expect(open('missing.json')).toThrow(/There is no file/);
  });

  // probe25 Q8: a zipped export, one saved again as UTF-16 and an empty copy were all "neither a SQLite nor a JSON export".
  it('says what a file that is neither kind is, where it can tell: a zip, UTF-16 JSON, an empty copy', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'z.zip'), Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100)]));
    const json = '{"meta":{"magic":"av-gym-console-export"}}';
    writeFileSync(join(dir, 'le.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    writeFileSync(join(dir, 'be.json'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()]));
    writeFileSync(join(dir, 'empty.sqlite'), '');
    const open = (f: string) => () => loadExports([join(dir, f)], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
    expect(open('z.zip')).toThrow(/it is a zip archive: unzip it, and open the \.sqlite or \.json export inside/);
    for (const f of ['le.json', 'be.json']) expect(open(f)).toThrow(/an editor saved it again as UTF-16/);
    expect(open('empty.sqlite')).toThrow(/it is empty \(0 bytes\): the copy did not finish/);
  });

  // probe25 Q7: a console's own analytics.db, copied from its data folder, was "no export marker", and with its -wal
  // beside it the advice was to move the -wal away, which would throw away its newest data.
  it("a console's own database chosen for review is said as that, with the way to an export, -wal beside it or not", () => {
    const dir = tmp();
    const own = mkdtempSync(join(dir, 'copied-'));
    const { store } = openAnalytics(own, 'UTC');
    store.insertEvents([{ ts: Date.now(), category: 'checkin', type: 'allowed', source: 'door', detail: 'x' }]);
    const open = (f: string) => () => loadExports([f], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
    const words = /is a console's own database \(from its data folder\), not an export\. On that gym's console use Export on the Analytics tab \(SQLite\), or on any PC run npm run export -- --data-dir FOLDER/;
    expect(open(join(own, 'analytics.db'))).toThrow(words); // open, its -wal beside it
    store.close();
    expect(open(join(own, 'analytics.db'))).toThrow(words);
    const console = openConsoleDb(mkdtempSync(join(dir, 'console-')));
    const file = console.name;
    console.close();
    // Its own words: it holds no analytics at all (review25 V10).
    expect(open(file)).toThrow(/is a console's own console\.db \(its PINs, settings and check-ins waiting to be sent\), not an export: it holds no analytics to review/);
  });

  it('sets a damaged main database aside, starts a fresh one, and says so', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'analytics.db'), Buffer.alloc(8192, 7));
    const { store, warning } = openAnalytics(dir, 'UTC');
    expect(warning).toMatch(/damaged.*set aside as .*analytics\.db\.damaged-\d+.*new, empty one/);
    expect(readdirSync(dir).some((f) => f.startsWith('analytics.db.damaged-'))).toBe(true);
    store.insertEvents([{ ts: 1, category: 'user', type: 'x', source: 'y', detail: 'z' }]);
    expect(store.events({ from: 0, to: 10, limit: 5 })).toHaveLength(1);
    const reopened = openDb(join(dir, 'analytics.db'), ANALYTICS_MIGRATIONS);
    expect(reopened.pragma('user_version', { simple: true })).toBe(ANALYTICS_MIGRATIONS.length);
  });
});
