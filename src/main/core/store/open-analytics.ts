import { accessSync, closeSync, constants, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { ANALYTICS_MIGRATIONS } from './analytics-schema';
import { AnalyticsStore } from './analytics-store';
import { isDamagedDb, openDb, OtherLayout } from './db';
import { openRefusal, type OpenRefusal } from '../file-open-words';

/**
 * What staff and IT are told once SQLite says analytics.db's pages are broken: what stops working,
 * what does not, and what to do. Analytics only: the desk never needs it, so the console keeps running.
 */
export const analyticsDamagedWords = (file: string): string =>
  `The analytics database (${file}) is damaged: some of its pages cannot be read (a bad disk sector, or a copy taken while the console was using it). ` +
  'Charts, the event log and exports may fail until it is replaced. Check-ins, the desk and the kiosk do not use it and keep working. ' +
  'Restart the console at a quiet moment: it sets the damaged file aside (kept for support) and starts a new, empty one.';

/**
 * analytics.db in `dir`; a damaged file is set aside (never deleted), a fresh one started, and the user told.
 * `suspect`: the last run found broken pages, so the whole file is checked now (seconds for a large one).
 * `keptHere`: a console has run in `dir` before (its console.db was there), so analytics were kept here too.
 * One the system will not let the console open (another user's, a folder, a full or read-only disk) never stops
 * the console either: it runs without analytics kept (`unopened` says why), the file left as it is, and the warning says
 * which file and what IT does.
 * `warning`: the whole story, for the log, the terminal and the activity list; `brief`: what Health shows (its check
 * and alert): a headline and IT's one line, the rest being in the log.
 */
export function openAnalytics(dir: string, timezone: string, suspect = false, keptHere = false): { store: AnalyticsStore; warning: string | null; brief: string | null; unopened: OpenRefusal | null } {
  const file = join(dir, 'analytics.db');
  try {
    const opened = openOrSetAside(file, timezone, suspect, keptHere);
    return { ...opened, brief: opened.warning, unopened: null };
  } catch (e) {
    // A newer console's (after a downgrade), or a differently built one's: kept as it is for that console.
    const why = e instanceof OtherLayout ? { what: `it ${e.what}`, fix: e.fix } : openRefusal(e, file);
    if (!why) throw e;
    return { ...notKept(file, timezone, why), unopened: why };
  }
}

function openOrSetAside(file: string, timezone: string, suspect: boolean, keptHere: boolean): { store: AnalyticsStore; warning: string | null } {
  mayOpen(file);
  const wrong = keptHere && emptied(file) ? 'empty' : wholeFileProblem(file);
  if (wrong) return fresh(file, timezone, wrong);
  try {
    const db = openDb(file, ANALYTICS_MIGRATIONS, { incrementalVacuum: true });
    try {
      db.prepare('SELECT COUNT(*) FROM meta').get(); // touches the schema: fails on a damaged file
      const found = suspect ? (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check) : ['ok'];
      if (found[0] !== 'ok') throw new Error(`database disk image is malformed: ${found.slice(0, 3).join('; ')}`);
    } catch (e) {
      db.close(); // not held open: it is set aside next (Windows cannot rename an open file)
      throw e;
    }
    return { store: new AnalyticsStore(db, file, timezone), warning: null };
  } catch (e) {
    if (!isDamagedDb(e)) throw e;
    return fresh(file, timezone, 'damaged');
  }
}

/**
 * Throws the system's own refusal (EACCES, EISDIR…) for analytics.db or its -wal/-shm before SQLite sees them: SQLite
 * would say only "unable to open database file", and not which of the three.
 */
function mayOpen(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(f)) continue;
    const s = statSync(f);
    if (s.isDirectory()) throw Object.assign(new Error(`${f} is a folder`), { code: 'EISDIR', path: f });
    if (!s.isFile()) throw Object.assign(new Error(`${f} is not a plain file`), { code: 'ENOTAFILE', path: f });
    accessSync(f, constants.R_OK | constants.W_OK);
  }
}

/**
 * The console without analytics kept: an in-memory store, so the charts and the event log work from this start on,
 * and nothing is written near the file IT is told to fix.
 */
function notKept(file: string, timezone: string, why: OpenRefusal): { store: AnalyticsStore; warning: string; brief: string } {
  const db = openDb(':memory:', ANALYTICS_MIGRATIONS);
  return {
    store: new AnalyticsStore(db, file, timezone),
    warning:
      `The analytics database (${file}) could not be opened: ${why.what}. The console started without it: check-ins, the desk and the kiosk work as always, ` +
      'but the charts, the event log and exports show only what happens from this start, and that is not kept when the console stops. ' +
      `To fix it: ${why.fix}, then restart the console at a quiet moment. The file was left as it is.`,
    // Two lines (Health keeps the line break): a paragraph on Health was not read to its fix.
    brief: `Charts and exports are not being saved: ${basename(file)} could not be opened; check-ins work as always.\nFor IT: ${why.fix}, then restart the console. The console's log says why.`,
  };
}

type Problem = 'damaged' | 'truncated' | 'empty' | 'foreign';

const PROBLEM_WORDS: Record<Problem, string> = {
  damaged: 'was damaged and could not be read',
  truncated: 'was cut short (part of the file is missing: a copy that did not finish, or a full disk)',
  empty: 'was empty (0 bytes), so the history of the charts, the event log and exports it held is gone (a copy that did not finish, a full disk, or a clean-up tool)',
  foreign: 'is not an analytics database of this console (another program\'s file, or another file copied in under its name)',
};

/** Sets `file` aside (never deleted) and starts a new, empty one; the warning says what and where. */
function fresh(file: string, timezone: string, problem: Problem): { store: AnalyticsStore; warning: string } {
  const aside = `${file}.${problem === 'foreign' ? 'not-analytics' : 'damaged'}-${Date.now()}`;
  for (const ext of ['', '-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, aside + ext);
  const db = openDb(file, ANALYTICS_MIGRATIONS, { incrementalVacuum: true });
  return {
    store: new AnalyticsStore(db, file, timezone),
    warning: `The analytics database ${PROBLEM_WORDS[problem]}. It was set aside as ${aside} and a new, empty one was started; check-ins, the desk and the kiosk were not affected.`,
  };
}

/**
 * 0 bytes with no commits in a -wal either: SQLite would quietly take it as a new database. The console never
 * leaves one so (opening writes the header at once), so where it has run before, its history was lost.
 */
function emptied(file: string): boolean {
  const size = (f: string): number | null => {
    try {
      const s = statSync(f);
      return s.isFile() ? s.size : null;
    } catch {
      return null;
    }
  };
  return size(file) === 0 && !size(`${file}-wal`);
}

/** Whether a -wal lies beside `file` and SQLite reads every page of the two as sound. */
function readsWholeWithWal(file: string): boolean {
  try {
    if (!statSync(`${file}-wal`).size) return false;
  } catch {
    return false;
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return db.pragma('quick_check', { simple: true }) === 'ok';
  } catch (e) {
    if (isDamagedDb(e)) return false;
    throw e;
  } finally {
    db?.close();
  }
}

/**
 * What the whole file shows before anything is written to it, cheaply (no page is read but its header and
 * schema): shorter than its header says (truncated), or a database without this console's tables (migrating
 * it would write our tables into someone else's file, or fail on a name they share).
 */
function wholeFileProblem(file: string): Problem | null {
  if (!existsSync(file) || !statSync(file).isFile() || statSync(file).size === 0) return null;
  const size = statSync(file).size;
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, header, 0, 100, 0) < 100) return 'truncated';
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return 'damaged';
  const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
  // The page count is trusted only when the writer kept it (its "valid-for" matches the change counter).
  // A full disk can stop a checkpoint once page 1 (this header) is written: the other pages are still in the -wal beside
  // it, where SQLite reads them, and the file is whole. Judged by its size alone, it was set aside (readme24 R2).
  if (header.readUInt32BE(92) === header.readUInt32BE(24) && header.readUInt32BE(28) * pageSize > size && !readsWholeWithWal(file)) return 'truncated';
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    // Not schema_migrations: a file from before hashes were kept lacks it, and is ours.
    if (tables.size > 0 && !(tables.has('meta') && tables.has('events'))) return 'foreign';
    return null;
  } catch (e) {
    if (isDamagedDb(e)) return 'damaged';
    throw e;
  } finally {
    db?.close();
  }
}
