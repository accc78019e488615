import { userInfo } from 'node:os';
import { basename, dirname } from 'node:path';
import { shellArg } from './shell-arg';

/** The account the console runs as: the name IT types in the chown it is told. */
export function consoleUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `user id ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Why a data-folder file could not be opened, and what IT does about it: two parts of one sentence. */
export interface OpenRefusal {
  /** "the console's user (gym) may not read and write analytics.db" */
  what: string;
  /** "give it back to the console's user (chown gym …; chmod 600 …)": whole on its own, for a line that says only this. */
  fix: string;
  /** The disk or folder is read-only (a snapshot, a backup share): a reader may work from a copy. */
  readOnly?: true;
}

const codeOf = (e: unknown): string | null =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : null;

/**
 * What the system's refusal to open `file` means, for any Node file-system code or SQLite result code; null for
 * anything else (a bug is not explained away as the disk). The file named is the one the system names, if it does
 * (a -wal owned by root, say), so IT fixes the right one. "EACCES" itself is never the whole story.
 */
export function openRefusal(e: unknown, file: string): OpenRefusal | null {
  const code = codeOf(e);
  if (!code || !(/^E[A-Z0-9]+$/.test(code) || code.startsWith('SQLITE_'))) return null;
  const path = typeof (e as { path?: unknown }).path === 'string' ? (e as { path: string }).path : file;
  const name = basename(path);
  const user = consoleUser();
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return { what: `the console's user (${user}) may not read and write ${name} (another user owns it, after the console was run once with sudo or as an administrator, or its permissions were changed)`, fix: `give it back to the console's user (chown ${user} ${shellArg(path)}; chmod 600 ${shellArg(path)})` };
  }
  if (code === 'EISDIR') return { what: `${name} is a folder, not a database file`, fix: `move the folder ${name} out of ${dirname(path)}` };
  if (code === 'ENOTAFILE') return { what: `${name} is not a plain file (a pipe, a device or a socket)`, fix: `move ${name} out of ${dirname(path)}` };
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return { what: `${name} is on a disk that is read-only for the console (or the data folder is)`, fix: 'make the data folder writable for the console\'s user', readOnly: true };
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return { what: `this PC's disk is full, so ${name} could not be opened`, fix: 'free space on the disk that holds the console\'s data folder' };
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR')) return { what: `the disk failed to read ${name} (a failing disk, or a network drive that went away)`, fix: 'check the disk that holds the console\'s data folder' };
  if (code === 'EMFILE' || code === 'ENFILE') return { what: `this PC has too many files open to open ${name}`, fix: 'restart the PC' };
  if (code === 'ELOOP') return { what: `${name} is a link that points back to itself`, fix: `replace the link ${name} with the file itself, or move it out of ${dirname(path)}` };
  return { what: `the system would not open ${name} (it said ${code})`, fix: `check that ${path} is a plain file the console's user (${user}) may read and write` };
}
