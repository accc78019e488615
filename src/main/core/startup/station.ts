import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallFile } from '../small-file';
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
  const saved = savedKiosk(dataDir);
  if (flags.kiosk) {
    if (saved) return { ok: true, kiosk: true, notes: [] };
    const failed = attempt(() => write(dataDir), 'this PC could not be made a kiosk');
    if (failed) return failed;
    return { ok: true, kiosk: true, notes: [`this PC is now a kiosk check-in station (${stationFile(dataDir)}): later starts need no --kiosk; start it with --desk to make it a front-desk console again.`] };
  }
  if (flags.desk) {
    if (!saved) return { ok: true, kiosk: false, notes: [] };
    const failed = attempt(() => rmSync(stationFile(dataDir), { force: true, recursive: true }), 'this PC could not be made a front-desk console');
    if (failed) return failed;
    return { ok: true, kiosk: false, notes: ['this PC is a front-desk console again (--desk); start it with --kiosk to make it a kiosk.'] };
  }
  return { ok: true, kiosk: saved, notes: saved ? ['starting as a kiosk check-in station, as this PC was set up (--kiosk); start it with --desk to make it a front-desk console.'] : [] };
}

/** A station file that cannot be read counts as a kiosk: the queue never sees the staff screens by mistake. */
function savedKiosk(dataDir: string): boolean {
  const file = stationFile(dataDir);
  if (!existsSync(file)) return false;
  try {
    const body: unknown = JSON.parse(readSmallFile(file, 4096).toString('utf8'));
    return !(body && typeof body === 'object' && (body as { kiosk?: unknown }).kiosk === false);
  } catch {
    return true;
  }
}

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
