import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** What stopped a write to this PC's disk, when it is the disk (full, read-only, not allowed); null for anything else. */
export type DiskProblem = 'full' | 'read-only' | 'not-allowed';

/** Node's errno codes and SQLite's result codes (better-sqlite3 puts them on `code`) for the same few causes. */
const BY_CODE: Record<string, DiskProblem> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  SQLITE_FULL: 'full',
  EROFS: 'read-only',
  SQLITE_READONLY: 'read-only',
  SQLITE_READONLY_DBMOVED: 'read-only',
  SQLITE_READONLY_DIRECTORY: 'read-only',
  SQLITE_READONLY_RECOVERY: 'read-only',
  SQLITE_READONLY_CANTINIT: 'read-only',
  SQLITE_READONLY_CANTLOCK: 'read-only',
  SQLITE_READONLY_ROLLBACK: 'read-only',
  EACCES: 'not-allowed',
  EPERM: 'not-allowed',
  SQLITE_PERM: 'not-allowed',
  SQLITE_IOERR_WRITE: 'full', // SQLite says a failed write on a full disk so on some systems
};

export function diskProblem(e: unknown): DiskProblem | null {
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : '';
  return BY_CODE[code] ?? null;
}

/** "… could not be saved: <this>". */
export const DISK_WORDS: Record<DiskProblem, string> = {
  full: "this PC's disk is full",
  'read-only': "this PC's disk (or the console's data folder) is read-only",
  'not-allowed': 'the console is not allowed to write in its data folder',
};

/** Why a file write failed, in words for a sentence; the code for IT when it is not the disk. */
export function writeFailureWords(e: unknown): string {
  const p = diskProblem(e);
  if (p) return DISK_WORDS[p];
  const code = typeof e === 'object' && e !== null && 'code' in e ? ` (${String(e.code)})` : '';
  return `it could not be written${code}`;
}

/**
 * Replaces `file` whole or not at all: a new temp file (created, never opened if something is there, so no pipe
 * or link is written through), synced, then renamed over. A crash or a full disk leaves the old file as it was.
 */
export function replaceFile(file: string, data: string | Buffer, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  try {
    unlinkSync(tmp); // left by a crash
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let n = 0; n < bytes.length; ) n += writeSync(fd, bytes, n);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone, or the disk refuses even that: the next save removes it
    }
    throw e;
  }
}

/** A request refused because the console could not write its data (SQLite or a file), in staff's words. */
export const DISK_REFUSAL: Record<DiskProblem, string> = {
  full: "This PC's disk is full, so this could not be saved. Tell the gym's IT: the disk that holds the console's data needs free space.",
  'read-only': "This PC's disk is read-only, so this could not be saved. Tell the gym's IT: the console's data folder must be writable.",
  'not-allowed': "The console is not allowed to write in its data folder, so this could not be saved. Tell the gym's IT.",
};

/**
 * A start refused because the disk will not take the console's writes (its lock, console.db), in the running
 * console's words, naming the folder. Never "give another data folder": a live gym's console would start
 * there as a new one (the demo), without its PINs, settings and the check-ins waiting to send.
 */
export function diskStartWords(problem: DiskProblem, dir: string): string {
  const dont = "Do not start it on another data folder: it would start without this gym's PINs, settings and the check-ins waiting to send.";
  switch (problem) {
    case 'full':
      return `This PC's disk is full, so the console cannot start on its data folder ${dir}. Tell the gym's IT: the disk that holds the console's data needs free space. Start the console again once there is room. ${dont}`;
    case 'read-only':
      return `This PC's disk (or the console's data folder ${dir}) is read-only, so the console cannot start on it. Tell the gym's IT: the console's data folder must be writable. Start the console again once it is. ${dont}`;
    case 'not-allowed':
      return `The console is not allowed to write in its data folder ${dir}, so it cannot start. Tell the gym's IT: the console's data folder must be writable by the user that runs it. Start the console again once it is. ${dont}`;
  }
}

/**
 * A check-in whose offline answer could not be kept: the kiosk shows this as its verdict, so it says what to
 * do at the door. The check-in itself is still held in memory and sent when the backend answers (the
 * backend then decides it), so the words may not say it was not taken.
 */
const KEEP_BY_HAND = "Let the member in by hand if they may come in, and tell the gym's IT. The check-in is still sent to the gym's system when it answers, unless the console stops first.";
export const CHECKIN_DISK_REFUSAL: Record<DiskProblem, string> = {
  full: `This PC's disk is full, so it could not keep its answer for this check-in. ${KEEP_BY_HAND}`,
  'read-only': `This PC's disk is read-only, so it could not keep its answer for this check-in. ${KEEP_BY_HAND}`,
  'not-allowed': `The console may not write its data, so it could not keep its answer for this check-in. ${KEEP_BY_HAND}`,
};

/** The outbox alert (Overview and Health's local-database check) when its writes fail for the disk's sake. */
export const OUTBOX_DISK_ALERT: Record<DiskProblem, string> = {
  full: "This PC's disk is full: check-ins and staff actions are held in memory and sent from there, but lost if the console stops before there is room. Tell the gym's IT to free space on the disk that holds the console's data.",
  'read-only': "This PC's disk is read-only: check-ins and staff actions are held in memory and sent from there, but lost if the console stops. Tell the gym's IT: the console's data folder must be writable.",
  'not-allowed': "The console may not write its data folder: check-ins and staff actions are held in memory and sent from there, but lost if the console stops. Tell the gym's IT.",
};

/**
 * The outbox alert while `n` messages exist only in memory (their write failed; `checkins`: all of them are
 * check-ins): what a restart would lose, counted, until a write takes and they are on disk again.
 * `problem` null: the write failed for another reason, told after this by the caller.
 */
export function memoryOnlyWords(problem: DiskProblem | null, n: number, checkins: boolean): string {
  const what = checkins ? (n === 1 ? 'check-in' : 'check-ins') : n === 1 ? 'message' : 'messages';
  const [is, they] = n === 1 ? ['is', 'it is'] : ['are', 'they are'];
  const head = `${n} ${what} ${is} only in this PC's memory`;
  switch (problem) {
    case 'full':
      return `${head} because its disk is full: ${they} lost if the console stops before there is room. Tell the gym's IT to free space on the disk that holds the console's data.`;
    case 'read-only':
      return `${head} because its disk (or the console's data folder) is read-only: ${they} lost if the console stops before it can write there again. Tell the gym's IT: the console's data folder must be writable.`;
    case 'not-allowed':
      return `${head} because the console is not allowed to write in its data folder: ${they} lost if the console stops before it may again. Tell the gym's IT.`;
    case null:
      return `${head} because the outbox cannot be written to disk: ${they} lost if the console stops before it can.`;
  }
}

/**
 * Health's stores warning while the data folder cannot be written (chmod, a changed owner): SQLite keeps
 * writing through the files it has open, so nothing fails until the next start refuses. `waiting`: check-ins
 * and staff actions not yet sent. Said so that IT makes this folder writable, not starts on an empty one.
 */
export function folderUnwritableWords(dir: string, waiting: number): string {
  const held = waiting === 0 ? "this PC's PINs and settings" : `this PC's PINs and the ${waiting === 1 ? '1 check-in or staff action' : `${waiting} check-ins and staff actions`} not yet sent`;
  return `The console's data folder ${dir} can no longer be written. The console keeps working for now, but it will not start again until the folder is writable: tell the gym's IT to make this folder writable again. Do not start the console on another folder, or it starts without ${held}.`;
}

/** Whether `dir` takes a new file now: a small temp file created and removed (access() says yes to root, and on some mounts). */
export function folderTakesFiles(dir: string): boolean {
  const file = join(dir, `.write-probe-${process.pid}`);
  try {
    closeSync(openSync(file, 'w', 0o600));
  } catch (e) {
    return diskProblem(e) === null; // not the disk or permission: not this probe's to say
  }
  try {
    unlinkSync(file);
  } catch {
    return false; // made but cannot be removed: the folder no longer takes changes
  }
  return true;
}
