import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { REVIEW_LIMITS, ReviewBudget } from '../../src/main/core/store/export-format';
import { METRICS, type Category } from '../../src/shared/analytics';
import { UserError } from '../../src/shared/result';

/** Export files are made on another PC: these are what a hostile or broken one can look like. */

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 1);
const RANGE = { from: FROM, to: FROM + 6 * HOUR };

function store(): { dir: string; store: AnalyticsStore } {
  const dir = mkdtempSync(join(tmpdir(), 'gym-hostile-export-'));
  const { store: s } = openAnalytics(dir, 'Europe/Berlin');
  const samples: Sample[] = [];
  for (let ts = FROM; ts < RANGE.to; ts += 10_000) samples.push({ ts, values: Object.fromEntries(METRICS.map((m) => [m, 1])) as Sample['values'], allowed: 1, denied: 0, up: { '': true } });
  s.addSamples(samples);
  const cats: Category[] = ['connection', 'checkin', 'user'];
  s.insertEvents(Array.from({ length: 300 }, (_, i) => ({ ts: FROM + i * 60_000, category: cats[i % 3]!, type: 't', source: 's', detail: `d ${i} "],{\\` })));
  return { dir, store: s };
}

async function exported(format: 'json' | 'sqlite', longDetails = 0): Promise<{ dir: string; file: string; store: AnalyticsStore }> {
  const s = store();
  s.store.insertEvents(Array.from({ length: longDetails }, (_, i) => ({ ts: FROM + i * 1000, category: 'error', type: 't', source: 's', detail: `[{"x": "y\\"}],`.repeat(60) })));
  const file = join(s.dir, `x.${format}`);
  await exportAnalytics(s.store, { range: RANGE, format }, file, { site: 'North', app: 't', now: RANGE.to });
  return { ...s, file };
}

const open = (...files: string[]) => loadExports(files, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
/** The refusal a user sees: a UserError (not an internal error) with a plain message. */
function refusal(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('the file was accepted');
}
const DAMAGED = /is not an AV Gym Console export, or it is damaged: /;

describe('SQLite exports: only plain tables are read, read-only and capped', () => {
  const rewrite = async (sql: string): Promise<string> => {
    const { file } = await exported('sqlite');
    const db = new Database(file);
    db.exec(sql);
    db.close();
    return file;
  };
  const BOUNDED_CTE = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3)`;

  it('refuses "events" or "meta" replaced by a view (it could compute rows without end)', async () => {
    const events = await rewrite(`DROP TABLE events; CREATE VIEW events AS ${BOUNDED_CTE} SELECT x AS id, x AS ts, 0 AS category, 'a' AS type, 'b' AS source, 'c' AS detail, NULL AS stack FROM c`);
    expect(refusal(() => open(events)).message).toMatch(/“events” is not a plain table/);
    const meta = await rewrite(`ALTER TABLE meta RENAME TO m2; CREATE VIEW meta AS SELECT * FROM m2`);
    expect(refusal(() => open(meta)).message).toMatch(/“meta” is not a plain table/);
  });

  it('refuses a schema far longer than an export\'s before SQLite parses it (thousands of indexes)', async () => {
    // The schema's length is what counts: indexes on an empty table, in one transaction, cost no scan and one sync.
    const manyIndexes = `BEGIN; CREATE TABLE pad (x); ${Array.from({ length: 3_000 }, (_, i) => `CREATE INDEX ix${i} ON pad(x);`).join('')} COMMIT;`;
    const { file } = await exported('sqlite');
    const db = new Database(file);
    db.exec(manyIndexes);
    db.close();
    expect(refusal(() => open(file)).message).toMatch(/its list of tables and indexes is far longer than an export's \(over 64 KB\)/);
    // The same at the smallest page size, where the schema's pages nest a level deeper.
    const small = await exported('sqlite');
    const s = new Database(small.file);
    s.pragma('page_size = 512');
    s.exec('VACUUM');
    s.exec(manyIndexes);
    s.close();
    expect(refusal(() => open(small.file)).message).toMatch(/far longer than an export's/);
    // An export as the console writes it opens: its schema is about 2 KB.
    expect(open((await exported('sqlite')).file).store).toBeDefined();
  });

  it('refuses one huge view whose text sits on overflow pages, before SQLite parses it into memory', async () => {
    // The schema's pages stay two or three: the view's 3 MB of text hangs off one cell (a 480 MB one took the console to 1.4 GB).
    const { file } = await exported('sqlite');
    const db = new Database(file);
    db.exec(`CREATE VIEW zz AS SELECT '${'x'.repeat(3 * 1024 * 1024)}' AS x`);
    db.close();
    expect(refusal(() => open(file)).message).toMatch(/its list of tables and indexes is far longer than an export's \(over 64 KB\)/);
  });

  it('refuses a list of tables whose pages point nowhere as damaged, in words', async () => {
    const { file } = await exported('sqlite');
    const bytes = readFileSync(file);
    bytes[100] = 0x05; // page 1 made an interior page with no cells, whose last child is page 0
    bytes.writeUInt16BE(0, 103);
    bytes.writeUInt32BE(0, 108);
    writeFileSync(file, bytes);
    expect(refusal(() => open(file)).message).toMatch(/its list of tables and indexes is damaged/);
  });

  it('refuses a file with a -wal beside it, whose pages SQLite would read in place of the file\'s own', async () => {
    const { file } = await exported('sqlite');
    writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1));
    expect(refusal(() => open(file)).message).toMatch(/x\.sqlite-wal lies beside it/);
  });

  it('refuses a virtual table, a generated column and a column default that would blow up on read', async () => {
    const fts = await rewrite(`DROP TABLE samples; CREATE VIRTUAL TABLE samples USING fts5(ts)`);
    expect(refusal(() => open(fts)).message).toMatch(/“samples” is not a plain table/);
    const generated = await rewrite(`DROP TABLE events; CREATE TABLE events (id INTEGER PRIMARY KEY, ts INTEGER, category INTEGER, type TEXT, source TEXT, stack TEXT, detail TEXT GENERATED ALWAYS AS (printf('%.*c', 100000000, 'x')))`);
    expect(refusal(() => open(generated)).message).toMatch(/“detail” column is not a plain column/);
    const dflt = await rewrite(`ALTER TABLE hours DROP COLUMN max_latencyMs; ALTER TABLE hours ADD COLUMN max_latencyMs REAL NOT NULL DEFAULT '${'9'.repeat(1000)}'`);
    expect(refusal(() => open(dflt)).message).toMatch(/“max_latencyMs” column is not a plain column/);
  });

  it('refuses text longer than any export writes, and rows of the wrong kind, saying where', async () => {
    const long = await rewrite(`UPDATE events SET detail = printf('%.*c', 70000, 'x') WHERE id = (SELECT MIN(id) FROM events)`);
    // probe25 Q12: it is text, only too long; it was said as "something other than text".
    expect(refusal(() => open(long)).message).toMatch(/row 1 of events has text longer than \d+ bytes in “detail”/);
    const blob = await rewrite(`UPDATE events SET detail = zeroblob(70000) WHERE id = (SELECT MIN(id) FROM events)`);
    expect(refusal(() => open(blob)).message).toMatch(/row 1 of events has something other than text in “detail”/);
    const cat = await rewrite(`UPDATE events SET category = 99`);
    expect(refusal(() => open(cat)).message).toMatch(/unknown category/);
  });

  it('opens the file read-only: nothing is written beside it or into it', async () => {
    const { dir, file } = await exported('sqlite');
    const before = readFileSync(file);
    open(file);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('x.sqlite'))).toEqual(['x.sqlite']);
  });

  it('an export in WAL mode (made by another tool) leaves no -wal or -shm beside it after it is read', async () => {
    const { dir, file } = await exported('sqlite');
    const w = new Database(file);
    w.pragma('journal_mode = WAL');
    w.close();
    open(file);
    expect(readdirSync(dir).filter((f) => f.startsWith('x.sqlite'))).toEqual(['x.sqlite']);
  });

  it('caps the rows a review takes, so no file can fill memory', () => {
    const budget = new ReviewBudget();
    for (let i = 0; i < REVIEW_LIMITS.rows.days; i++) budget.take('f', 'days', 10);
    const e = refusal(() => budget.take('f', 'days', 10));
    expect(e.message).toMatch(/f holds more than the console can open for review \(more than 10,000 rows of days\)/);
    expect(refusal(() => new ReviewBudget().take('f', 'events', REVIEW_LIMITS.bytes + 1)).code).toBe('export-too-big');
  });
});

// probe21 J14: a damaged file's refusal ended in SQLite's own phrase ("database disk image is malformed").
describe("a damaged SQLite export is refused in a manager's words", () => {
  it('pages overwritten in the middle of the file', async () => {
    const { file } = await exported('sqlite', 3_000);
    const bytes = readFileSync(file);
    const page = bytes.readUInt16BE(16) || 65_536;
    expect(bytes.length).toBeGreaterThan(6 * page);
    bytes.fill(0xab, 2 * page, bytes.length - page); // the first page (schema) and the last kept
    writeFileSync(file, bytes);
    const e = refusal(() => open(file));
    expect(e.message).toMatch(DAMAGED);
    expect(e.message).not.toMatch(/malformed|SQLITE_|disk image/i);
    expect(e.message).toContain('its contents do not read as a database');
    expect(e.message).toContain('copy it again from the PC that made it'); // probe25 Q12: the fix, not only the cause
  });
});

describe('JSON exports: read a row at a time, each row checked', () => {
  const withDoc = async (edit: (doc: Record<string, unknown>) => void): Promise<string> => {
    const { file } = await exported('json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(doc);
    writeFileSync(file, JSON.stringify(doc));
    return file;
  };

  // probe21 J14: 20 million entries under a key this console does not read: 23 s, then a review of nothing, no word.
  it('a file with only lists this console does not read is refused saying so; beside an export\'s lists they are passed over', async () => {
    const { file } = await exported('json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const later = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'later.json');
    writeFileSync(later, `{"meta":${JSON.stringify(doc.meta)},"visits":[${'{"n":1},'.repeat(300_000)}{"n":1}]}`);
    const e = refusal(() => open(later));
    expect(e.message).toMatch(DAMAGED);
    expect(e.message).toContain('it holds none of the lists an export has (events, samples, hours, days, event_hours, uptime), only “visits” (300,001 entries), which an export never has');
    // Millions of keys are counted, not kept (review22 L5).
    const keys = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'keys.json');
    writeFileSync(keys, `{"meta":${JSON.stringify(doc.meta)},${Array.from({ length: 200_000 }, (_, i) => `"k${i}":[]`).join(',')}}`);
    expect(refusal(() => open(keys)).message).toContain('only “k0” (0 entries), “k1” (0 entries), “k2” (0 entries) and 199,997 more, which an export never has');
    const beside = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'beside.json');
    writeFileSync(beside, JSON.stringify({ ...doc, visits: [{ n: 1 }] }));
    const { store: opened } = open(beside);
    expect(opened.eventCounts(RANGE.from, RANGE.to)).toEqual(open(file).store.eventCounts(RANGE.from, RANGE.to));
  });

  it('refuses a JSON file too large to review, pointing to the SQLite export', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'huge.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 1024 * 1024 * 1024 + 1); // sparse: takes no disk
    closeSync(fd);
    writeFileSync(file, '{', { flag: 'r+' });
    const e = refusal(() => open(file));
    expect(e.code).toBe('export-too-big');
    expect(e.message).toMatch(/export the range as SQLite instead/);
  });

  it('refuses rows of empty objects at the first one, without parsing the rest', async () => {
    const { file } = await exported('json');
    const meta = (JSON.parse(readFileSync(file, 'utf8')) as { meta: unknown }).meta;
    writeFileSync(file, `{"meta":${JSON.stringify(meta)},"events":[${'{},'.repeat(2_000_000)}{}]}`);
    const before = process.memoryUsage().heapUsed;
    expect(refusal(() => open(file)).message).toMatch(/row 1 of events has nothing in “ts”/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
  });

  it.each([
    ['events as an object', (d: Record<string, unknown>) => (d.events = { a: 1 }), /“events” is not a list/],
    // A text or number under a table's key opened as a gym with no events (probe21 J4).
    ['events as a text', (d: Record<string, unknown>) => (d.events = 'notalist'), /“events” is not a list/],
    ['samples as a number', (d: Record<string, unknown>) => (d.samples = 0), /“samples” is not a list/],
    ['uptime as null', (d: Record<string, unknown>) => (d.uptime = null), /“uptime” is not a list/],
    ['a null event', (d: Record<string, unknown>) => (d.events = [null]), /row 1 of events is not a row/],
    ['a null sample', (d: Record<string, unknown>) => (d.samples = [null]), /row 1 of samples is not a row/],
    ['a sample missing a column', (d: Record<string, unknown>) => delete (d.samples as Record<string, unknown>[])[2]!.cpuPct, /row 3 of samples has nothing in “cpuPct”/],
    ['an event with a text time', (d: Record<string, unknown>) => ((d.events as Record<string, unknown>[])[0]!.ts = 'x'), /row 1 of events has something other than a number in “ts”/],
    ['an unknown category', (d: Record<string, unknown>) => ((d.events as Record<string, unknown>[])[0]!.category = 'nope'), /unknown category/],
  ])('refuses %s with a plain message', async (_, edit, why) => {
    const file = await withDoc(edit);
    const r = refusal(() => open(file));
    expect(r.code).toBe('not-an-export');
    expect(r.message).toMatch(DAMAGED);
    expect(r.message).toMatch(why);
  });

  it('reads elements split across read chunks, with brackets, commas and quotes inside texts', async () => {
    const { store: source, file } = await exported('json', 2_000);
    expect(readFileSync(file).length).toBeGreaterThan(2 << 20);
    const { store: opened } = open(file);
    const details = (s: AnalyticsStore) => s.events({ ...RANGE, limit: 1000 }).map((e) => e.detail);
    expect(details(opened)).toEqual(details(source));
    expect(opened.eventCounts(RANGE.from, RANGE.to)).toEqual(source.eventCounts(RANGE.from, RANGE.to));
    expect(opened.series(RANGE.from, RANGE.to)).toEqual(source.series(RANGE.from, RANGE.to));
  });
});

// Opened, each repeat counted twice: check-ins 108 for 54, allowed and denied doubled, with no word (probe21 J3).
describe('a file giving one row twice is refused, naming the table and the row', () => {
  it('JSON: the events list given again under the same key, or a sample given twice', async () => {
    const { file } = await exported('json');
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as { events: unknown[]; samples: unknown[] };
    const events = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'events.json');
    writeFileSync(events, `${text.slice(0, -1)},"events":${JSON.stringify(doc.events)}}`);
    expect(refusal(() => open(events)).message).toMatch(new RegExp(`${DAMAGED.source}row ${doc.events.length + 1} of events repeats an event an earlier row already gave`));
    const samples = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'samples.json');
    writeFileSync(samples, JSON.stringify({ ...doc, samples: [...doc.samples, doc.samples[5]] }));
    expect(refusal(() => open(samples)).message).toMatch(new RegExp(`row ${doc.samples.length + 1} of samples repeats a sample an earlier row already gave`));
    // Two events at the same moment with their own ids are two events.
    const sameTime = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'same-time.json');
    writeFileSync(sameTime, JSON.stringify({ ...doc, events: [...doc.events, { ...(doc.events[0] as object), id: 1e9 }] }));
    expect(open(sameTime).store.eventCounts(RANGE.from, RANGE.to)).toBeDefined();
  });

  it('SQLite: an events or samples table made again without its key, every row twice', async () => {
    const twice = async (table: string): Promise<{ file: string; rows: number }> => {
      const { file } = await exported('sqlite');
      const db = new Database(file);
      const rows = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      db.exec(`CREATE TABLE t2 AS SELECT * FROM ${table}; DROP TABLE ${table}; CREATE TABLE ${table} AS SELECT * FROM t2 UNION ALL SELECT * FROM t2; DROP TABLE t2;`);
      db.close();
      return { file, rows };
    };
    const events = await twice('events');
    expect(refusal(() => open(events.file)).message).toMatch(new RegExp(`${DAMAGED.source}row ${events.rows + 1} of events repeats an event an earlier row already gave`));
    const samples = await twice('samples');
    expect(refusal(() => open(samples.file)).message).toMatch(new RegExp(`row ${samples.rows + 1} of samples repeats a sample an earlier row already gave`));
  });

  // review21 K8: the same doubling, one step further, with the events' ids taken out, opened with no word.
  it('events without their ids are refused, JSON or SQLite: every export gives each event one', async () => {
    const { file } = await exported('json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { events: Record<string, unknown>[] };
    const bare = doc.events.map(({ id: _, ...rest }) => rest);
    const json = join(mkdtempSync(join(tmpdir(), 'gym-hostile-export-')), 'no-ids.json');
    writeFileSync(json, JSON.stringify({ ...doc, events: [...bare, ...bare] }));
    expect(refusal(() => open(json)).message).toMatch(new RegExp(`${DAMAGED.source}row 1 of events has no “id”, which every export gives each event`));
    const noColumn = (await exported('sqlite')).file;
    let db = new Database(noColumn);
    db.exec('CREATE TABLE t2 AS SELECT ts, category, type, source, stack, detail FROM events; DROP TABLE events; CREATE TABLE events AS SELECT * FROM t2 UNION ALL SELECT * FROM t2; DROP TABLE t2;');
    db.close();
    expect(refusal(() => open(noColumn)).message).toMatch(new RegExp(`${DAMAGED.source}the “events” table has no “id” column, which every export writes`));
    const nullIds = (await exported('sqlite')).file;
    db = new Database(nullIds);
    db.exec('CREATE TABLE t2 AS SELECT * FROM events; DROP TABLE events; CREATE TABLE events AS SELECT * FROM t2; UPDATE events SET id = NULL; INSERT INTO events SELECT * FROM events; DROP TABLE t2;');
    db.close();
    expect(refusal(() => open(nullIds)).message).toMatch(new RegExp(`${DAMAGED.source}row 1 of events has something other than a whole number in “id”`));
  });
});

describe('export metadata is checked', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['an end that is not a number', { to: 'NaN' }, /“to”/],
    ['a range that ends before it starts', { from: RANGE.to, to: RANGE.from }, /ends before it starts/],
    ['an absurd range', { from: 0, to: 8.64e15 }, /“to”|longer than a year/],
    ['a version that is not a number', { version: 'abc' }, /“version”/],
    // probe25 Q12: refused in the settings form's words ("use a name like Europe/Berlin"), and zod's "Invalid input".
    ['an unknown time zone', { timezone: 'Not/AZone' }, /“timezone” names a time zone this PC does not know \(“Not\/AZone”\): open it on a PC whose system is up to date/],
    ['a version with letters in it', { version: '4.0abc' }, /its metadata field “version” is not what an export writes there/],
    ['a site name of a thousand letters', { site: 'x'.repeat(1000) }, /“site”/],
  ];

  it.each(bad)('refuses a JSON export with %s', async (_, patch, why) => {
    const { file } = await exported('json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { meta: Record<string, unknown> };
    Object.assign(doc.meta, patch);
    writeFileSync(file, JSON.stringify(doc));
    const e = refusal(() => open(file));
    expect(e.message).toMatch(DAMAGED);
    expect(e.message).toMatch(why);
  });

  it.each(bad)('refuses a SQLite export with %s', async (_, patch, why) => {
    const { file } = await exported('sqlite');
    const db = new Database(file);
    for (const [k, v] of Object.entries(patch)) db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(String(v), k);
    db.close();
    const e = refusal(() => open(file));
    expect(e.message).toMatch(DAMAGED);
    expect(e.message).toMatch(why);
  });
});

// probe25 Q11: one edited row (allowed −5,000, denied 1e15) opened without a word, and the review read
// "Check-ins falling: 11,904,761,907,769 → 2,642 an hour", every real bar flattened to nothing.
describe('rollups an export may hold', () => {
  // review29 V9: version 7's estimate of the samples that knew the latency may be 0 in a real file while its sum is not.
  it('a real row whose knowing samples were under-counted opens; no mean drawn past what one sample may say', async () => {
    const { file } = await exported('sqlite');
    const db = new Database(file);
    db.exec('UPDATE hours SET n_latencyMs = 0 WHERE rowid = (SELECT MIN(rowid) FROM hours)');
    // A hostile file: one sample of 360 knew the occupancy, and the sum is as big as all 360 may make.
    db.exec('UPDATE hours SET n_occupancy = 1, sum_occupancy = 1000000 * n WHERE rowid = (SELECT MAX(rowid) FROM hours)');
    db.close();
    const { store: opened } = open(file);
    const { points } = opened.series(RANGE.from - 3 * 86_400_000, RANGE.to + 3 * 86_400_000);
    expect(points.length).toBeGreaterThan(0);
    expect(Math.max(...points.map((p) => p.v.occupancy ?? 0))).toBeLessThanOrEqual(1_000_000);
    opened.close();
  });
});

describe('counts no gym has', () => {
  it.each([
    ['a negative check-in count', 'UPDATE hours SET allowed = -5000 WHERE rowid = (SELECT MIN(rowid) FROM hours)', /row 1 of hours has a count no gym has \(-5,000\) in “allowed”/],
    ['a count past any day', 'UPDATE hours SET denied = 1000000000000000 WHERE rowid = (SELECT MIN(rowid) FROM hours)', /row 1 of hours has a count no gym has \(1,000,000,000,000,000\) in “denied”/],
    ['a negative sample count', 'UPDATE days SET n = -1', /of days has a count no gym has \(-1\) in “n”/],
    // probe28b H4: an edited export drew a gym of a billion inside, or of −5 billion, and a latency of −1e9 ms.
    ['a billion inside', 'UPDATE samples SET occupancy = 1e9', /of samples has a figure no console writes \(1,000,000,000\) in “occupancy”/],
    ['a negative latency', 'UPDATE samples SET latencyMs = -1e9 WHERE latencyMs IS NOT NULL', /of samples has a figure no console writes \(-1,000,000,000\) in “latencyMs”/],
    ['a negative hourly sum', 'UPDATE hours SET sum_cpuPct = -50', /of hours has a figure no console writes \(-50\) in “sum_cpuPct”/],
    ['a latency peak no console writes', 'UPDATE days SET max_latencyMs = 1e300', /of days has a figure no console writes \(1e\+300|of days has a figure no console writes .* in “max_latencyMs”/],
    // review28 V10: within each column's bound, a rollup of one sample summing 8 billion inside drew 8 billion on any range of days.
    ['8 billion inside in an hour', 'UPDATE hours SET sum_occupancy = 8e9 WHERE rowid = (SELECT MIN(rowid) FROM hours)', /row 1 of hours has a total of “occupancy” that its [\d,]+ samples cannot make/],
    ['a rollup of no samples', 'UPDATE days SET n = 0', /row 1 of days is made of no samples/],
    ['more samples knowing the occupancy than taken', 'UPDATE hours SET n_occupancy = n + 1 WHERE rowid = (SELECT MIN(rowid) FROM hours)', /row 1 of hours counts more samples knowing “occupancy” than it has/],
  ])('%s is refused, naming the row and column', async (_, sql, why) => {
    const { file } = await exported('sqlite');
    const db = new Database(file);
    db.exec(sql);
    db.close();
    const e = refusal(() => open(file));
    expect(e.message).toMatch(DAMAGED);
    expect(e.message).toMatch(why);
  });
});
