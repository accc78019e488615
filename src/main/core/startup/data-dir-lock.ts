import Database from 'better-sqlite3';
import { renameSync } from 'node:fs';
import { join } from 'node:path';

/** In the data folder; its content only names the holder, for the message a refused start shows. */
export const LOCK_FILE = 'console.lock';

/**
 * One console per data folder. The lock is SQLite's own file lock (fcntl on Linux and macOS, LockFileEx on
 * Windows): the OS drops it when the process ends however it ends (kill -9, a crash, power loss), so a stale
 * lock never blocks the next start, and a reused process id never looks like a running console, as it would
 * with a pid file. Node has no flock of its own; better-sqlite3 is already here. Not for network drives, whose
 * locks may not be honoured.
 *
 * The holder keeps a write transaction open (RESERVED) for its whole life: another start cannot begin one, and
 * can still read the committed pid of the holder.
 */
const held = new Map<string, Database.Database>();

export type DirLock = { ok: true; release(): void } | { ok: false; pid: number | null };

export function lockDataDir(dir: string, opts: { namingWaitMs?: number } = {}): DirLock {
  const file = join(dir, LOCK_FILE);
  const namingWaitMs = opts.namingWaitMs ?? NAMING_WAIT_MS;
  try {
    return lockFile(file, namingWaitMs);
  } catch (e) {
    // A damaged lock file (a disk fault, an editor) cannot be held by anyone: set it aside and lock afresh,
    // rather than refuse every start until someone finds and deletes it.
    if (!DAMAGED.has((e as { code?: string }).code ?? '')) throw e;
    renameSync(file, `${file}.unreadable-${Date.now()}`);
    return lockFile(file, namingWaitMs);
  }
}

const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
/** How long a refused start waits for the holder's name (only the message loses it); a start is synchronous here, so it sleeps on `PAUSE`. */
const NAMING_WAIT_MS = 500;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function lockFile(file: string, namingWaitMs: number): DirLock {
  const db = new Database(file, { timeout: 0 });
  const refused = (): DirLock => {
    // A holder that has just taken the lock names itself a moment later (two starts on a new folder at once); until
    // then the name read may be this very start's, beaten to the lock between naming itself and holding it (review23 V8).
    const unnamed = (pid: number | null): boolean => pid === null || (pid === process.pid && !held.has(file));
    let pid = holder(db);
    for (let waited = 0; unnamed(pid) && waited < namingWaitMs; waited += 10) {
      Atomics.wait(PAUSE, 0, 0, 10);
      pid = holder(db);
    }
    db.close();
    return { ok: false, pid: unnamed(pid) ? null : pid };
  };
  try {
    if (!begin(db)) return refused();
  } catch (e) {
    db.close();
    throw e;
  }
  // Name the holder (committed, so others can read it), then hold at once again: a start that takes the
  // lock in between wins, and this one is refused.
  db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, started_at INTEGER NOT NULL)');
  db.exec('DELETE FROM owner');
  db.prepare('INSERT INTO owner (pid, started_at) VALUES (?, ?)').run(process.pid, Date.now());
  db.exec('COMMIT');
  if (!begin(db)) return refused();
  held.set(file, db);
  return {
    ok: true,
    release() {
      if (held.get(file) !== db) return;
      held.delete(file);
      db.close(); // closing rolls the empty transaction back and drops the lock
    },
  };
}

function begin(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw e;
  }
}

/** The holder's pid, or null when it cannot be read (it is taking the lock this very moment). */
function holder(db: Database.Database): number | null {
  try {
    return (db.prepare('SELECT pid FROM owner').get() as { pid: number } | undefined)?.pid ?? null;
  } catch {
    return null;
  }
}
