import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallFile, SmallFileError, smallFileWords } from '../core/small-file';
import { replaceFile, writeFailureWords } from '../core/disk-words';

export const PORT_FILE = 'web-port.json';
const MAX_BYTES = 4096;

export const portFile = (dataDir: string): string => join(dataDir, PORT_FILE);

/**
 * The port the browser form listens on, remembered per data dir like the web token, the kiosk (station.json)
 * and the review PC (site.json): screens left open across a restart reconnect only at the address they have.
 * `--port N` keeps N, `--port 0` forgets it (a free port on each start), no --port uses what is kept.
 */
export type KeptPort = { port: number | null; warning: string | null };

/** What the data dir keeps, read without writing anything: the port is taken before the data dir is touched. */
export function readKeptPort(dataDir: string): KeptPort {
  const file = portFile(dataDir);
  let body: unknown;
  try {
    body = JSON.parse(readSmallFile(file, MAX_BYTES).toString('utf8'));
  } catch (e) {
    if (e instanceof SmallFileError && e.problem === 'missing') return { port: null, warning: null };
    const why = e instanceof SmallFileError ? smallFileWords(e, MAX_BYTES) : 'it does not hold a port the console wrote';
    return { port: null, warning: unusable(file, why) };
  }
  const port = body && typeof body === 'object' ? (body as { port?: unknown }).port : undefined;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) return { port, warning: null };
  return { port: null, warning: unusable(file, 'it does not hold a port the console wrote') };
}

const unusable = (file: string, why: string): string =>
  `${file} could not be used (${why}): a free port is picked, so the address changes with this start; start once with --port N to keep one again.`;

/** The line said when a start without --port uses the kept one, like a kiosk's "starting as a kiosk". */
export const keptPortNote = (dataDir: string, port: number): string =>
  `starting on port ${port}, as this PC was set up (--port ${port}, kept in ${portFile(dataDir)}); start it with --port N for another, or --port 0 for a free one on each start.`;

/**
 * Saves or forgets the port after the console stands (a refused start writes nothing): `given` is --port as
 * typed (undefined: not given). Returns the line for IT, or null when nothing changed; `kept` says whether
 * the port is now remembered.
 */
export function keepPort(dataDir: string, given: number | undefined, kept: number | null): { note: string | null; warn: boolean; kept: boolean } {
  const file = portFile(dataDir);
  if (given === undefined) return { note: null, warn: false, kept: kept !== null };
  if (given === 0) {
    // A damaged file goes too: it would only be warned about on every start without --port.
    if (kept === null && !existsSync(file)) return { note: null, warn: false, kept: false };
    const was = kept === null ? 'the port file' : `port ${kept}`;
    try {
      rmSync(file, { force: true });
    } catch (e) {
      return { note: `${file} could not be removed (${writeFailureWords(e)}): a start without --port still reads it; give --port 0 on every start for a free port.`, warn: true, kept: false };
    }
    return { note: `--port 0: ${was} is no longer kept (${file} removed); each start now picks a free port, so the address changes with every restart.`, warn: false, kept: false };
  }
  if (given === kept) return { note: null, warn: false, kept: true };
  const body = { version: 1, port: given, note: `The port of this console's web address, from --port ${given}: starts without --port use it. Start with --port N for another, or --port 0 for a free one on each start.` };
  try {
    replaceFile(file, `${JSON.stringify(body, null, 2)}\n`, 0o600);
  } catch (e) {
    return { note: `port ${given} could not be kept in ${file} (${writeFailureWords(e)}): give --port ${given} on every start, or the address changes.`, warn: true, kept: false };
  }
  return { note: `port ${given} is kept in ${file}: later starts without --port use it, so open screens keep their address (--port 0 goes back to a free port on each start).`, warn: false, kept: true };
}
