import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../disk-words';

/**
 * console-db.json: written once console.db's schema is in its main file (checkpointed out of the -wal), so
 * a later start knows, without SQLite, that this folder's console.db has held data. SQLite takes a main file
 * whose -wal is gone or damaged as a new, empty database; without this mark that passed for a first run:
 * no PINs (the first screen set them), the unsent check-ins silently gone.
 */
export const CONSOLE_DB_MARK = 'console-db.json';

export function markFile(dir: string): string {
  return join(dir, CONSOLE_DB_MARK);
}

/** Written once; a mark that cannot be written now is tried again at the next checkpoint. */
export function markConsoleDbKept(dir: string, now = new Date()): void {
  if (existsSync(markFile(dir))) return;
  const body = {
    version: 1,
    since: now.toISOString(),
    note:
      'console.db in this folder holds the PINs, the check-ins not yet sent to the backend and the audit log: a start that finds it missing, or new, is refused. ' +
      'Restore console.db together with its console.db-wal file from a backup, or delete this file to start afresh with new PINs.',
  };
  replaceFile(markFile(dir), `${JSON.stringify(body, null, 2)}\n`);
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Why console.db cannot be this folder's any more, though the mark says it held data: gone, empty, or a main
 * file with no schema (its commits were all in a -wal that is lost or damaged). Read from the file's header,
 * never through SQLite, which would take the damaged -wal as empty and drop it on close. null: no mark, or
 * the file looks like it did; a damaged or odd file is left to the open, which names it.
 */
export function lostSinceMarked(file: string, dir: string): string | null {
  if (!existsSync(markFile(dir))) return null;
  const head = header(file);
  const what =
    head === null ? 'is missing' :
    head === 'not-a-file' ? null :
    head.length === 0 ? 'is empty (0 bytes)' :
    head.length === 100 && head.subarray(0, 16).equals(SQLITE_MAGIC) && head.readUInt32BE(60) === 0
      ? `holds none of this console's data: its other part, ${file}-wal, is missing or damaged (after a crash, everything since the last save to the main file can be in that file alone)`
      : null;
  if (!what) return null;
  return (
    `${file} ${what}, though this data folder's console.db has held the PINs, the check-ins not yet sent to the backend and the audit log (${markFile(dir)}). ` +
    'The console does not start, so that a first-run screen cannot set new PINs over them. Restore console.db together with its console.db-wal file from a backup of this folder ' +
    `(copy both, with the console stopped), then start again; or, to start afresh without them, delete ${markFile(dir)} (the new console asks for new PINs).`
  );
}

/** The first 100 bytes (SQLite's header); null when there is no file, 'not-a-file' for a folder or pipe. */
function header(file: string): Buffer | null | 'not-a-file' {
  let size: number;
  try {
    const s = statSync(file);
    if (!s.isFile()) return 'not-a-file';
    size = s.size;
  } catch {
    return null;
  }
  const buf = Buffer.alloc(Math.min(100, size));
  if (!buf.length) return buf;
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
}
