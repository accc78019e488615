import { accessSync, constants, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_MIGRATIONS } from './console-schema';
import Database from 'better-sqlite3';
import { isDamagedDb, openDb, OtherLayout, type Db } from './db';
import { StartRefused } from '../startup/start-refused';
import { diskProblem, diskStartWords } from '../disk-words';
import { CONSOLE_DB_MARK, lostSinceMarked, markPinsSet, pinsLostSinceMarked } from './console-db-mark';
import { consoleUser, openRefusal } from '../file-open-words';
import { shellArg } from '../shell-arg';
import { CONSOLE_TABLES, emptiedWords, finishSalvage, salvageConsoleDb } from './salvage-console-db';

export const CONSOLE_DB = 'console.db';
/** Its name before it also held PINs, settings, the roster and the audit log. */
export const OLD_CONSOLE_DB = 'outbox.db';

/**
 * The one place IT is told console.db's pages are broken, whichever page (a file cut short, or one bad
 * sector in the outbox, roster or settings). Not set aside as analytics.db is: it may hold check-ins the
 * backend never got, so a person decides.
 */
export const consoleDbDamagedWords = (file: string, dir: string, detail: string, tables: readonly string[] = []): string =>
  `${file} is damaged and cannot be read (${tables.length ? `in ${tables.map((t) => CONSOLE_TABLES[t]?.holds ?? t).join(', ')}: ` : ''}${detail}). It holds the check-ins not yet sent to the backend, the PINs and the audit log: ` +
  `keep a copy of it for support. To start afresh without them, move console.db (and any console.db-wal, console.db-shm and ${CONSOLE_DB_MARK} beside it) out of ${dir}; ` +
  'the console then starts with an empty one and asks for new PINs.';

/**
 * A SQLite file under console.db's name that is not one (analytics.db restored under the wrong name, another
 * program's database): told apart from a console.db of another version, which holds the console's tables.
 */
export const notConsoleDbWords = (file: string, dir: string): string =>
  `${file} is not this console's console.db (another program's file, or another file copied in under its name, such as analytics.db). The file was left as it is: keep a copy of it for support. ` +
  `Restore console.db together with its console.db-wal file from a backup of this folder, or, to start afresh with new PINs, move console.db (and any console.db-wal, console.db-shm and ${CONSOLE_DB_MARK} beside it) out of ${dir}.`;

/** Tables every console.db has had, from the first version on (renamed ones excepted). */
const TABLES_SINCE_FIRST = ['outbox', 'audit'];

/** Whether `file` is a database without the console's tables; a damaged one is left to the open, which names it. */
function notConsoleDb(file: string): boolean {
  if (!existsSync(file) || !statSync(file).isFile() || statSync(file).size === 0) return false;
  // Reading a file in WAL mode makes its -wal and -shm: those this look made are taken away again (the folder's lock is held).
  const made = ['-wal', '-shm'].filter((ext) => !existsSync(file + ext));
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    return tables.size > 0 && !TABLES_SINCE_FIRST.some((t) => tables.has(t));
  } catch (e) {
    if (isDamagedDb(e)) return false;
    throw e;
  } finally {
    db?.close();
    for (const ext of made) rmSync(file + ext, { force: true });
  }
}

/**
 * Why the system will not let this user open console.db or its -wal/-shm (another user owns it after one run with
 * sudo, mode 000, a read-only disk); null: it may. The start is refused (console.db holds the PINs and the unsent
 * check-ins, so nothing is set aside or started afresh), in one line with the fix: the one place both hosts say it.
 */
export function consoleDbUnopenable(file: string): string | null {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (!existsSync(f) || !statSync(f).isFile()) continue; // a folder or pipe: openDb names it
      for (const [mode, may] of [[constants.R_OK, 'readable'], [constants.W_OK, 'writable']] as const) {
        try {
          accessSync(f, mode);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EACCES' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
          const user = consoleUser();
          return `${f} is not ${may} by this user (${user}): console.db holds the PINs and the check-ins not yet sent to the backend; give it back to this user (chown ${user} ${shellArg(f)}; chmod 600 ${shellArg(f)}), then start the console again.`;
        }
      }
    } catch (e) {
      const why = openRefusal(e, f);
      if (!why) throw e;
      return `${f} could not be opened: ${why.what}. console.db holds the PINs and the check-ins not yet sent to the backend, so the console does not start without it; ${why.fix}, then start the console again.`;
    }
  }
  return null;
}

/** What a start did with an older console's outbox.db: took it as console.db, or left it beside one that holds data. */
export interface OlderFile {
  kind: 'renamed' | 'left-unread';
  line: string;
}

const emptyOrGone = (f: string): boolean => !existsSync(f) || (statSync(f).isFile() && statSync(f).size === 0);

/**
 * An older console's outbox.db (console.db's former name) is renamed with its -wal and -shm files (the WAL may hold
 * committed check-ins) when no console.db holds anything: none, or an empty one (0 bytes, as a sqlite3 command run
 * on the new name leaves: probe27b D1). Beside a console.db with data it is never read nor overwritten, and said.
 */
function takeOlderFile(dir: string, file: string): OlderFile | null {
  const old = join(dir, OLD_CONSOLE_DB);
  if (!existsSync(old)) return null;
  // None: a folder from before the rename, or a rename a crash cut short (its -wal may be moved already: kept).
  const none = !existsSync(file);
  if (none || (emptyOrGone(file) && emptyOrGone(`${file}-wal`))) {
    if (!none) for (const ext of ['-wal', '-shm', '']) rmSync(file + ext, { force: true }); // nothing in them: -shm is only an index of the -wal
    // The main file last: until it moves, a crash leaves the old name whole and this runs again.
    for (const ext of ['-wal', '-shm', '']) if (existsSync(old + ext)) renameSync(old + ext, file + ext);
    return { kind: 'renamed', line: `${old}, this console's data file under the name an older version gave it, is now ${file} (with its -wal file): back up that name from now on.` };
  }
  return {
    kind: 'left-unread',
    line:
      `${old}, an older version's data file, lies beside ${file} and was not read: it may hold check-ins never sent to the backend and the PINs of that time. ` +
      `The console runs on ${CONSOLE_DB}. If that is the one to keep, move ${OLD_CONSOLE_DB} (and any ${OLD_CONSOLE_DB}-wal) out of this folder; ` +
      `if ${OLD_CONSOLE_DB} is, stop the console, move ${CONSOLE_DB} and its -wal out of the folder, and start it again: ${OLD_CONSOLE_DB} is then taken.`,
  };
}

/**
 * console.db in `dir`, synchronous=FULL so an accepted check-in survives a power cut. A data folder from an older
 * console has it as outbox.db (takeOlderFile); nothing is ever overwritten.
 */
export function openConsoleDb(dir: string, opts: { repaired?: (line: string) => void; older?: (o: OlderFile) => void } = {}): Db {
  const file = join(dir, CONSOLE_DB);
  // A salvage stopped between its renames: finished before console.db is missed (its copy stands beside it, whole).
  const finished = finishSalvage(file);
  if (finished) {
    opts.repaired?.(
      `the last start was replacing a damaged ${file} with a copy of everything undamaged in it when it stopped: that was finished now, ` +
        `and the copy stands as ${CONSOLE_DB}. The damaged file is kept as ${finished.setAside} for support: it may be deleted once the console runs well. ` +
        `A disk that damages files may do it again: have it checked.`,
    );
  }
  // After a stopped salvage is finished: until then console.db may be missing though it is not lost (review27 V5).
  const older = takeOlderFile(dir, file);
  if (older) opts.older?.(older);
  // Before SQLite sees it: it would make a missing file anew, drop a damaged -wal as empty, and say a refused
  // open only as "unable to open database file".
  const lost = consoleDbUnopenable(file) ?? lostSinceMarked(file, dir);
  if (lost) throw new StartRefused(lost);
  // Before the migrations run: they would write this console's tables into someone else's file.
  if (notConsoleDb(file)) throw new StartRefused(notConsoleDbWords(file, dir));
  let db: Db;
  try {
    // Every page read once: a broken settings page would otherwise start a console no one can sign in to.
    db = openDb(file, CONSOLE_MIGRATIONS, { synchronous: 'FULL', checkPages: true });
  } catch (e) {
    if (e instanceof OtherLayout) throw new StartRefused(e.message); // it says what to do: no "could not start"
    // A full disk is no damage: said so, with room as the cure (the stack is for the log, not the words).
    if (diskProblem(e) === 'full') throw new StartRefused(diskStartWords('full', dir));
    if (!isDamagedDb(e)) throw e;
    // Damage only in what the console fills again by itself: started from a copy of the rest, the damaged file kept.
    let salvage: ReturnType<typeof salvageConsoleDb>;
    try {
      salvage = salvageConsoleDb(file);
    } catch (failed) {
      // A copy that could not be made (a full disk, a file in use) is a refused start in words, never a stack.
      if (diskProblem(failed) === 'full') throw new StartRefused(diskStartWords('full', dir));
      throw new StartRefused(consoleDbDamagedWords(file, dir, `${(e as Error).message}; a copy of the rest could not be made: ${(failed as Error).message}`));
    }
    if (!salvage.ok) throw new StartRefused(consoleDbDamagedWords(file, dir, (e as Error).message, salvage.damaged));
    try {
      db = openDb(file, CONSOLE_MIGRATIONS, { synchronous: 'FULL', checkPages: true });
    } catch (again) {
      if (!isDamagedDb(again)) throw again;
      throw new StartRefused(consoleDbDamagedWords(file, dir, (again as Error).message, []));
    }
    opts.repaired?.(
      `${file} was damaged in ${emptiedWords(salvage.emptied)}, and nowhere else: the console started from a copy of everything else in it ` +
        `(the check-ins not yet sent, the PINs, the audit log, the settings), which now stands as ${CONSOLE_DB}. ` +
        `The damaged file was kept as ${salvage.setAside} for support: it may be deleted once the console runs well. A disk that damages files may do it again: have it checked.`,
    );
  }
  const hasPins = db.prepare("SELECT 1 FROM settings WHERE key = 'pins'").get() !== undefined;
  const noPins = pinsLostSinceMarked(file, dir, hasPins);
  if (noPins) {
    db.close();
    throw new StartRefused(noPins);
  }
  // A folder marked before the mark said so: recorded now, so its PINs are guarded from this start on.
  if (hasPins && existsSync(join(dir, CONSOLE_DB_MARK))) {
    try {
      markPinsSet(dir);
    } catch {
      // A disk refusing the write: the next start tries again; nothing here depends on it.
    }
  }
  return db;
}
