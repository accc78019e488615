import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { shellArg } from './shell-arg';

/**
 * The start refusals for a data folder this user may not use, in one place. A folder that may hold a console's
 * data (PINs, check-ins not yet sent) is never answered with "give another folder": that console would start
 * empty. The likeliest story is a console started once with sudo, so the folder's owner is named when stat
 * can read it, with the command that gives the folder back.
 */

/** Who owns a folder and who this is, by name where the system says ('root'); null where there are no owners to tell (Windows). */
export interface Owners {
  owner: string;
  me: string;
  /** The owner is someone else: chown, not chmod. */
  other: boolean;
}

export function ownersOf(p: string): Owners | null {
  if (typeof process.getuid !== 'function') return null;
  let uid: number;
  try {
    uid = statSync(p).uid;
  } catch {
    return null;
  }
  const mine = process.getuid();
  return { owner: userName(uid), me: userName(mine), other: uid !== mine };
}

/** A user's name from the system's list; "user id N" when it has none (a container, a deleted account). */
function userName(uid: number): string {
  try {
    if (uid === process.getuid?.()) return userInfo().username;
  } catch {
    // no entry for this user: read the list as for anyone else
  }
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === String(uid));
    const name = line?.split(':')[0];
    if (name) return name;
  } catch {
    // no list to read
  }
  return `user id ${uid}`;
}

/** What this user may not do there and why, for a sentence: "is owned by root, so this user (nobody) may not write in it …". */
function whyNotWritable(code: string | null, who: Owners | null): string {
  if (code === 'EROFS') return 'is on a read-only disk (mounted read-only?)';
  if (who?.other) return `belongs to ${who.owner}, so this user (${who.me}) may not write in it (was the console started once with sudo?)`;
  return 'is not writable by this user';
}

/** The way to make `p` usable again, for a sentence after "…:" . */
function giveBackWords(p: string, code: string | null, who: Owners | null): string {
  if (code === 'EROFS') return 'make that disk writable again (mount it read-write)';
  if (who?.other) return `give it back to this user: sudo chown -R ${who.me} ${shellArg(p)}`;
  return `make it writable for this user again: chmod u+rwx ${shellArg(p)}`;
}

/**
 * The data folder itself exists but this user may not write in it. `held`: what is in it: 'data' (a console.db),
 * 'unknown' (this user cannot look inside: it may well hold data), 'nothing'. `choose`: how to give another folder.
 */
export function folderNotWritableWords(name: string, dir: string, code: string | null, held: 'data' | 'unknown' | 'nothing', choose: string, who = ownersOf(dir)): string {
  const why = whyNotWritable(code, who);
  const fix = giveBackWords(dir, code, who);
  if (held === 'nothing') return `${name} ${why}. To use it, ${fix}; or give a folder this user can write to (${choose}).`;
  const what = held === 'data' ? "It holds this console's data" : "This user cannot look inside it, so it may hold this console's data";
  return `${name} ${why}. ${what}: its PINs, settings and any check-ins not yet sent to the gym's system. ${capital(fix)}, then start the console again. Do not give it another folder: it would start empty, without those PINs and check-ins.`;
}

/** A data folder still to be made inside `parent`, which this user may not write in: nothing is lost by another folder. */
export function parentNotWritableWords(name: string, parent: string, code: string | null, choose: string, who = ownersOf(parent)): string {
  return `${name} cannot be created: ${parent} ${whyNotWritable(code, who)}. Give a folder this user can write to (${choose}).`;
}

/**
 * This user may not even look into `parent`, so whether the data folder is there, and holds data, cannot be told.
 * If it is this PC's console's folder, it is given back; only a new console goes elsewhere.
 */
export function notAllowedIntoWords(name: string, parent: string, choose: string, who = ownersOf(parent)): string {
  const into = who?.other ? `${parent}, which belongs to ${who.owner} (was the console started once with sudo?)` : parent;
  const fix = who?.other ? `give it back to this user: sudo chown -R ${who.me} ${shellArg(parent)}` : `make it open to this user again: chmod u+rwx ${shellArg(parent)}`;
  return `${name} cannot be used: this user${who ? ` (${who.me})` : ''} is not allowed into ${into}. If this PC's console has kept its data there (its PINs and any check-ins not yet sent), ${fix}, then start the console again. Only for a new console, give another folder (${choose}).`;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
