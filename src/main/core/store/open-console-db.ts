import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_MIGRATIONS } from './console-schema';
import { openDb, type Db } from './db';

export const CONSOLE_DB = 'console.db';
/** Its name before it also held PINs, settings, the roster and the audit log. */
const OLD_NAME = 'outbox.db';

/**
 * console.db in `dir`, synchronous=FULL so an accepted check-in survives a power cut. A data folder
 * from an older console has it as outbox.db: renamed with its -wal and -shm files (the WAL may hold
 * committed check-ins), and only when no console.db exists, so nothing is ever overwritten.
 */
export function openConsoleDb(dir: string): Db {
  const file = join(dir, CONSOLE_DB);
  const old = join(dir, OLD_NAME);
  if (existsSync(old) && !existsSync(file)) {
    // The main file last: until it moves, a crash leaves the old name whole and this runs again.
    for (const ext of ['-wal', '-shm', '']) if (existsSync(old + ext)) renameSync(old + ext, file + ext);
  }
  return openDb(file, CONSOLE_MIGRATIONS, { synchronous: 'FULL' });
}
