import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { LOCK_FILE, lockDataDir } from './startup/data-dir-lock';
import { makeFolder } from './make-folder';
import { diskProblem, diskStartWords, writeFailureWords } from './disk-words';
import { folderNotWritableWords, notAllowedIntoWords, parentNotWritableWords } from './data-dir-words';
import { CONSOLE_DB, OLD_CONSOLE_DB } from './store/open-console-db';

export const APP_DIR_NAME = 'av-gym-console';

/** Where the console keeps its data when not told: the per-user application data folder of each OS. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AV_GYM_DATA_DIR) return resolve(env.AV_GYM_DATA_DIR);
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
    default:
      // Empty or relative counts as unset (the XDG spec): an empty one put the data folder in the current directory.
      return join(env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share'), APP_DIR_NAME);
  }
}

export function ensureDataDir(dir: string): string {
  makeFolder(dir, 0o700);
  return dir;
}

export type DataDirProblem = {
  /** not-a-folder: the path is wrong (a bad argument); cannot-use: this user or this disk cannot have it there; in-use: another console has it. */
  kind: 'not-a-folder' | 'cannot-use' | 'in-use';
  message: string;
};

export interface OpenOptions {
  /** How the user named the folder, for the messages: '--data-dir' on the command line; omitted, "the data folder". */
  flag?: string;
  /** How to give another folder, for the messages; by default the web host's flag and the variable both hosts read. */
  choose?: string;
  /** Why this user may not write in a folder (an errno code: EROFS a read-only disk), null if it may; a seam for tests, which run as root (access() says yes to root). */
  writeRefusal?: (p: string) => string | null;
  /** A folder's names; a seam for tests (root may list any folder). */
  list?: (p: string) => string[];
}

const CHOOSE = '--data-dir DIR, or AV_GYM_DATA_DIR=DIR';

const writeRefusal = (p: string): string | null => {
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
};

/**
 * The data folder, created if missing (mode 0700) and locked for this process, or why not. Checked before
 * anything is created, so a refused start leaves the disk as it was. The demo's own `demo/` is part of its
 * folder: a console started on DIR/demo and one on DIR are refused while the other runs.
 * The export command only reads, and does not take the lock.
 */
export function openDataDir(dir: string, opts: OpenOptions = {}): { ok: true; dir: string } | { ok: false; problem: DataDirProblem } {
  const name = folderName(dir, opts);
  const problem = dataDirProblem(dir, opts);
  if (problem) return { ok: false, problem };
  try {
    ensureDataDir(dir);
  } catch (e) {
    return { ok: false, problem: { kind: 'cannot-use', message: `${name} cannot be created: ${notMadeWords(e, dir)}. Give a folder this user can write to (${opts.choose ?? CHOOSE}).` } };
  }
  const taken: (() => void)[] = [];
  for (const d of sameData(dir)) {
    let lock: ReturnType<typeof lockDataDir>;
    try {
      lock = lockDataDir(d);
    } catch (e) {
      for (const release of taken) release();
      // The disk refuses the lock's write (full above all): said as the running console says it, never "another folder".
      const disk = diskProblem(e);
      if (disk) return { ok: false, problem: { kind: 'cannot-use', message: diskStartWords(disk, dir) } };
      // Not a damaged file (that is set aside) but something else in its place: a folder, a pipe.
      const file = join(d, LOCK_FILE);
      return { ok: false, problem: { kind: 'cannot-use', message: `${file} cannot be used as the console's lock file (${(e as { code?: string }).code ?? (e as Error).message}): remove whatever is there (the console makes it again), or give a data folder this user can write to.` } };
    }
    if (lock.ok) {
      taken.push(lock.release);
      continue;
    }
    for (const release of taken) release();
    const who = lock.pid === null ? '' : ` (process ${lock.pid})`;
    const own = opts.flag ? `give this one its own ${opts.flag}` : 'give this one a data folder of its own';
    return { ok: false, problem: { kind: 'in-use', message: `Another AV Gym Console is already running on this data folder${who}. Close it first, or ${own}.` } };
  }
  return { ok: true, dir };
}

/** Why `dir` cannot be a data folder, found without creating anything; null when it can be. */
export function dataDirProblem(dir: string, opts: OpenOptions = {}): DataDirProblem | null {
  const name = folderName(dir, opts);
  const choose = opts.choose ?? CHOOSE;
  for (let p = dir; ; p = dirname(p)) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(p) !== p) continue; // missing: created on start
      if (code === 'ENOTDIR') continue; // a file further up, said when we reach it
      if (code === 'EACCES' || code === 'EPERM') return { kind: 'cannot-use', message: notAllowedIntoWords(name, dirname(p), choose) };
      return { kind: 'cannot-use', message: `${name} cannot be used: ${p} could not be looked at${code ? ` (${code})` : ''}. Give a folder this user can read and write (${choose}).` };
    }
    if (!st.isDirectory()) {
      const what = p === dir ? 'is a file, not a folder' : `is inside ${p}, which is a file, not a folder`;
      return { kind: 'not-a-folder', message: `${name} ${what}: give a folder for the console's data (a missing one is created).` };
    }
    const refused = (opts.writeRefusal ?? writeRefusal)(p);
    if (refused) {
      // A folder that may hold a console's data: "give a folder" sent IT to an empty one, without the PINs and queue.
      if (p === dir) return { kind: 'cannot-use', message: folderNotWritableWords(name, dir, refused, heldIn(dir, opts.list ?? ((d) => readdirSync(d))), choose) };
      return { kind: 'cannot-use', message: parentNotWritableWords(name, p, refused, choose) };
    }
    return null;
  }
}

/** What a data folder holds, as far as this user can tell: one it cannot list may well hold a console's data. */
function heldIn(dir: string, list: (p: string) => string[]): 'data' | 'unknown' | 'nothing' {
  let names: string[];
  try {
    names = list(dir);
  } catch {
    return 'unknown';
  }
  return names.includes(CONSOLE_DB) || names.includes(OLD_CONSOLE_DB) ? 'data' : 'nothing';
}

/** Why a folder could not be made, in words: the codes are for IT's search engine, not a sentence. */
function notMadeWords(e: unknown, dir: string): string {
  const where = dirname((e as { path?: string }).path ?? dir);
  // mkdir's ENOENT with the parent there: a system mount (/proc) that takes no folders.
  if ((e as { code?: string }).code === 'ENOENT') return `${where} does not take new folders (it looks like a system folder)`;
  if (diskProblem(e) === 'not-allowed') return `this user is not allowed to make folders in ${where}`;
  return writeFailureWords(e);
}

const folderName = (dir: string, opts: OpenOptions): string => (opts.flag ? `${opts.flag} ${dir}` : `The data folder ${dir}`);

/** The lock files that guard this folder's data: its own, and its parent's or demo/'s where a console has used them. */
function sameData(dir: string): string[] {
  const dirs = [dir];
  if (basename(dir) === 'demo' && existsSync(join(dirname(dir), LOCK_FILE))) dirs.push(dirname(dir));
  if (existsSync(join(dir, 'demo', LOCK_FILE))) dirs.push(join(dir, 'demo'));
  return dirs;
}
