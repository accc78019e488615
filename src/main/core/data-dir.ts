import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { LOCK_FILE, lockDataDir } from './startup/data-dir-lock';
import { makeFolder } from './make-folder';
import { dataFolderHeldWords, diskProblem, writeFailureWords } from './disk-words';
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
  /** Whether this user may write in a folder; a seam for tests, which run as root (access() says yes to root). */
  writable?: (p: string) => boolean;
}

const mayWrite = (p: string): boolean => {
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
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
    return { ok: false, problem: { kind: 'cannot-use', message: `${name} cannot be created: ${notMadeWords(e, dir)}. Give a folder this user can write to.` } };
  }
  const taken: (() => void)[] = [];
  for (const d of sameData(dir)) {
    let lock: ReturnType<typeof lockDataDir>;
    try {
      lock = lockDataDir(d);
    } catch (e) {
      for (const release of taken) release();
      // Not a damaged file (that is set aside) but something else in its place: a folder, a pipe, no permission.
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
  for (let p = dir; ; p = dirname(p)) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(p) !== p) continue; // missing: created on start
      if (code === 'ENOTDIR') continue; // a file further up, said when we reach it
      const why = code === 'EACCES' || code === 'EPERM' ? `this user is not allowed into ${dirname(p)}` : `${p} could not be looked at${code ? ` (${code})` : ''}`;
      return { kind: 'cannot-use', message: `${name} cannot be used: ${why}. Give a folder this user can read and write.` };
    }
    if (!st.isDirectory()) {
      const what = p === dir ? 'is a file, not a folder' : `is inside ${p}, which is a file, not a folder`;
      return { kind: 'not-a-folder', message: `${name} ${what}: give a folder for the console's data (a missing one is created).` };
    }
    if (!(opts.writable ?? mayWrite)(p)) {
      // A folder with a console's data in it: "give a folder" sent IT to an empty one, without the PINs and queue.
      if (p === dir && [CONSOLE_DB, OLD_CONSOLE_DB].some((f) => existsSync(join(dir, f)))) return { kind: 'cannot-use', message: dataFolderHeldWords(name) };
      const what = p === dir ? 'is not writable by this user' : `cannot be created: ${p} is not writable by this user`;
      return { kind: 'cannot-use', message: `${name} ${what}. Give a folder this user can write to.` };
    }
    return null;
  }
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
