import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DB, OLD_CONSOLE_DB } from '../store/open-console-db';
import { CONSOLE_DB_MARK, walGoneSinceUncleanStop } from '../store/console-db-mark';
import { CHECKPOINT_EVERY_MS } from '../store/console-db-keeper';

/**
 * A folder with console-db.json: a missing or new console.db is refused its start (lostSinceMarked); what is said
 * here is a -wal gone after a stop that was not clean (walGoneSinceUncleanStop).
 * For a folder from before console-db.json:
 * On a data folder that has been live, a console.db that is gone or empty means its PINs, queued check-ins and
 * audit log are gone: SQLite would quietly start a new one, and the first screen would set new PINs as on a
 * first run. Said here, before the file is made again. The console still starts, so the desk is not blocked.
 * A file IT emptied of PINs with sqlite3 (README, "Roles and PINs") is neither gone nor empty: no alarm.
 */
export function lostConsoleDb(dataDir: string): string | null {
  const file = join(dataDir, CONSOLE_DB);
  if (existsSync(join(dataDir, OLD_CONSOLE_DB))) return null; // an older folder: renamed on open, not lost
  if (existsSync(join(dataDir, CONSOLE_DB_MARK))) return walGoneSinceUncleanStop(file, dataDir, CHECKPOINT_EVERY_MS);
  const size = sizeOf(file);
  // A main file still empty with its commits all in the -wal is whole (a crash before the first checkpoint).
  if (size === null || (size === 0 && !sizeOf(`${file}-wal`))) {
    const what = size === null ? 'was missing' : 'was empty (0 bytes)';
    return (
      `${file} ${what}, though this data folder has been live: the PINs, the check-ins not yet sent to the backend, ` +
      'the dead letters, webhooks, desk settings and the audit log from before are gone. The console starts with a new, empty console.db: ' +
      'set new PINs now (the first screen to open the console asks for them), and tell the gym\'s IT, who may know where the file went.'
    );
  }
  return null;
}

/** A plain file's size; a pipe or folder in its place counts as there (the start is refused, naming it). */
function sizeOf(file: string): number | null {
  try {
    const s = statSync(file);
    return s.isFile() ? s.size : 1;
  } catch {
    return null;
  }
}
