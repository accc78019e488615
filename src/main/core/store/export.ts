import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { CATEGORIES, EXPORT_MAGIC, EXPORT_VERSION, resolveRange, type ExportRequest } from '../../../shared/analytics';
import { UserError } from '../../../shared/result';
import { ANALYTICS_MIGRATIONS } from './analytics-schema';
import type { AnalyticsStore } from './analytics-store';
import { migrate, openDb } from './db';
import { csvChunks } from './csv-lines';

export interface ExportMeta {
  magic: typeof EXPORT_MAGIC;
  version: number;
  site: string;
  timezone: string;
  from: number;
  to: number;
  exportedAt: number;
  app: string;
  /** Written into every export so the same file opened twice is known as one (older exports have none). */
  exportId: string;
  /** The categories and search text the export was limited to ('' for everything). */
  filter: string;
}

/** An export left out of a merged view because its data is already in it. */
export interface SkippedExport {
  file: string;
  sameAs: string;
}

type Progress = (done: number, total: number) => void;
/** uptime: availability per backend instance, so a review of an export shows it too. */
const ROLLUP_TABLES = ['samples', 'hours', 'days', 'event_hours', 'uptime'] as const;

/** The events an export takes: `where`/`args` for the whole range, `only`/`onlyArgs` for the filters alone. */
function eventFilter(req: ExportRequest, from: number, to: number): { where: string; args: (string | number)[]; only: string; onlyArgs: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (req.categories?.length) {
    where.push(`category IN (${req.categories.map(() => '?').join(', ')})`);
    args.push(...req.categories.map((c) => CATEGORIES.indexOf(c)));
  }
  if (req.text) {
    where.push(`(type || ' ' || source || ' ' || detail) LIKE ? ESCAPE '\\'`);
    args.push(`%${req.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const only = where.length ? where.join(' AND ') : '1';
  return { where: ['ts >= ? AND ts < ?', ...where].join(' AND '), args: [from, to, ...args], only, onlyArgs: args };
}

const rollupWhere = (t: (typeof ROLLUP_TABLES)[number]): string => (t === 'event_hours' || t === 'uptime' ? 'hour >= ? AND hour < ?' : 'ts >= ? AND ts < ?');

/** Writes a range (and filters) as CSV (events, for spreadsheets), JSON or a self-contained SQLite file. */
export async function exportAnalytics(
  store: AnalyticsStore,
  req: ExportRequest,
  out: string,
  info: { site: string; app: string; now: number },
  onProgress: Progress = () => {},
): Promise<{ file: string; events: number; bytes: number }> {
  store.flush();
  const { from, to } = resolveRange(req.range, info.now);
  const filter = req.categories?.length || req.text ? JSON.stringify({ categories: req.categories ?? [], text: req.text ?? '' }) : '';
  const meta: ExportMeta = { magic: EXPORT_MAGIC, version: EXPORT_VERSION, site: info.site, timezone: store.timezone, from, to, exportedAt: info.now, app: info.app, exportId: randomUUID(), filter };
  const { where, args, only, onlyArgs } = eventFilter(req, from, to);
  const total = (store.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE ${where}`).get(...args) as { n: number }).n;
  if (sameFile(out, store.file)) throw new UserError('export-over-source', `${out} is the analytics database being exported: save the export somewhere else.`);
  // Written beside the target and renamed over it once complete: a failed export never costs the file that was there.
  const partial = join(dirname(out), `.${basename(out)}.${randomUUID().slice(0, 8)}.partial`);
  try {
    await writeExport(store, req, partial, meta, { where, args, only, onlyArgs, from, to, total }, onProgress);
    renameSync(partial, out);
  } finally {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  }
  return { file: out, events: total, bytes: statSync(out).size };
}

const sameFile = (a: string, b: string): boolean => {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
};

async function writeExport(
  store: AnalyticsStore,
  req: ExportRequest,
  out: string,
  meta: ExportMeta,
  { where, args, only, onlyArgs, from, to, total }: ReturnType<typeof eventFilter> & { from: number; to: number; total: number },
  onProgress: Progress,
): Promise<void> {
  if (req.format === 'sqlite') {
    const db = openDb(out, ANALYTICS_MIGRATIONS);
    db.exec(`ATTACH DATABASE '${store.file.replace(/'/g, "''")}' AS src`);
    db.transaction(() => {
      const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      for (const [k, v] of Object.entries(meta)) put.run(k, String(v));
      db.prepare(`INSERT INTO events SELECT * FROM src.events WHERE ${where}`).run(...args);
      for (const t of ROLLUP_TABLES) db.prepare(`INSERT INTO main.${t} SELECT * FROM src.${t} WHERE ${rollupWhere(t)}`).run(t === 'days' ? from - 86_400_000 : from, to);
    })();
    db.exec('DETACH DATABASE src');
    db.pragma('journal_mode = DELETE'); // one self-contained file, no -wal beside it
    db.close();
    onProgress(total, total);
    return;
  }
  const fd = openSync(out, 'wx', 0o600);
  try {
    const rows = () => store.db.prepare(`SELECT * FROM events WHERE ${where} ORDER BY ts`).iterate(...args) as IterableIterator<Record<string, string | number | null>>;
    let done = 0;
    let chunk = '';
    const flush = (): void => {
      writeSync(fd, chunk);
      chunk = '';
    };
    if (req.format === 'csv') {
      chunk = `\uFEFFtime_utc,local_time,category,type,source,detail\r\n`; // BOM: spreadsheets then read UTF-8
      // One stretch per constant UTC offset; SQLite writes the lines (see csv-lines.ts).
      // The filters alone: each window bounds the time itself, so the index seeks to it (not to the whole range).
      for (const part of csvChunks(store.db, only, onlyArgs, offsetSegments(store.timezone, from, to), total)) {
        chunk += part.text;
        done += part.rows;
        flush();
        onProgress(done, total);
        await new Promise((res) => setImmediate(res));
      }
    } else {
      chunk = `{"meta":${JSON.stringify(meta)},"events":[`;
      for (const r of rows()) {
        chunk += `${done ? ',' : ''}${JSON.stringify({ ...r, category: CATEGORIES[r.category as number] })}`;
        if (++done % 20_000 === 0) {
          flush();
          onProgress(done, total);
          await new Promise((res) => setImmediate(res));
        }
      }
      chunk += ']';
      for (const t of ROLLUP_TABLES) {
        const list = store.db.prepare(`SELECT * FROM ${t} WHERE ${rollupWhere(t)}`).all(t === 'days' ? from - 86_400_000 : from, to);
        chunk += `,${JSON.stringify(t)}:${JSON.stringify(list)}`;
      }
      chunk += '}';
    }
    flush();
    onProgress(total, total);
  } finally {
    closeSync(fd);
  }
}

/** Stretches of a range with one UTC offset each in `zone` (DST changes split them), found hour by hour. */
export function offsetSegments(zone: string, from: number, to: number): { from: number; to: number; offsetMin: number }[] {
  const HOUR = 3_600_000;
  const offsetAt = (ts: number): number => DateTime.fromMillis(ts, { zone }).offset;
  const segs = [{ from, to, offsetMin: offsetAt(from) }];
  for (let h = Math.floor(from / HOUR) * HOUR + HOUR; h < to; h += HOUR) {
    const o = offsetAt(h);
    const last = segs.at(-1)!;
    if (o !== last.offsetMin) {
      last.to = h;
      segs.push({ from: h, to, offsetMin: o });
    }
  }
  return segs;
}

/**
 * Loads exports into one in-memory store for read-only review; several files merge into a multi-site
 * view (counts and occupancy add up, other metrics average). A file that is not ours is refused.
 * The same export twice (same id, or same site, span and filter) would count everything twice: it is left out.
 */
export function loadExports(paths: string[], makeStore: (db: Database.Database) => AnalyticsStore): { store: AnalyticsStore; metas: ExportMeta[]; files: string[]; skipped: SkippedExport[] } {
  const db = new Database(':memory:');
  migrate(db, ANALYTICS_MIGRATIONS);
  const metas: ExportMeta[] = [];
  const files: string[] = [];
  const skipped: SkippedExport[] = [];
  const sameAs = (m: ExportMeta): number => metas.findIndex((o) => (m.exportId && o.exportId === m.exportId) || (o.site === m.site && o.from === m.from && o.to === m.to && o.filter === m.filter));
  for (const path of paths) {
    const meta = importInto(db, path, metas.length === 0 ? 'replace' : 'merge', (m) => {
      const i = sameAs(m);
      if (i >= 0) skipped.push({ file: basename(path), sameAs: files[i]! });
      return i < 0;
    });
    if (meta) {
      metas.push(meta);
      files.push(basename(path));
    }
  }
  return { store: makeStore(db), metas, files, skipped };
}

function readHead(path: string): Buffer {
  if (!existsSync(path)) throw new UserError('no-file', `There is no file at ${path}.`);
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(16);
  readSync(fd, head, 0, 16, 0);
  closeSync(fd);
  return head;
}

/** Imports one export if `accept` takes its metadata; returns the metadata, or null when it was left out. */
function importInto(db: Database.Database, path: string, mode: 'replace' | 'merge', accept: (m: ExportMeta) => boolean): ExportMeta | null {
  const head = readHead(path);
  const notOurs = (why: string) => new UserError('not-an-export', `${path} is not an AV Gym Console export (${why}). Choose a .sqlite or .json file made with Export.`);
  if (head.toString('latin1', 0, 16) === 'SQLite format 3\0') {
    let meta: ExportMeta;
    try {
      // Only read from; this SQLite build has URI filenames (and so ?mode=ro) switched off.
      db.exec(`ATTACH DATABASE '${path.replace(/'/g, "''")}' AS x`);
    } catch (e) {
      throw notOurs((e as Error).message);
    }
    try {
      const rows = db.prepare('SELECT key, value FROM x.meta').all() as { key: string; value: string }[];
      meta = parseMeta(Object.fromEntries(rows.map((r) => [r.key, r.value])), notOurs);
      if (!accept(meta)) return null;
      db.transaction(() => {
        copyTable(db, 'events', mode === 'merge' ? 'merge-events' : 'plain');
        for (const t of ROLLUP_TABLES) copyTable(db, t, mode === 'merge' ? 'merge' : 'plain');
      })();
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw notOurs(`unreadable: ${(e as Error).message}`);
    } finally {
      db.exec('DETACH DATABASE x');
    }
    return meta;
  }
  if (head[0] !== 0x7b) throw notOurs('it is neither a SQLite nor a JSON export');
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw notOurs(`damaged JSON: ${(e as Error).message}`);
  }
  const meta = parseMeta((doc.meta ?? {}) as Record<string, unknown>, notOurs);
  if (!accept(meta)) return null;
  db.transaction(() => {
    const ev = db.prepare('INSERT INTO events (ts, category, type, source, detail, stack) VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of (doc.events ?? []) as Record<string, unknown>[]) {
      ev.run(e.ts as number, CATEGORIES.indexOf(e.category as never), String(e.type), String(e.source), String(e.detail), (e.stack as string | null) ?? null);
    }
    for (const t of ROLLUP_TABLES) insertRows(db, t, (doc[t] ?? []) as Record<string, unknown>[], mode);
  })();
  return meta;
}

function parseMeta(m: Record<string, unknown>, notOurs: (why: string) => Error): ExportMeta {
  if (m.magic !== EXPORT_MAGIC) throw notOurs('no export marker');
  if (Number(m.version) > EXPORT_VERSION) throw new UserError('export-too-new', `This export was made by a newer console (format ${m.version}). Update the console to open it.`);
  return { magic: EXPORT_MAGIC, version: Number(m.version), site: String(m.site), timezone: String(m.timezone), from: Number(m.from), to: Number(m.to), exportedAt: Number(m.exportedAt), app: String(m.app), exportId: typeof m.exportId === 'string' ? m.exportId : '', filter: typeof m.filter === 'string' ? m.filter : '' };
}

const columns = (db: Database.Database, schema: string, table: string): string[] =>
  (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

/** Merge rule for a rollup row that exists already: counts and sums add up. */
function mergeSet(table: string, cols: string[]): string {
  const key = table === 'days' ? ['day'] : table === 'event_hours' ? ['hour', 'category'] : table === 'uptime' ? ['hour', 'target'] : ['ts'];
  const add = cols.filter((c) => !key.includes(c) && !(table === 'days' && c === 'ts'));
  const expr = (c: string): string =>
    c.startsWith('max_') ? `${c} = MAX(${c}, excluded.${c})` : table === 'samples' && !['allowed', 'denied', 'occupancy'].includes(c) ? `${c} = (${c} + excluded.${c}) / 2` : `${c} = ${c} + excluded.${c}`;
  return `ON CONFLICT(${key.join(', ')}) DO UPDATE SET ${add.map(expr).join(', ')}`;
}

function copyTable(db: Database.Database, table: string, mode: 'plain' | 'merge' | 'merge-events'): void {
  const shared = columns(db, 'x', table).filter((c) => columns(db, 'main', table).includes(c) && !(mode === 'merge-events' && c === 'id'));
  if (!shared.length) return; // an older export without this table
  const list = shared.join(', ');
  const tail = mode === 'merge' ? mergeSet(table, shared) : '';
  db.prepare(`INSERT INTO main.${table} (${list}) SELECT ${list} FROM x.${table} WHERE true ${tail}`).run();
}

function insertRows(db: Database.Database, table: string, rows: Record<string, unknown>[], mode: 'replace' | 'merge'): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]!).filter((c) => columns(db, 'main', table).includes(c));
  const stmt = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ${mode === 'merge' ? mergeSet(table, cols) : ''}`);
  for (const r of rows) stmt.run(...cols.map((c) => r[c] as never));
}
