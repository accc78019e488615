import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallFile, SmallFileError } from '../small-file';
import { writeFailureWords } from '../disk-words';

/**
 * Whether this PC is a kiosk check-in station, remembered in station.json: a kiosk restarted without
 * --kiosk (a power cut, a startup entry typed without it) must not greet the queue with the staff sign-in.
 * --kiosk makes the PC a kiosk, --desk a desk console again.
 */
export interface StationFlags {
  kiosk?: boolean;
  desk?: boolean;
}

export type Station = { ok: true; kiosk: boolean; notes: string[] } | { ok: false; problem: string };

export function stationFile(dataDir: string): string {
  return join(dataDir, 'station.json');
}

/** Refused before anything is created or saved. */
export function stationProblem(flags: StationFlags): string | null {
  return flags.kiosk && flags.desk ? '--kiosk and --desk do not go together: --kiosk makes this PC a check-in station, --desk a front-desk console. Leave out one of them.' : null;
}

/** Decides kiosk or desk for this run, saving a change of role; `review`: this run only reviews exports, so no kiosk. */
export function resolveStation(dataDir: string, flags: StationFlags, review: boolean): Station {
  const problem = stationProblem(flags);
  if (problem) return { ok: false, problem };
  if (review) {
    if (flags.kiosk) return { ok: false, problem: 'This data dir is a PC for reviewing exports, and a kiosk checks members in: leave out --kiosk, or use another --data-dir for the kiosk.' };
    return { ok: true, kiosk: false, notes: [] };
  }
  const { kiosk: saved, unreadable } = savedKiosk(dataDir);
  if (flags.kiosk) {
    if (saved) return { ok: true, kiosk: true, notes: [] };
    const failed = attempt(() => write(dataDir), 'this PC could not be made a kiosk');
    if (failed) return failed;
    return { ok: true, kiosk: true, notes: [`this PC is now a kiosk check-in station (${stationFile(dataDir)}): later starts need no --kiosk; start it with --desk to make it a front-desk console again.`] };
  }
  if (flags.desk) {
    if (!saved && !unreadable) return { ok: true, kiosk: false, notes: [] };
    const failed = attempt(() => rmSync(stationFile(dataDir), { force: true, recursive: true }), 'this PC could not be made a front-desk console');
    if (failed) return failed;
    return { ok: true, kiosk: false, notes: ['this PC is a front-desk console again (--desk); start it with --kiosk to make it a kiosk.'] };
  }
  if (unreadable) return { ok: true, kiosk: true, notes: [unreadableNote(dataDir, unreadable)] };
  return { ok: true, kiosk: saved, notes: saved ? ['starting as a kiosk check-in station, as this PC was set up (--kiosk); start it with --desk to make it a front-desk console.'] : [] };
}

/**
 * Said on stderr and in the log. Only --kiosk ever writes the file, so one that cannot be read was most
 * likely a kiosk's: it starts as one, the screen that shows least, never staff screens to a queue by mistake.
 */
function unreadableNote(dataDir: string, what: string): string {
  return (
    `${stationFile(dataDir)} ${what}; only a kiosk start writes it, so this PC starts as a kiosk check-in station, the screen that shows least. ` +
    'If this PC is a front desk, start it once with --desk (that removes the file); --kiosk writes it again.'
  );
}

/**
 * kiosk: the file says so; unreadable: what is wrong with a file that says neither (once said as "as this PC
 * was set up (--kiosk)", a setup that never happened).
 */
function savedKiosk(dataDir: string): { kiosk: boolean; unreadable: string | null } {
  const file = stationFile(dataDir);
  if (!existsSync(file)) return { kiosk: false, unreadable: null };
  let body: unknown;
  try {
    body = JSON.parse(readSmallFile(file, 4096).toString('utf8'));
  } catch (e) {
    const problem = e instanceof SmallFileError ? e.problem : null;
    return { kiosk: false, unreadable: problem === 'not-a-file' ? 'is not a file' : problem === 'not-allowed' ? 'cannot be read by this user' : NOT_OURS };
  }
  const kiosk = body && typeof body === 'object' ? (body as { kiosk?: unknown }).kiosk : undefined;
  return typeof kiosk === 'boolean' ? { kiosk, unreadable: null } : { kiosk: false, unreadable: NOT_OURS };
}

const NOT_OURS = 'cannot be read (it is not what the console writes there)';

function attempt(change: () => void, failure: string): Station | null {
  try {
    change();
    return null;
  } catch (e) {
    return { ok: false, problem: `${failure}: station.json could not be changed (${writeFailureWords(e)}): check that the data folder is writable.` };
  }
}

function write(dataDir: string): void {
  const file = stationFile(dataDir);
  const body = { version: 1, kiosk: true, since: new Date().toISOString(), note: 'This PC is a kiosk check-in station: the console starts as a kiosk here. Start it with --desk to make it a front-desk console.' };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
