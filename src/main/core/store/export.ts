import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { CATEGORIES, EXPORT_MAGIC, EXPORT_VERSION, resolveRange, siteInWords, type ExportRequest } from '../../../shared/analytics';
import { UserError } from '../../../shared/result';
import { backendText } from '../../../shared/backend-text';
import { partialFile } from './export-partial';
import { ANALYTICS_MIGRATIONS, LATENCY_NOT_ANSWERED } from './analytics-schema';
import type { AnalyticsStore } from './analytics-store';
import { migrate } from './db';
import { csvChunks } from './csv-lines';
import { csvHeader, SIMULATED_COLUMN } from './csv-words';
import { ReviewBudget, type ExportMeta } from './export-format';
import { readExport, type ReviewSink } from './export-read';
import { keyOf, keyPages, Slices, stopIf, TABLE_KEYS, type SlicedTable } from './export-slices';

/** `exportId` is written into every export so the same file opened twice is known as one (older exports have none). */
export type { ExportMeta };

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

/** A rollup's span: daily rollups start the day before, so the first local day of the range is whole. */
const rollupSpan = (t: (typeof ROLLUP_TABLES)[number], from: number, to: number) => ({ from: t === 'days' ? from - 86_400_000 : from, to });

/** Writes a range (and filters) as CSV (events, for spreadsheets), JSON or a self-contained SQLite file. */
export async function exportAnalytics(
  store: AnalyticsStore,
  req: ExportRequest,
  out: string,
  info: { site: string; app: string; now: number; simulated?: boolean },
  onProgress: Progress = () => {},
  /** A stop: the export ends at its next pause, and its unfinished file is removed. */
  signal?: AbortSignal,
): Promise<{ file: string; events: number; bytes: number }> {
  stopIf(signal);
  store.flush();
  const { from, to } = resolveRange(req.range, info.now, store.timezone);
  const filter = req.categories?.length || req.text ? JSON.stringify({ categories: req.categories ?? [], text: req.text ?? '' }) : '';
  const meta: ExportMeta = { magic: EXPORT_MAGIC, version: EXPORT_VERSION, site: info.site, timezone: store.timezone, from, to, exportedAt: info.now, app: info.app, exportId: randomUUID(), filter, simulated: info.simulated ?? false };
  const { where, args, only, onlyArgs } = eventFilter(req, from, to);
  const total = (store.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE ${where}`).get(...args) as { n: number }).n;
  if (sameFile(out, store.file)) throw new UserError('export-over-source', `${out} is the analytics database being exported: save the export somewhere else.`);
  // Written beside `out` under another name and renamed at the end: a failed export leaves nothing behind (a killed
  // one leaves it, for the next export to the folder to remove: export-partial.ts).
  const part = partialFile(out);
  try {
    const slices = new Slices(signal);
    // The count took its own stretch (12 ms of 150,000 events): the console serves before the first slice.
    await slices.next(0);
    if (req.format === 'sqlite') await writeSqlite(store, part, meta, only, onlyArgs, from, to, total, onProgress, slices);
    else await writeText(store, req.format, part, meta, only, onlyArgs, from, to, total, onProgress, slices);
    renameSync(part, out);
  } catch (e) {
    for (const ext of ['', '-journal', '-wal', '-shm']) rmSync(part + ext, { force: true });
    throw e;
  }
  onProgress(total, total);
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

/**
 * A self-contained SQLite export: the new file is attached to the store's own connection, so this
 * works for an in-memory review store too (attaching the store's file would find nothing there).
 * Copied a slice at a time in key order; the file needs no journal or syncs while it is written (a
 * failed export removes it).
 */
async function writeSqlite(store: AnalyticsStore, file: string, meta: ExportMeta, only: string, onlyArgs: (string | number)[], from: number, to: number, total: number, onProgress: Progress, slices: Slices): Promise<void> {
  closeSync(openSync(file, 'wx', 0o600)); // made private before SQLite writes into it
  const out = new Database(file);
  try {
    out.pragma('synchronous = OFF'); // a sync per migration stalled the console for nothing: a failed export is removed
    migrate(out, ANALYTICS_MIGRATIONS); // rollback journal: one file, no -wal beside it
  } finally {
    out.close();
  }
  const db = store.db;
  // A name of its own: two exports may be written at once on this connection, pausing in turn.
  const as = `export_out_${randomBytes(6).toString('hex')}`;
  db.prepare(`ATTACH DATABASE ? AS ${as}`).run(file);
  try {
    db.pragma(`${as}.journal_mode = OFF`);
    db.pragma(`${as}.synchronous = OFF`);
    db.transaction(() => {
      const put = db.prepare(`INSERT INTO ${as}.meta (key, value) VALUES (?, ?)`);
      for (const [k, v] of Object.entries(meta)) put.run(k, String(v));
    })();
    let done = 0;
    const copy = async (table: SlicedTable, span: { from: number; to: number }, filter: string, args: (string | number)[], indexed = ''): Promise<void> => {
      const page = keyPages(db, table, span, filter, args, (w, order) => `INSERT INTO ${as}.${table} SELECT * FROM main.${table} ${indexed} WHERE ${w} ORDER BY ${order} LIMIT ?`);
      const last = db.prepare(`SELECT ${TABLE_KEYS[table].join(', ')} FROM ${as}.${table} ORDER BY ${TABLE_KEYS[table].map((k) => `${k} DESC`).join(', ')} LIMIT 1`).raw();
      for (let after: unknown[] | null = null; ; ) {
        const limit = slices.size;
        const { stmt, params } = page(after, limit);
        const n = stmt.run(...params).changes;
        if (table === 'events') onProgress((done += n), total);
        if (n < limit) return;
        after = last.get() as unknown[];
        await slices.next(n);
      }
    };
    await copy('events', { from, to }, only, onlyArgs, 'INDEXED BY events_by_ts');
    for (const t of ROLLUP_TABLES) {
      await slices.next(0);
      await copy(t, rollupSpan(t, from, to), '1', []);
    }
  } finally {
    db.exec(`DETACH DATABASE ${as}`);
  }
}

/** CSV (events, for spreadsheets) or JSON (everything), written a slice at a time. */
async function writeText(
  store: AnalyticsStore,
  format: 'csv' | 'json',
  file: string,
  meta: ExportMeta,
  only: string,
  onlyArgs: (string | number)[],
  from: number,
  to: number,
  total: number,
  onProgress: Progress,
  slices: Slices,
): Promise<void> {
  const fd = openSync(file, 'wx', 0o600);
  try {
    let done = 0;
    let chunk = '';
    const flush = (): void => {
      writeSync(fd, chunk);
      chunk = '';
    };
    if (format === 'csv') {
      const marked = meta.simulated ? SIMULATED_COLUMN : null;
      chunk = `\uFEFF${csvHeader(store.timezone)}${marked ? `,${marked.name}` : ''}\r\n`; // BOM: spreadsheets then read UTF-8
      // One stretch per constant UTC offset; SQLite writes the lines (see csv-lines.ts).
      // The filters alone: each window bounds the time itself, so the index seeks to it (not to the whole range).
      for (const part of csvChunks(store.db, only, onlyArgs, offsetSegments(store.timezone, from, to), total, () => slices.size, [siteInWords(meta.site), ...(marked ? [marked.value] : [])])) {
        chunk += part.text;
        done += part.rows;
        flush();
        onProgress(done, total);
        await slices.next(part.rows);
      }
    } else {
      chunk = `{"meta":${JSON.stringify(meta)}`;
      // The ts index is named: with a category filter SQLite would take the category index and sort what is left for each page.
      const tables = [{ table: 'events' as SlicedTable, span: { from, to }, filter: only, args: onlyArgs, indexed: 'INDEXED BY events_by_ts' }, ...ROLLUP_TABLES.map((t) => ({ table: t as SlicedTable, span: rollupSpan(t, from, to), filter: '1', args: [], indexed: '' }))];
      for (const { table, span, filter, args, indexed } of tables) {
        chunk += `,${JSON.stringify(table)}:[`;
        const page = keyPages(store.db, table, span, filter, args, (w, order) => `SELECT * FROM ${table} ${indexed} WHERE ${w} ORDER BY ${order} LIMIT ?`);
        let n = 0;
        for (let after: unknown[] | null = null; ; ) {
          const limit = slices.size;
          const { stmt, params } = page(after, limit);
          const rows = stmt.all(...params) as Record<string, string | number | null>[];
          for (const r of rows) chunk += `${n++ ? ',' : ''}${JSON.stringify(table === 'events' ? { ...r, category: CATEGORIES[r.category as number] } : r)}`;
          flush();
          if (table === 'events') onProgress((done = n), total);
          await slices.next(rows.length);
          if (rows.length < limit) break;
          after = keyOf(table, rows.at(-1)!);
        }
        chunk += ']';
      }
      chunk += '}';
    }
    flush();
  } finally {
    closeSync(fd);
  }
}

/** Stretches of a range with one UTC offset each in `zone` (DST changes split them), found hour by hour. */
export function offsetSegments(zone: string, from: number, to: number): { from: number; to: number; offsetMin: number }[] {
  const HOUR = 3_600_000;
  // The offsets end up in the CSV's SQL: only whole minutes from a zone luxon knows may get there.
  const offsetAt = (ts: number): number => {
    const o = DateTime.fromMillis(ts, { zone }).offset;
    if (!Number.isSafeInteger(o)) throw new UserError('bad-timezone', `The time zone “${zone}” is not one the console knows, so local times cannot be written. Set the time zone on the Analytics settings, e.g. Europe/Berlin.`);
    return o;
  };
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

/** A review built from exports: its database image, and what it holds. */
export interface BuiltReview {
  image: Uint8Array;
  metas: ExportMeta[];
  files: string[];
  skipped: SkippedExport[];
}

/**
 * Loads exports into one in-memory store for read-only review; several files merge into a multi-site
 * view (counts and occupancy add up, other metrics average). A file that is not ours is refused.
 * The same export twice (same id, or same site, span and filter) would count everything twice: it is left out.
 * Every file is untrusted: export-read.ts checks it, and the review as a whole has REVIEW_LIMITS.
 * The console builds reviews on a worker thread (review-thread.ts); this is the same work in one call.
 */
export function loadExports(paths: string[], makeStore: (db: Database.Database) => AnalyticsStore): { store: AnalyticsStore; metas: ExportMeta[]; files: string[]; skipped: SkippedExport[] } {
  return openReview(buildReview(paths), makeStore);
}

/** The store a built review becomes: its image, deserialized as the store's own writable in-memory database. */
export function openReview(built: BuiltReview, makeStore: (db: Database.Database) => AnalyticsStore): { store: AnalyticsStore; metas: ExportMeta[]; files: string[]; skipped: SkippedExport[] } {
  const db = new Database(Buffer.from(built.image.buffer, built.image.byteOffset, built.image.byteLength));
  try {
    migrate(db, ANALYTICS_MIGRATIONS); // already current: checks the schema is this console's
    return { store: makeStore(db), metas: built.metas, files: built.files, skipped: built.skipped };
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Reads and checks exports into a review database and returns its image. The review is built in the
 * temp schema of a connection whose main database is an empty read-only one: SQLite opens every
 * file attached to such a connection read-only (this build has no URI filenames, so no `?mode=ro`),
 * and checked rows are copied in SQL. The finished temp database is serialized once.
 */
export function buildReview(paths: string[]): BuiltReview {
  const builder = reviewBuilder();
  try {
    createReviewTables(builder);
    const metas: ExportMeta[] = [];
    const files: string[] = [];
    const skipped: SkippedExport[] = [];
    const budget = new ReviewBudget();
    const sameAs = (m: ExportMeta): number => metas.findIndex((o) => (m.exportId && o.exportId === m.exportId) || (o.site === m.site && o.from === m.from && o.to === m.to && o.filter === m.filter));
    // Two exports of one gym over the same hours would add that time up twice (check-ins, people inside).
    const overlaps = (m: ExportMeta): number => metas.findIndex((o) => sameSite(o.site, m.site) && o.from < m.to && m.from < o.to);
    const sink = reviewSink(builder);
    /** Where each file's events start in the review's events table, by rowid. */
    const eventsFrom: number[] = [];
    for (const path of paths) {
      const before = builder.prepare('SELECT coalesce(max(rowid), 0) FROM temp.events').pluck().get() as number;
      const meta = readExport(
        path,
        budget,
        (m) => {
          const i = sameAs(m);
          if (i >= 0) skipped.push({ file: basename(path), sameAs: files[i]! });
          const o = i < 0 ? overlaps(m) : -1;
          if (o >= 0) throw overlapping(basename(path), files[o]!, m.site);
          return i < 0;
        },
        sink,
      );
      if (meta) {
        // A gym's PCs may carry different names (each is set on its own PC): the same check-ins say it is one gym (readme29 K10).
        const shared = metas.some((o) => o.from < meta.to && meta.from < o.to) ? sameCheckins(builder, before) : null;
        if (shared) throw sameGymUnderTwoNames(basename(path), files[eventsFrom.findLastIndex((from) => from < shared.rowid)]!, shared.n, meta.site, metas);
        metas.push(meta);
        files.push(basename(path));
        eventsFrom.push(before);
      }
    }
    // Exports before format 4 wrote 0 ms while nothing answered: read as not known, as the console's own store was.
    if (metas.some((m) => m.version < 4)) builder.exec(LATENCY_NOT_ANSWERED);
    return { image: builder.serialize({ attached: 'temp' }), metas, files, skipped };
  } finally {
    builder.close(); // a refused file frees what was read so far
  }
}

/**
 * The connection a review is built on. Its temp tables are kept in a file in the PC's temp folder
 * (SQLite removes it: unlinked at once on Linux and macOS, deleted on close on Windows), so while a
 * review is built the console holds its image once, not the tables and then their image.
 */
export function reviewBuilder(): Database.Database {
  const builder = new Database(Buffer.alloc(0), { readonly: true });
  try {
    builder.pragma('temp_store = FILE');
    builder.pragma('trusted_schema = OFF');
    builder.pragma('cell_size_check = ON');
    return builder;
  } catch (e) {
    builder.close();
    throw e;
  }
}

/** One gym whatever the case, spacing or invisible characters its name was typed with. */
const siteKey = (name: string): string => backendText(name).normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
const sameSite = (a: string, b: string): boolean => siteKey(a) === siteKey(b);

const overlapping = (file: string, other: string, site: string): UserError =>
  new UserError(
    'export-overlap',
    `${file} and ${other} are both exports of “${site}” and share some hours: opened together, those hours would count twice. Open them one at a time, or export one range that covers both. If they are different gyms, give each PC its gym's name (Analytics tab, Storage: Gym name) and export again.`,
  );

/**
 * Check-ins of the file read last (events past `before`) that an earlier file holds too, to the millisecond and the
 * word (the gym system's stamp, the member, the source): the same gym's, recorded by two PCs. Null: none.
 */
function sameCheckins(builder: Database.Database, before: number): { n: number; rowid: number } | null {
  const r = builder
    .prepare(
      `SELECT count(*) AS n, min(o.rowid) AS rowid FROM temp.events e JOIN temp.events o ON o.ts = e.ts AND o.rowid <= :before
       AND o.category = e.category AND o.type = e.type AND o.source = e.source AND o.detail = e.detail
       WHERE e.rowid > :before AND e.category = :checkin AND e.type IN ('allowed', 'denied')`,
    )
    .get({ before, checkin: CATEGORIES.indexOf('checkin') }) as { n: number; rowid: number | null };
  return r.n > 0 && r.rowid !== null ? { n: r.n, rowid: r.rowid } : null;
}

const sameGymUnderTwoNames = (file: string, other: string, n: number, site: string, metas: ExportMeta[]): UserError =>
  new UserError(
    'export-overlap',
    `${file} and ${other} hold the same check-ins (${n.toLocaleString('en')} of them), so they are exports of one gym${metas.some((m) => !sameSite(m.site, site)) ? ' under two names' : ''}: opened together, those check-ins would count twice. Open them one at a time, or export one range that covers both. Give every PC of one gym the same name (Analytics tab, Storage: Gym name).`,
  );

/** The review store's schema, made as temp tables: that of a new analytics database, its migrations recorded. */
function createReviewTables(builder: Database.Database): void {
  const model = new Database(':memory:');
  try {
    migrate(model, ANALYTICS_MIGRATIONS);
    // Temp tables keep `CREATE TABLE …` as their SQL, so the temp database reads back as the model.
    const schema = model.prepare("SELECT type, sql FROM main.sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all() as { type: string; sql: string }[];
    for (const { type, sql } of schema) builder.exec(type === 'table' ? sql.replace(/^CREATE TABLE\b/i, 'CREATE TEMP TABLE') : sql);
    const put = builder.prepare('INSERT INTO temp.schema_migrations (version, hash) VALUES (?, ?)');
    for (const r of model.prepare('SELECT version, hash FROM main.schema_migrations').all() as { version: number; hash: string }[]) put.run(r.version, r.hash);
    builder.pragma(`temp.user_version = ${model.pragma('user_version', { simple: true }) as number}`);
  } finally {
    model.close();
  }
}

/** Writes checked rows into the review's temp tables; rollups for the same hour or day from several sites merge. */
function reviewSink(db: Database.Database): ReviewSink {
  const stmts = new Map<string, Database.Statement>();
  const tail = (table: string, names: string[]): string => (table === 'events' ? '' : mergeSet(table, names));
  return {
    db,
    row: (table, cols, values) => {
      let stmt = stmts.get(table);
      if (!stmt) {
        const names = cols.map((c) => c.name);
        stmt = db.prepare(`INSERT INTO temp.${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ${tail(table, names)}`);
        stmts.set(table, stmt);
      }
      stmt.run(...values);
    },
    // `WHERE` in `select` keeps SQLite from reading ON CONFLICT as a join's ON.
    copy: (table, names, select, limit) => db.prepare(`INSERT INTO temp.${table} (${names.join(', ')}) ${select} LIMIT ? ${tail(table, names)}`).run(limit).changes,
  };
}

/** Merge rule for a rollup row that exists already: counts and sums add up. */
function mergeSet(table: string, cols: string[]): string {
  const key = table === 'days' ? ['day'] : table === 'event_hours' ? ['hour', 'category'] : table === 'uptime' ? ['hour', 'target'] : ['ts'];
  const add = cols.filter((c) => !key.includes(c) && !(table === 'days' && c === 'ts'));
  const expr = (c: string): string =>
    // NULL counts were all of that row's samples: n as it was before this merge (SET reads the old row).
    c === 'n_occupancy' || c === 'n_latencyMs' ? `${c} = COALESCE(${c}, n) + COALESCE(excluded.${c}, excluded.n)` :
    c.startsWith('max_') ? `${c} = MAX(${c}, excluded.${c})` :
    // Reply times average over the sites that had one: a site with no reply then does not halve the other's.
    table === 'samples' && c === 'latencyMs' ? `${c} = COALESCE((${c} + excluded.${c}) / 2, ${c}, excluded.${c})` :
    table === 'samples' && !['allowed', 'denied', 'occupancy'].includes(c) ? `${c} = (${c} + excluded.${c}) / 2` : `${c} = ${c} + excluded.${c}`;
  return `ON CONFLICT(${key.join(', ')}) DO UPDATE SET ${add.map(expr).join(', ')}`;
}
