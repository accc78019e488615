import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { EXPORT_TABLES, SQL_UPTIME_CLAMPED, checkRow, csvNotForReview, notAnExport, ownDatabaseNotForReview, parseMeta, sqlRowBytes, sqlRowOk, tooBig, type Column, type ExportMeta, type ExportTable, type ReviewBudget, REVIEW_LIMITS } from './export-format';
import { jsonEntries } from './json-export-stream';
import { UserError } from '../../../shared/result';
import { backendId } from '../../../shared/backend-text';
import { CSV_HEADER } from './csv-words';

/** A row as EXPORT_TABLES lists its columns, checked. */
export type RowSink = (table: ExportTable, cols: Column[], values: (string | number | null)[]) => void;

/**
 * Where a review is built: `db` is a connection whose main database is an empty read-only one, so
 * every file attached to it opens read-only too; the review's tables are in its temp schema, the
 * only one it can write. `row` inserts one checked row; `copy` runs `INSERT INTO temp.<table>
 * (names) <select>` (merging rollups) and returns how many rows it took.
 */
export interface ReviewSink {
  db: Database.Database;
  row: RowSink;
  copy(table: ExportTable, names: string[], select: string, limit: number): number;
}

/** Larger than any JSON export worth reviewing: past this, the SQLite export is the one to use. */
export const MAX_JSON_BYTES = 1024 * 1024 * 1024;
/** One event with a long detail and stack, escaped, fits easily. */
const MAX_JSON_PIECE = 512 * 1024;
const MAX_META_ROWS = 64;
/** The schema name a SQLite export is attached under while it is read. */
const SRC = 'export_src';

/**
 * Reads one export file (SQLite or JSON) into `sink` once `accept` has taken its metadata, in one
 * transaction. Returns the metadata, or null when `accept` left it out. Anything unexpected is
 * refused with a message naming the file.
 */
export function readExport(path: string, budget: ReviewBudget, accept: (m: ExportMeta) => boolean, sink: ReviewSink): ExportMeta | null {
  const head = readHead(path);
  if (head.toString('latin1', 0, 16) === 'SQLite format 3\0') {
    refuseUnsafeSchema(path);
    return leavingNothingBeside(path, () => readSqlite(path, budget, accept, sink));
  }
  if (looksLikeJson(head)) return sink.db.transaction(() => readJson(path, budget, accept, sink.row))();
  // The console's own spreadsheet export: not damaged, just not one a review can read.
  if (isOurCsv(head)) throw csvNotForReview(path);
  throw notAnExport(path, otherFileWords(head));
}

/** The names of a console's own databases in its data folder. */
const OWN_DATABASES = new Set(['analytics.db', 'console.db']);

/**
 * SQLite parses a file's whole list of tables when it opens it, into the console's own memory: one far longer than an
 * export's is refused before. A -wal file beside it would give SQLite pages this check did not read; an export is one file.
 */
function refuseUnsafeSchema(path: string): void {
  const unsafe = schemaUnsafe(path);
  if (unsafe === 'long') throw notAnExport(path, `its list of tables and indexes is far longer than an export's (over ${MAX_SCHEMA_BYTES / 1024} KB)`);
  if (unsafe === 'damaged') throw notAnExport(path, 'its list of tables and indexes is damaged');
  if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0 && OWN_DATABASES.has(basename(path))) throw ownDatabaseNotForReview(path, basename(path) === 'console.db' ? 'console' : 'analytics');
  // Never "move the -wal away": for a copy of a console's own database that throws away its newest data (review25 V10).
  if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) throw notAnExport(path, `a file ${basename(path)}-wal lies beside it, so a program still has it open or did not close it properly (an export is one file on its own, made with Export); close that program and open it again`);
}

/**
 * SQLite makes -wal and -shm files beside a WAL-mode file it reads: those it made are removed after, so
 * opening an export leaves nothing in the uploads folder or beside a file picked on the desktop.
 */
function leavingNothingBeside<T>(path: string, read: () => T): T {
  const made = ['-wal', '-shm'].map((ext) => path + ext).filter((f) => !existsSync(f));
  try {
    return read();
  } finally {
    for (const f of made) rmSync(f, { force: true });
  }
}

/**
 * The CSV's first columns, as the console writes them (a spreadsheet that saved it again may drop the BOM or the later columns);
 * `local_time` with its zone, "local_time (Europe/Berlin)", as exports write it now, or without, as older ones did.
 */
const [T0, T1, ...rest] = CSV_HEADER.split(',').slice(0, 4);
const CSV_START = new RegExp(`^${T0},${T1}(?: \\([^,]{1,80}\\))?,${rest.join(',')}`);

function isOurCsv(head: Buffer): boolean {
  return CSV_START.test(head.toString('utf8').replace(/^\uFEFF/, '').replaceAll('"', ''));
}

/**
 * What a file that is neither kind is, where it can be told: a zip (exports are e-mailed zipped), JSON an editor
 * saved again as UTF-16 (older Notepad's "Unicode"), an empty file (a copy that never finished) (probe25 Q8).
 */
function otherFileWords(head: Buffer): string {
  if (head.length === 0) return 'it is empty (0 bytes): the copy did not finish; copy it again from the PC that made it';
  if (head.toString('latin1', 0, 4) === 'PK\x03\x04') return 'it is a zip archive: unzip it, and open the .sqlite or .json export inside';
  const bom = head.toString('latin1', 0, 2);
  if (bom === '\xff\xfe' || bom === '\xfe\xff') {
    const body = head.subarray(2, head.length - (head.length % 2)); // whole UTF-16 units only
    const text = (bom === '\xff\xfe' ? body : Buffer.from(body).swap16()).toString('utf16le');
    if (text.trimStart().startsWith('{')) return 'an editor saved it again as UTF-16 ("Unicode"); open the export as it was made, or save it again as UTF-8';
  }
  return 'it is neither a SQLite nor a JSON export';
}

/** A brace first, after any spaces and the BOM an editor adds on saving it again (Windows Notepad does). */
function looksLikeJson(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('{');
}

/** Enough of the file's start to tell its kind: the SQLite header, a JSON brace, or the CSV's header line. */
function readHead(path: string): Buffer {
  if (!existsSync(path)) throw new UserError('no-file', `There is no file at ${path}.`);
  const fd = openSync(path, 'r');
  try {
    // Room for a CSV's first four column names, the zone's included (see isOurCsv), each quoted by a spreadsheet.
    const head = Buffer.alloc(160);
    return head.subarray(0, readSync(fd, head, 0, 160, 0));
  } finally {
    closeSync(fd);
  }
}

/** An export's schema is about 2 KB; SQLite parses all of it on ATTACH, so a huge one must be refused before (20,000 indexes: 4 s; one view of 480 MB: 1.4 GB of memory). */
export const MAX_SCHEMA_BYTES = 64 * 1024;
/** Pages of the schema read at most: an export's fits on one, so more is far longer than an export's too. */
const MAX_SCHEMA_PAGES = 64;

/**
 * Why a SQLite file's schema (the b-tree rooted at page 1) cannot be parsed safely, read from the file's own pages
 * before SQLite reads any of it: 'long' when its rows hold more than MAX_SCHEMA_BYTES, each row's whole length as
 * its cell header says (what SQLite would load, overflow pages included), with a whole page for each interior page;
 * 'damaged' when its pages are not a table b-tree; null when it is small. At most MAX_SCHEMA_PAGES pages are read.
 */
function schemaUnsafe(path: string): 'long' | 'damaged' | null {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(100);
    if (readSync(fd, head, 0, 100, 0) < 100) return null; // too short to be read at all: SQLite says so
    const raw = head.readUInt16BE(16);
    const pageSize = raw === 1 ? 65_536 : raw;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return null; // not a page size: SQLite refuses the file itself
    const page = Buffer.alloc(pageSize);
    const todo = [1];
    let bytes = 0;
    for (let pages = 0; todo.length > 0; pages++) {
      if (pages >= MAX_SCHEMA_PAGES) return 'long';
      const n = todo.pop()!;
      if (n < 1) return 'damaged'; // no page 0: SQLite says so too
      page.fill(0);
      readSync(fd, page, 0, pageSize, (n - 1) * pageSize);
      const at = n === 1 ? 100 : 0; // page 1 starts with the file's header
      const type = page[at];
      const interior = type === 0x05;
      if (!interior && type !== 0x0d) return 'damaged';
      const cells = page.readUInt16BE(at + 3);
      const pointers = at + (interior ? 12 : 8);
      if (pointers + 2 * cells > pageSize) return 'damaged';
      if (interior) {
        bytes += pageSize;
        todo.push(page.readUInt32BE(at + 8)); // the right-most child
      }
      for (let i = 0; i < cells; i++) {
        const cell = page.readUInt16BE(pointers + 2 * i);
        if (cell < pointers + 2 * cells || cell + (interior ? 5 : 1) > pageSize) return 'damaged';
        if (interior) todo.push(page.readUInt32BE(cell));
        else bytes += varint(page, cell);
      }
      if (bytes > MAX_SCHEMA_BYTES) return 'long';
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** SQLite's variable-length integer at `at` (a cell's payload length), as a number; past the page's end reads as huge. */
function varint(page: Buffer, at: number): number {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    if (at + i >= page.length) return Number.MAX_SAFE_INTEGER;
    const b = page[at + i]!;
    if (i === 8) return v * 256 + b;
    v = v * 128 + (b & 0x7f);
    if (b < 0x80) return v;
  }
  return v;
}

/** Exports name the same columns whichever the format; a missing one reads as undefined. */
function readJson(path: string, budget: ReviewBudget, accept: (m: ExportMeta) => boolean, onRow: RowSink): ExportMeta | null {
  if (statSync(path).size > MAX_JSON_BYTES) throw tooBig(path, `a JSON file over ${MAX_JSON_BYTES / 1024 / 1024} MB; export the range as SQLite instead, which opens faster and larger`);
  const tables = new Map(EXPORT_TABLES.map((t) => [t.name as string, t]));
  const seen = new Map<string, number>();
  const repeats = new RepeatedRows(path);
  /** Lists under keys this console does not read (a later console's), and how long: said if nothing else is there. */
  const skipped = { named: new Map<string, number>(), more: 0 };
  const ours = new Set<string>();
  let meta: ExportMeta | null = null;
  try {
    const skip = (key: string): boolean => {
      if (!tables.has(key)) return true; // a key a later console may add: not ours to read
      ours.add(key);
      return false;
    };
    // Three named, the rest counted: a file of millions of keys must not fill the reader's memory (review22 L5).
    const passed = (key: string, n: number): void => {
      const had = skipped.named.get(key);
      if (had !== undefined || skipped.named.size < 3) skipped.named.set(key, (had ?? 0) + n);
      else skipped.more++;
    };
    for (const e of jsonEntries(path, MAX_JSON_PIECE, skip, passed)) {
      if (e.key === 'meta' && !e.item) {
        if (meta) throw notAnExport(path, 'it has two metadata entries');
        meta = parseMeta(e.value, path);
        if (!accept(meta)) return null;
        continue;
      }
      const t = tables.get(e.key);
      if (!t) continue; // a key a later console may add: not ours to read
      if (!e.item) throw notAnExport(path, `“${e.key}” is not a list`);
      if (!meta) throw notAnExport(path, 'its metadata does not come first');
      const i = seen.get(t.name) ?? 0;
      seen.set(t.name, i + 1);
      const row = e.value;
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw notAnExport(path, `row ${i + 1} of ${t.name} is not a row`);
      const { values, bytes } = checkRow(path, t.name, i, t.cols, (c) => (row as Record<string, unknown>)[c.name]);
      repeats.take(t.name, i, t.name === 'events' ? eventId(path, i, row) : [values[0]!, ROW_KEYS[t.name].length > 1 ? values[1]! : 0]);
      budget.take(path, t.name, bytes);
      onRow(t.name, t.cols, values);
    }
  } catch (e) {
    if (e instanceof Error && !('code' in e)) throw notAnExport(path, `damaged JSON (${e.message}), as a copy cut short leaves it: copy it again from the PC that made it`);
    throw e;
  } finally {
    repeats.close();
  }
  if (!meta) throw notAnExport(path, "it carries no export's mark (it was not made with Export)");
  if (ours.size === 0 && skipped.named.size > 0) throw notAnExport(path, onlyUnknownLists(skipped.named, skipped.more));
  return meta;
}

/** A file whose every list is one this console does not read: it would open as a review of nothing, with no word why. */
function onlyUnknownLists(named: Map<string, number>, more: number): string {
  const lists = [...named].map(([key, n]) => `“${backendId(key.slice(0, 40))}${key.length > 40 ? '…' : ''}” (${n.toLocaleString('en-US')} ${n === 1 ? 'entry' : 'entries'})`);
  // A newer export's version is refused before this: a file that gets here was not made by any console's Export.
  return `it holds none of the lists an export has (${EXPORT_TABLES.map((t) => t.name).join(', ')}), only ${lists.join(', ')}${more ? ` and ${more.toLocaleString('en-US')} more` : ''}, which an export never has`;
}

/**
 * What makes a row of each table one of a kind: an event's id (its number in the console that exported it), a sample's
 * or rollup's time, an uptime hour's instance too. Exports write each once; an edited or broken file can repeat one.
 */
const ROW_KEYS: Record<ExportTable, string[]> = { events: ['id'], samples: ['ts'], hours: ['ts'], days: ['day'], event_hours: ['hour', 'category'], uptime: ['hour', 'target'] };
const REPEATED: Record<ExportTable, string> = { events: 'an event', samples: 'a sample', hours: 'an hour', days: 'a day', event_hours: 'an hour', uptime: 'an hour' };

/**
 * A row repeating one an earlier row of the same file gave is refused: merged, the two would count twice (an event's
 * check-in, a sample's allowed and denied, an hour's outage). One file is one gym; only different gyms add up.
 */
const repeated = (path: string, table: ExportTable, index: number): UserError => notAnExport(path, `row ${index + 1} of ${table} repeats ${REPEATED[table]} an earlier row already gave`);

/**
 * A JSON event's id, as a key. Every export has written one; an event without it is refused, or an edited file could
 * double its check-ins by removing their ids (review21 K8).
 */
function eventId(path: string, index: number, row: object): [number, number] {
  const id = (row as Record<string, unknown>).id;
  if (id === undefined || id === null) throw notAnExport(path, `row ${index + 1} of events has no “id”, which every export gives each event`);
  if (!Number.isSafeInteger(id)) throw notAnExport(path, `row ${index + 1} of events has something other than a whole number in “id”`);
  return [id as number, 0];
}

/**
 * The keys of one JSON file's rows seen so far, to refuse a repeat (see ROW_KEYS). They are kept in a database in memory
 * of their own, not JavaScript's (5 million events' ids would not fit the review's worker), a few bytes for each row
 * the review holds anyway, and let go once the file is read.
 */
class RepeatedRows {
  private readonly db = new Database(':memory:');
  private readonly put = new Map<ExportTable, Database.Statement>();
  constructor(private readonly path: string) {}

  take(table: ExportTable, index: number, key: [string | number, string | number] | null): void {
    if (!key) return;
    let put = this.put.get(table);
    if (!put) {
      this.db.exec(`CREATE TABLE "${table}" (a, b, PRIMARY KEY (a, b)) WITHOUT ROWID`);
      put = this.db.prepare(`INSERT OR IGNORE INTO "${table}" (a, b) VALUES (?, ?)`);
      this.put.set(table, put);
    }
    // A long address is kept as its digest: at most a million uptime rows are read.
    const [a, b] = key;
    const short = typeof b === 'string' && b.length > 64 ? createHash('sha256').update(b).digest('base64') : b;
    if (put.run(a, short).changes === 0) throw repeated(this.path, table, index);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * A SQLite export, attached read-only to the review's connection (trusted_schema off there). Before
 * anything is read, every table used must be a plain table with plain columns: a view or virtual
 * table could compute rows without end, and a generated column or long default could make a small
 * file read as a huge one. Triggers do not fire on reads, and a scan of a plain table (NOT INDEXED:
 * not an index the file may have made up) reads no more rows than the file holds.
 *
 * Each table is then checked and copied in SQL (see copyTable); only a file with a row that fails
 * the SQL checks is read row by row in JavaScript, to say which row is wrong.
 */
function readSqlite(path: string, budget: ReviewBudget, accept: (m: ExportMeta) => boolean, sink: ReviewSink): ExportMeta | null {
  const { db } = sink;
  const unreadable = (e: unknown): unknown => (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('SQLITE') ? notAnExport(path, sqliteWords(e.code, e.message)) : e);
  try {
    db.prepare(`ATTACH DATABASE ? AS ${SRC}`).run(path);
  } catch (e) {
    throw unreadable(e);
  }
  try {
    // One read transaction: the file cannot change between the checks and the copy.
    return db.transaction(() => {
      // A console's own database (analytics.db, console.db) has its layout record, and no export's mark: not an export, nor damaged.
      const has = (table: string): boolean => db.prepare(`SELECT 1 FROM ${SRC}.sqlite_master WHERE name = ?`).get(table) !== undefined;
      if (!has('meta') && has('schema_migrations')) throw ownDatabaseNotForReview(path, has('outbox') ? 'console' : 'analytics');
      const raw = guarded(db, path, 'meta', [
        { name: 'key', kind: 'text', max: 64 },
        { name: 'value', kind: 'text', max: 1_000 },
      ]);
      const pairs = raw ? raw(MAX_META_ROWS + 1) : [];
      const meta: Record<string, unknown> = {};
      let n = 0;
      for (const [k, v] of pairs) {
        if (++n > MAX_META_ROWS) throw notAnExport(path, 'its metadata has too many entries');
        if (typeof k !== 'string' || typeof v !== 'string') throw notAnExport(path, 'its metadata is not text of a sensible length');
        meta[k] = v;
      }
      if (meta.magic === undefined && has('schema_migrations')) throw ownDatabaseNotForReview(path);
      const m = parseMeta(meta, path);
      if (!accept(m)) return null;
      for (const t of EXPORT_TABLES) {
        const read = guarded(db, path, t.name, t.cols);
        if (read) refuseRepeats(db, path, t.name, t.cols);
        if (read) copyTable(db, path, t, read, budget, sink);
      }
      return m;
    })();
  } catch (e) {
    throw unreadable(e);
  } finally {
    db.exec(`DETACH DATABASE ${SRC}`);
  }
}

/** What SQLite's refusal of a file means for the manager who chose it; its own phrase ("disk image is malformed") says nothing to them. */
function sqliteWords(code: string, message: string): string {
  // The fix said, not only the cause (probe25 Q12): a manager can copy it again, not mend it.
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return 'its contents do not read as a database (a copy cut short, or changed by another program): copy it again from the PC that made it';
  if (code.startsWith('SQLITE_IOERR')) return 'reading it failed part way (the disk, USB stick or network folder it is on)';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'it could not be opened (moved, renamed, or not readable by this Windows or Linux user)';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'another program is writing to it; close that program, or open a copy';
  if (code.startsWith('SQLITE_FULL')) return "this PC's disk filled up while it was read";
  if (code.startsWith('SQLITE_NOMEM')) return 'this PC ran out of memory while it was read';
  // One not named above: SQLite's own words are all there is to go on, for IT.
  return `it could not be read (${code}: ${message.slice(0, 200)})`;
}

/**
 * The file's table giving one row's key twice (see ROW_KEYS): refused, as for JSON. A table keyed by it, as an export
 * makes it, cannot; one made again without its key is sorted by it in SQLite, the key columns alone. Events without
 * an id column are refused: every export writes one.
 */
function refuseRepeats(db: Database.Database, path: string, table: ExportTable, cols: Column[]): void {
  const keys = ROW_KEYS[table];
  const present = columnsOf(db, table);
  const id = present.get('id');
  // The id is no column read (guarded checked the others): one computed, or given a default, is not an export's.
  if (table === 'events' && id && (id.hidden !== 0 || id.dflt_value !== null)) throw notAnExport(path, 'the “events” table\'s “id” column is not a plain column');
  if (table === 'events' && !id) throw notAnExport(path, 'the “events” table has no “id” column, which every export writes');
  // A plain scan first: numbering every row to name the bad one cost 7 times as much on a sound file (review22 L6).
  const anyBadId = (): boolean =>
    db.prepare(`SELECT 1 FROM (SELECT id FROM ${SRC}."events" NOT INDEXED LIMIT ?) WHERE typeof(id) != 'integer' LIMIT 1`).pluck().get(REVIEW_LIMITS.rows.events + 1) !== undefined;
  if (table === 'events' && anyBadId()) {
    const bad = db
      .prepare(`SELECT min(n) FROM (SELECT row_number() OVER () AS n, id FROM ${SRC}."events" NOT INDEXED LIMIT ?) WHERE typeof(id) != 'integer'`)
      .pluck()
      .get(REVIEW_LIMITS.rows.events + 1) as number | null;
    if (bad !== null) throw notAnExport(path, `row ${bad} of events has something other than a whole number in “id”`);
  }
  if (!keys.every((k) => present.has(k))) return;
  const pk = (db.prepare('SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk').pluck().all(table, SRC) as string[]).join();
  if (pk === keys.join()) return;
  // A key longer than any export writes is left out here: the copy refuses its row.
  const max = (k: string): number => cols.find((c) => c.name === k)?.max ?? 24;
  const list = keys.map((k) => `CASE WHEN octet_length("${k}") > ${max(k)} THEN NULL ELSE "${k}" END AS "${k}"`).join(', ');
  const n = db
    .prepare(
      `WITH r AS (SELECT row_number() OVER () AS n, ${list} FROM ${SRC}."${table}" NOT INDEXED LIMIT ?)
       SELECT min(n) FROM (SELECT n, row_number() OVER (PARTITION BY ${keys.map((k) => `"${k}"`).join(', ')} ORDER BY n) AS k FROM r WHERE ${keys.map((k) => `"${k}" IS NOT NULL`).join(' AND ')}) WHERE k > 1`,
    )
    .pluck()
    .get(REVIEW_LIMITS.rows[table] + 1) as number | null;
  if (n !== null) throw repeated(path, table, n - 1);
}

/** A copy that met a row the SQL checks refuse: rolled back, and the table read the slow way. */
const PARTIAL = new Error('partial copy');

/**
 * One table of an attached export, checked and copied in SQL. The rows within the cap are counted
 * and sized (octet_length, which SQLite answers without loading a value) and the budget checked;
 * then `INSERT … SELECT … WHERE <checks> LIMIT <cap>` copies them. A copy that took fewer rows than
 * there are met a bad row: it is rolled back, the first row the SQL checks refuse is found and
 * checked in JavaScript for the message (rows before it all pass, so none comes earlier). If
 * JavaScript takes that row after all (a whole REAL, say), the table is read row by row as before.
 * Refusals are the same, in the same order, as reading row by row.
 */
function copyTable(db: Database.Database, path: string, t: (typeof EXPORT_TABLES)[number], read: Reader, budget: ReviewBudget, sink: ReviewSink): void {
  const present = new Set(columnsOf(db, t.name).keys());
  const ok = sqlRowOk(t.cols, present, t.name);
  const from = `FROM ${SRC}."${t.name}" NOT INDEXED`;
  const left = budget.left(t.name);
  const sized = db.prepare(`SELECT count(*), total(b) FROM (SELECT ${sqlRowBytes(t.cols, present)} AS b ${from} LIMIT ?)`).raw();
  // The first row (1-based) the SQL checks refuse among the first `limit`, if any.
  const firstBad = (limit: number): number | undefined =>
    db.prepare(`SELECT n FROM (SELECT row_number() OVER () AS n, ok FROM (SELECT ${ok} AS ok ${from} LIMIT ?)) WHERE ok IS NOT 1 LIMIT 1`).pluck().get(limit) as number | undefined;
  const [rows, bytes] = sized.get(left + 1) as [number, number];
  let bad: number | undefined;
  if (rows > left) {
    // Reading row by row would stop at the first bad row, or else at the bytes or rows cap.
    bad = firstBad(left + 1);
    if (bad === undefined) {
      const [, within] = sized.get(left) as [number, number];
      budget.check(path, t.name, left, within);
      budget.check(path, t.name, left + 1, within);
    }
  } else {
    try {
      budget.check(path, t.name, rows, bytes);
    } catch (e) {
      bad = firstBad(rows);
      if (bad === undefined) throw e;
    }
  }
  if (bad === undefined) {
    const cols = t.cols.filter((c) => present.has(c.name) || c.absent !== undefined);
    const clamped = t.name === 'uptime' ? SQL_UPTIME_CLAMPED : {};
    const values = cols.map((c) => clamped[c.name] ?? (present.has(c.name) ? `"${c.name}"` : String(c.absent)));
    try {
      db.transaction(() => {
        if (sink.copy(t.name, cols.map((c) => c.name), `SELECT ${values.join(', ')} ${from} WHERE ${ok}`, left) !== rows) throw PARTIAL;
      })();
      budget.takeMany(path, t.name, rows, bytes);
      return;
    } catch (e) {
      if (e !== PARTIAL) throw e;
    }
    bad = firstBad(rows);
  }
  if (bad !== undefined) {
    const [, before] = sized.get(bad - 1) as [number, number];
    budget.check(path, t.name, bad - 1, before);
    const at = new Map(t.cols.filter((c) => present.has(c.name)).map((c, k) => [c, k]));
    for (const row of read(1, bad - 1)) checkRow(path, t.name, bad - 1, t.cols, (c) => (at.has(c) ? row[at.get(c)!] : undefined));
  }
  readRows(path, t, present, budget, sink.row);
}

/**
 * Every row of a table through checkRow, the budget and `onRow`: exact, and slow. Read through a
 * read-only connection of its own (one connection cannot read and write at once), checked again;
 * the review's read transaction on the file keeps it as it was checked.
 */
function readRows(path: string, t: (typeof EXPORT_TABLES)[number], present: Set<string>, budget: ReviewBudget, onRow: RowSink): void {
  const own = new Database(path, { readonly: true, fileMustExist: true });
  try {
    own.pragma('trusted_schema = OFF');
    own.pragma('cell_size_check = ON');
    const read = guarded(own, path, t.name, t.cols, 'main');
    if (!read) throw notAnExport(path, `its “${t.name}” table changed while it was read`);
    // Where each column sits in a row read (the statement leaves out columns the file lacks).
    const at = new Map(t.cols.filter((c) => present.has(c.name)).map((c, k) => [c, k]));
    let i = 0;
    for (const row of read(REVIEW_LIMITS.rows[t.name] + 1)) {
      const { values, bytes } = checkRow(path, t.name, i++, t.cols, (c) => (at.has(c) ? row[at.get(c)!] : undefined));
      budget.take(path, t.name, bytes);
      onRow(t.name, t.cols, values);
    }
  } finally {
    own.close();
  }
}

const columnsOf = (db: Database.Database, table: string, schema = SRC): Map<string, { hidden: number; dflt_value: string | null }> =>
  new Map((db.prepare('SELECT name, hidden, dflt_value FROM pragma_table_xinfo(?, ?)').all(table, schema) as { name: string; hidden: number; dflt_value: string | null }[]).map((c) => [c.name, c]));

/** Reads rows of a table's columns that the file has, from `offset`, at most `limit`. */
type Reader = (limit: number, offset?: number) => Iterable<unknown[]>;

/**
 * The statement that reads `cols` of `table` (LIMIT bound at run), after checking the table is plain;
 * null for a table older exports lack. A value longer than its column's limit reads as a blob, which
 * no column accepts.
 */
function guarded(db: Database.Database, path: string, table: string, cols: Column[], schema = SRC): Reader | null {
  const def = db.prepare(`SELECT type, rootpage, sql FROM ${schema}.sqlite_master WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')`).all(table) as { type: string; rootpage: number; sql: string | null }[];
  const since = EXPORT_TABLES.find((t) => t.name === table)?.since ?? 1;
  if (!def.length && since > 1) return null;
  if (def.length !== 1) throw notAnExport(path, `it has no “${table}” table`);
  const { type, rootpage, sql } = def[0]!;
  // Views and virtual tables have no pages of their own (rootpage 0): their rows are computed.
  if (type !== 'table' || !(rootpage > 0) || !/^CREATE TABLE\b/i.test(sql ?? '')) throw notAnExport(path, `“${table}” is not a plain table`);
  const present = columnsOf(db, table, schema);
  for (const c of cols) {
    const col = present.get(c.name);
    if (!col) {
      if (c.absent !== undefined) continue;
      throw notAnExport(path, `the “${table}” table has no “${c.name}” column`);
    }
    // Generated columns are computed on read; a default fills every row that lacks the column.
    if (col.hidden !== 0 || (col.dflt_value !== null && !/^-?\d{1,20}(\.\d{1,20})?$/.test(col.dflt_value))) throw notAnExport(path, `the “${table}” table's “${c.name}” column is not a plain column`);
  }
  const read = cols.filter((c) => present.has(c.name));
  // A value past its column's longest is never read whole: an empty blob stands for text too long (TOO_LONG_TEXT), another for the rest.
  const stmt = db.prepare(`SELECT ${read.map((c) => `CASE WHEN octet_length("${c.name}") > ? THEN (CASE typeof("${c.name}") WHEN 'text' THEN x'' ELSE x'00' END) ELSE "${c.name}" END`).join(', ')} FROM ${schema}."${table}" NOT INDEXED LIMIT ? OFFSET ?`).raw();
  return (limit, offset = 0) => stmt.iterate(...read.map((c) => c.max), limit, offset) as Iterable<unknown[]>;
}
