import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_MIGRATIONS } from './console-schema';
import { isDamagedDb, openDb, type Db } from './db';
import { StartRefused } from '../startup/start-refused';
import { diskProblem, diskStartWords } from '../disk-words';
import { CONSOLE_DB_MARK, lostSinceMarked, markPinsSet, pinsLostSinceMarked } from './console-db-mark';

export const CONSOLE_DB = 'console.db';
/** Its name before it also held PINs, settings, the roster and the audit log. */
export const OLD_CONSOLE_DB = 'outbox.db';

/**
 * The one place IT is told console.db's pages are broken, whichever page (a file cut short, or one bad
 * sector in the outbox, roster or settings). Not set aside as analytics.db is: it may hold check-ins the
 * backend never got, so a person decides.
 */
export const consoleDbDamagedWords = (file: string, dir: string, detail: string): string =>
  `${file} is damaged and cannot be read (${detail}). It holds the check-ins not yet sent to the backend, the PINs and the audit log: ` +
  `keep a copy of it for support. To start afresh without them, move console.db (and any console.db-wal, console.db-shm and ${CONSOLE_DB_MARK} beside it) out of ${dir}; ` +
  'the console then starts with an empty one and asks for new PINs.';

/**
 * console.db in `dir`, synchronous=FULL so an accepted check-in survives a power cut. A data folder
 * from an older console has it as outbox.db: renamed with its -wal and -shm files (the WAL may hold
 * committed check-ins), and only when no console.db exists, so nothing is ever overwritten.
 */
export function openConsoleDb(dir: string): Db {
  const file = join(dir, CONSOLE_DB);
  const old = join(dir, OLD_CONSOLE_DB);
  if (existsSync(old) && !existsSync(file)) {
    // The main file last: until it moves, a crash leaves the old name whole and this runs again.
    for (const ext of ['-wal', '-shm', '']) if (existsSync(old + ext)) renameSync(old + ext, file + ext);
  }
  // Before SQLite sees it: it would make a missing file anew, and drop a damaged -wal as empty.
  const lost = lostSinceMarked(file, dir);
  if (lost) throw new StartRefused(lost);
  let db: Db;
  try {
    // Every page read once: a broken settings page would otherwise start a console no one can sign in to.
    db = openDb(file, CONSOLE_MIGRATIONS, { synchronous: 'FULL', checkPages: true });
  } catch (e) {
    // A full disk is no damage: said so, with room as the cure (the stack is for the log, not the words).
    if (diskProblem(e) === 'full') throw new StartRefused(diskStartWords('full', dir));
    if (!isDamagedDb(e)) throw e;
    throw new StartRefused(consoleDbDamagedWords(file, dir, (e as Error).message));
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
