import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
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

const markBody = (now: Date) => ({
  version: 1,
  since: now.toISOString(),
  note:
    'console.db in this folder holds the PINs, the check-ins not yet sent to the backend and the audit log: a start that finds it missing, or new, is refused. ' +
    'Restore console.db together with its console.db-wal file from a backup, or delete this file to start afresh with new PINs.',
});

/** Written once; a mark that cannot be written now is tried again at the next checkpoint. */
export function markConsoleDbKept(dir: string, now = new Date()): void {
  if (existsSync(markFile(dir))) return;
  replaceFile(markFile(dir), `${JSON.stringify(markBody(now), null, 2)}\n`);
}

/** The mark as written, or null when it is missing or not ours to read (a start then goes by the file's header alone). */
function readMark(dir: string): Record<string, unknown> | null {
  try {
    const m = JSON.parse(readFileSync(markFile(dir), 'utf8')) as unknown;
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Records in the mark that PINs were set (once): a console.db found later with none is then not this folder's
 * (a fresh console's file restored over it, or PINs lost with a -wal), and the start is refused rather than a
 * first-run screen setting the manager PIN. Written with the mark itself if it is not there yet.
 */
export function markPinsSet(dir: string, now = new Date()): void {
  const m = readMark(dir);
  if (typeof m?.pinsSet === 'string') return;
  replaceFile(markFile(dir), `${JSON.stringify({ ...(m ?? markBody(now)), pinsSet: now.toISOString() }, null, 2)}\n`);
}

/** Why console.db, open, cannot be this folder's: it holds no PINs though the mark says PINs were set. null: it may be. */
export function pinsLostSinceMarked(file: string, dir: string, hasPins: boolean): string | null {
  if (hasPins || typeof readMark(dir)?.pinsSet !== 'string') return null;
  return (
    `${file} holds no PINs, though PINs were set in this data folder (${markFile(dir)}): it is not this folder's console.db (another console's file restored over it?), or its PINs were lost with its console.db-wal file. ` +
    'The console does not start, so that a first-run screen cannot set new PINs. Restore this folder\'s console.db together with its console.db-wal file from a backup ' +
    `(copy both, with the console stopped), then start again; or, to start afresh with new PINs (as IT does after clearing forgotten ones), delete ${markFile(dir)}.`
  );
}

/**
 * While a run has console.db open, the mark says so (`openSince`); a clean stop, whose close folds the -wal into
 * the main file and removes it, takes that away. A run that did not stop cleanly always leaves its -wal behind,
 * so one missing then was removed by something else (a backup or clean-up tool), and with it the commits since
 * the last checkpoint. A mark that cannot be written is only a warning missed: the console runs regardless.
 */
export function markOpen(dir: string, now = new Date()): void {
  const m = readMark(dir);
  if (!m) return; // written by the keeper's first checkpoint; a folder without one has nothing to guard yet
  const rest = { ...m };
  delete rest.closingSince; // a close that began last run and never finished: this run is open now
  try {
    replaceFile(markFile(dir), `${JSON.stringify({ ...rest, openSince: now.toISOString() }, null, 2)}\n`);
  } catch {
    // A disk refusing the write refuses the commits too, and those are said where they fail.
  }
}

/**
 * Just before console.db closes: a stop killed between the close (which folds the -wal in and removes it) and
 * markClosed left a mark saying "open" beside no -wal, and the next start warned of check-ins lost that were all kept
 * (probe22 K3). A -wal gone while the mark says closing was folded in by that close.
 */
export function markClosing(dir: string, now = new Date()): void {
  const m = readMark(dir);
  if (!m || !('openSince' in m)) return;
  try {
    replaceFile(markFile(dir), `${JSON.stringify({ ...m, closingSince: now.toISOString() }, null, 2)}\n`);
  } catch {
    // Unwritten: a kill in the close's last moments may then warn falsely, as before.
  }
}

/** After console.db closed cleanly (its -wal folded in and removed). */
export function markClosed(dir: string): void {
  const m = readMark(dir);
  if (!m || !('openSince' in m)) return;
  const rest = { ...m };
  delete rest.openSince;
  delete rest.closingSince;
  try {
    replaceFile(markFile(dir), `${JSON.stringify(rest, null, 2)}\n`);
  } catch {
    // The next start then warns of a -wal it finds missing: a false alarm, never a silent loss.
  }
}

/**
 * Why check-ins from the last run's final moments may be gone: it did not stop cleanly (the mark still says
 * console.db was open) and console.db-wal, which it must have left, is not there. The main file is whole up to
 * the last checkpoint, so the console starts; IT is told. null: a clean stop, or the -wal is there.
 */
export function walGoneSinceUncleanStop(file: string, dir: string, checkpointEveryMs: number): string | null {
  const m = readMark(dir);
  const since = m?.openSince;
  if (typeof since !== 'string' || existsSync(`${file}-wal`) || 'closingSince' in m!) return null;
  return (
    `${file}-wal was missing at this start, though the console did not stop cleanly last time (a crash, a power cut or a forced stop; ${markFile(dir)} says console.db was still open): ` +
    `that file held the newest changes to console.db, so check-ins decided on this PC in about the last ${Math.round(checkpointEveryMs / 1000)} seconds before it stopped may be lost without having reached the backend. ` +
    'Everything older is kept and the console starts. If a backup or clean-up tool removed the file, set it to keep console.db and console.db-wal together; ' +
    'the backend\'s own records show which check-ins it received.'
  );
}

/**
 * The last run did not stop cleanly (the mark still says console.db was open) and left its -wal, as such a stop
 * does: nothing saved is lost, but IT should hear of it, once: a PC crashing every night said nothing anywhere
 * (probe22 K5). Read before this start marks console.db open. null: a clean stop, or the -wal gone (said apart).
 */
/** Its detail (what the event list shows under its label); null: a clean stop, or the -wal gone. */
export function uncleanStop(file: string, dir: string): string | null {
  const since = readMark(dir)?.openSince;
  if (typeof since !== 'string' || !existsSync(`${file}-wal`)) return null;
  const at = new Date(since);
  const when = Number.isNaN(at.getTime()) ? '' : `The run that began ${at.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })} ended in `;
  // The event list's detail under its label ("The console did not stop cleanly last time"); the log puts the two together.
  return (
    `${when ? `${when}a crash, a power cut or a forced stop` : 'A crash, a power cut or a forced stop'}, or this folder is a copy taken while it ran (a backup put back). ` +
    "Nothing it had saved is lost (a copy holds only what was saved before it was taken): check-ins waiting for the backend are sent as usual. If this happens again, the log file says what the console was doing before it stopped."
  );
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
    // No schema at all (schema cookie 0): every table was in the -wal. Another program's file has its own tables, and
    // is named by the open as not this console's; its user_version (offset 60) is 0 too, so that told nothing (probe27b D3).
    head.length === 100 && head.subarray(0, 16).equals(SQLITE_MAGIC) && head.readUInt32BE(40) === 0
      ? `holds none of this console's data: its other part, ${file}-wal, is missing or damaged (after a crash, everything since the last save to the main file can be in that file alone)`
      : null;
  if (!what) return null;
  return (
    `${file} ${what}, though this data folder's console.db has held the PINs, the check-ins not yet sent to the backend and the audit log (${markFile(dir)}). ` +
    'The console does not start, so that a first-run screen cannot set new PINs over them. Restore console.db together with its console.db-wal file from a backup of this folder ' +
    `(copy both, with the console stopped), then start again; or, to start afresh without them, delete ${markFile(dir)} (the new console asks for new PINs).`
  );
}

/**
 * A console.db this console's migrations have written (user_version set in its header, read without SQLite): a live
 * gym's, with no console-db.json beside it as when IT restores that file alone (probe27b D2). The demo and review PCs
 * keep theirs in sub-folders.
 */
export function consoleDbHeldData(file: string): boolean {
  const head = header(file);
  return Buffer.isBuffer(head) && head.length === 100 && head.subarray(0, 16).equals(SQLITE_MAGIC) && head.readUInt32BE(60) > 0;
}

/** The first 100 bytes (SQLite's header); null when there is no file, 'not-a-file' for a folder, a pipe or one not to be opened. */
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
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return 'not-a-file'; // one the system will not open is left to the open, which says why in words
  }
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
}
