import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EXPORT_TABLES, checkRow, notAnExport, parseMeta, tooBig, type Column, type ExportMeta, type ExportTable, type ReviewBudget, REVIEW_LIMITS } from './export-format';
import { jsonEntries } from './json-export-stream';
import { UserError } from '../../../shared/result';

/** A row as EXPORT_TABLES lists its columns, checked. */
export type RowSink = (table: ExportTable, cols: Column[], values: (string | number | null)[]) => void;

/** Larger than any JSON export worth reviewing: past this, the SQLite export is the one to use. */
export const MAX_JSON_BYTES = 1024 * 1024 * 1024;
/** One event with a long detail and stack, escaped, fits easily. */
const MAX_JSON_PIECE = 512 * 1024;
const MAX_META_ROWS = 64;

/**
 * Reads one export file (SQLite or JSON), handing each checked row to `onRow` once `accept` has
 * taken its metadata. Returns the metadata, or null when `accept` left it out. Anything unexpected
 * is refused with a message naming the file.
 */
export function readExport(path: string, budget: ReviewBudget, accept: (m: ExportMeta) => boolean, onRow: RowSink): ExportMeta | null {
  const head = readHead(path);
  if (head.toString('latin1', 0, 16) === 'SQLite format 3\0') return readSqlite(path, budget, accept, onRow);
  if (head[0] === 0x7b) return readJson(path, budget, accept, onRow);
  throw notAnExport(path, 'it is neither a SQLite nor a JSON export');
}

function readHead(path: string): Buffer {
  if (!existsSync(path)) throw new UserError('no-file', `There is no file at ${path}.`);
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    return head;
  } finally {
    closeSync(fd);
  }
}

/** Exports name the same columns whichever the format; a missing one reads as undefined. */
function readJson(path: string, budget: ReviewBudget, accept: (m: ExportMeta) => boolean, onRow: RowSink): ExportMeta | null {
  if (statSync(path).size > MAX_JSON_BYTES) throw tooBig(path, `a JSON file over ${MAX_JSON_BYTES / 1024 / 1024} MB; export the range as SQLite instead, which opens faster and larger`);
  const tables = new Map(EXPORT_TABLES.map((t) => [t.name as string, t]));
  const seen = new Map<string, number>();
  let meta: ExportMeta | null = null;
  try {
    for (const e of jsonEntries(path, MAX_JSON_PIECE)) {
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
      budget.take(path, t.name, bytes);
      onRow(t.name, t.cols, values);
    }
  } catch (e) {
    if (e instanceof Error && !('code' in e)) throw notAnExport(path, `damaged JSON: ${e.message}`);
    throw e;
  }
  if (!meta) throw notAnExport(path, 'no export marker');
  return meta;
}

/**
 * A SQLite export, opened read-only. Before anything is read, every table used must be a plain
 * table with plain columns: a view or virtual table could compute rows without end, and a generated
 * column or long default could make a small file read as a huge one. Rows and their sizes are then
 * capped as they are read (LIMIT, and octet_length, which SQLite answers without loading the value).
 */
function readSqlite(path: string, budget: ReviewBudget, accept: (m: ExportMeta) => boolean, onRow: RowSink): ExportMeta | null {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw notAnExport(path, `unreadable: ${(e as Error).message}`);
  }
  try {
    db.pragma('trusted_schema = OFF');
    db.pragma('cell_size_check = ON');
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
    const m = parseMeta(meta, path);
    if (!accept(m)) return null;
    for (const t of EXPORT_TABLES) {
      const stmt = guarded(db, path, t.name, t.cols);
      if (!stmt) continue;
      const present = columnsOf(db, t.name);
      // Where each column sits in a row read (the statement leaves out columns the file lacks).
      const at = new Map(t.cols.filter((c) => present.has(c.name)).map((c, k) => [c, k]));
      let i = 0;
      for (const row of stmt(REVIEW_LIMITS.rows[t.name] + 1)) {
        const { values, bytes } = checkRow(path, t.name, i++, t.cols, (c) => (at.has(c) ? row[at.get(c)!] : undefined));
        budget.take(path, t.name, bytes);
        onRow(t.name, t.cols, values);
      }
    }
    return m;
  } catch (e) {
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('SQLITE')) throw notAnExport(path, `unreadable: ${e.message}`);
    throw e;
  } finally {
    db.close();
  }
}

const columnsOf = (db: Database.Database, table: string): Map<string, { hidden: number; dflt_value: string | null }> =>
  new Map((db.prepare('SELECT name, hidden, dflt_value FROM pragma_table_xinfo(?)').all(table) as { name: string; hidden: number; dflt_value: string | null }[]).map((c) => [c.name, c]));

/**
 * The statement that reads `cols` of `table` (LIMIT bound at run), after checking the table is plain;
 * null for a table older exports lack. A value longer than its column's limit reads as a blob, which
 * no column accepts.
 */
function guarded(db: Database.Database, path: string, table: string, cols: Column[]): ((limit: number) => Iterable<unknown[]>) | null {
  const def = db.prepare("SELECT type, rootpage, sql FROM main.sqlite_master WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')").all(table) as { type: string; rootpage: number; sql: string | null }[];
  const since = EXPORT_TABLES.find((t) => t.name === table)?.since ?? 1;
  if (!def.length && since > 1) return null;
  if (def.length !== 1) throw notAnExport(path, `it has no “${table}” table`);
  const { type, rootpage, sql } = def[0]!;
  // Views and virtual tables have no pages of their own (rootpage 0): their rows are computed.
  if (type !== 'table' || !(rootpage > 0) || !/^CREATE TABLE\b/i.test(sql ?? '')) throw notAnExport(path, `“${table}” is not a plain table`);
  const present = columnsOf(db, table);
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
  const stmt = db.prepare(`SELECT ${read.map((c) => `CASE WHEN octet_length("${c.name}") > ? THEN x'' ELSE "${c.name}" END`).join(', ')} FROM main."${table}" LIMIT ?`).raw();
  return (limit) => stmt.iterate(...read.map((c) => c.max), limit) as Iterable<unknown[]>;
}
