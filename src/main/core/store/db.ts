import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** One migration per schema version, applied in order inside a transaction. */
export type Migration = (db: Db) => void;

export interface OpenOptions {
  /** FULL survives power loss (fsync per commit); NORMAL survives a process crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Let the file shrink with `PRAGMA incremental_vacuum` (only takes effect on a new file). */
  incrementalVacuum?: boolean;
}

/** Opens a SQLite file in WAL mode and brings its schema up to date (PRAGMA user_version). */
export function openDb(file: string, migrations: Migration[], opts: OpenOptions = {}): Db {
  // SQLite would create it 0644; made 0600 first, and its -wal/-shm files take the same mode.
  if (file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  if (opts.incrementalVacuum) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
  return db;
}

export function migrate(db: Db, migrations: Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`This database was written by a newer console (schema ${current}, this one knows ${migrations.length}). Update the console.`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      migrations[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return migrations.length;
}
