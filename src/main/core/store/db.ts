import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { StartRefused } from '../startup/start-refused';

export type Db = Database.Database;

/** The SQL of one schema version; applied in order, each inside a transaction. Never edit a released one: add the next. */
export type Migration = string;

export interface OpenOptions {
  /** FULL survives power loss (fsync per commit); NORMAL survives a process crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Let the file shrink with `PRAGMA incremental_vacuum` (only takes effect on a new file). */
  incrementalVacuum?: boolean;
  /**
   * Read every page once (`PRAGMA quick_check`) before the schema is touched: a damaged page is found now,
   * not at the first sign-in or send that reads it. Tens of ms for a full outbox and a 100k roster.
   */
  checkPages?: boolean;
}

const DAMAGED = /SQLITE_CORRUPT|SQLITE_NOTADB|file is not a database|malformed/i;

/** SQLite's word for a file that is not a database, or one whose pages are broken. */
export function isDamagedDb(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return DAMAGED.test(`${String(err?.code ?? '')} ${String(err?.message ?? '')}`);
}

/** What a path holds when it is not a plain file (SQLite would fail on it with "disk I/O error", or wait on a pipe). */
function notAFile(file: string): string | null {
  const s = statSync(file);
  return s.isFile() ? null : s.isDirectory() ? 'a folder' : s.isFIFO() ? 'a named pipe' : 'not a plain file';
}

/** A file this console's migrations do not fit: made by a newer or a differently built console. Its message says what to do. */
export class OtherLayout extends Error {
  override readonly name = 'OtherLayout';
  /** `what`: "was written by a newer version …", for a sentence that names the file. */
  constructor(file: string, readonly what: string, readonly fix: string) {
    super(`${file} ${what}. The file was left as it is; ${fix}.`);
  }
}

/**
 * The first three of quick_check's problems: it lists every broken cell of a page (one row may hold sixty, one per
 * line), and a refusal printed all of them to IT (probe24 P1).
 */
function firstProblems(rows: string[]): string {
  const lines = rows.flatMap((r) => r.split(/\r?\n/)).map((l) => l.trim()).filter((l) => l && !/^\*\*\* in database/.test(l));
  return lines.length <= 3 ? lines.join('; ') : `${lines.slice(0, 3).join('; ')}; and ${lines.length - 3} more problems`;
}

/** Opens a SQLite file in WAL mode and brings its schema up to date (PRAGMA user_version). */
export function openDb(file: string, migrations: Migration[], opts: OpenOptions = {}): Db {
  // SQLite would create it 0644; made 0600 first, and its -wal/-shm files take the same mode.
  if (file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const kind = file === ':memory:' ? null : notAFile(file);
  if (kind) throw new StartRefused(`${file} is ${kind}, not a database file: move it out of the data folder, then start the console again (a new, empty one is made).`);
  const db = new Database(file);
  try {
    if (opts.incrementalVacuum) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (opts.checkPages) {
      const found = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
      // Worded as SQLite's own, so isDamagedDb (and every caller's damaged-file words) take it.
      if (found[0] !== 'ok') throw Object.assign(new Error(`database disk image is malformed: ${firstProblems(found)}`), { code: 'SQLITE_CORRUPT' });
    }
    migrate(db, migrations);
    return db;
  } catch (e) {
    db.close(); // a refused or damaged file is not held open (it may be set aside next)
    throw e;
  }
}

/** Whitespace is layout, not schema: re-indenting a migration does not change its hash. */
export const migrationHash = (sql: Migration): string => createHash('sha256').update(sql.replace(/\s+/g, ' ').trim()).digest('hex');

/**
 * Applies the migrations this file lacks, storing each one's hash as it goes, and refuses a file whose
 * applied migrations differ from this console's: an edited migration would leave two "version N"s.
 */
export function migrate(db: Db, migrations: Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const file = db.memory ? 'The database' : basename(db.name);
  if (current > migrations.length) {
    throw new OtherLayout(file, `was written by a newer version of the console than this one (its data layout ${current}; this console knows up to ${migrations.length})`, 'update this console to the newer version that wrote it, or a later one');
  }
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, hash TEXT NOT NULL)');
  const stored = new Map((db.prepare('SELECT version, hash FROM schema_migrations').all() as { version: number; hash: string }[]).map((r) => [r.version, r.hash]));
  const record = db.prepare('INSERT OR REPLACE INTO schema_migrations (version, hash) VALUES (?, ?)');
  for (let v = 1; v <= current; v++) {
    const hash = migrationHash(migrations[v - 1]!);
    const was = stored.get(v);
    // Applied before hashes were kept: nothing to compare with, so this console's is taken as the one.
    if (was === undefined) record.run(v, hash);
    else if (was !== hash) {
      throw new OtherLayout(file, `was made by a different build of the console, one that lays out its data differently (from layout change ${v} on)`, 'install the console version that made it, or send the log to support');
    }
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      record.run(v + 1, migrationHash(migrations[v]!));
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return migrations.length;
}
