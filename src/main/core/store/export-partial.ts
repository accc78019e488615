import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processRunning } from '../process-running';

/**
 * An export is written beside its file under a name of its own and renamed at the end (export.ts). A kill no
 * export can catch (SIGKILL, a power cut) leaves that part-written file, up to tens of MB of member names and
 * check-ins, in a folder a manager believes holds finished exports only (probe-hostile18 F6). So the name says
 * who writes it: the process, and this PC (a pid means nothing on another PC writing to a shared folder), and
 * the next export to the folder removes those whose writer is gone.
 */

/** This PC, in 6 hex digits: the host name itself may hold dots, spaces, anything. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

/**
 * What `partialFile` puts after OUT, as a pattern: `.<12 hex>.<pid>-<host>.partial`, then SQLite's own journal files beside
 * a SQLite one. An older console named no writer (`.<12 hex>.partial`), so the writer is optional; when there, it is
 * captured (pid, host). The start-up sweep of the exports folder (export-jobs.ts) reads the same names.
 */
export const PARTIAL_SUFFIX = String.raw`\.[0-9a-f]{12}(?:\.(\d{1,10})-([0-9a-f]{6}))?\.partial(?:-journal|-wal|-shm)?`;
const PARTIAL = new RegExp(`^.+${PARTIAL_SUFFIX}$`);

/** Where this process writes an export before renaming it to `out`. */
export const partialFile = (out: string): string => `${out}.${randomBytes(6).toString('hex')}.${process.pid}-${HOST}.partial`;

/**
 * A part-written file untouched this long has no writer: an export writes its file as it goes. Two PCs with the same
 * host name (cloned VMs, containers given one --hostname) share HOST on a shared folder, so a pid not running here
 * could be a live export there: only its silence tells.
 */
export const PARTIAL_STALE_MS = 60_000;

/**
 * "Now" on the clock that stamps the folder's files: on a shared folder that is the file server's (or the other PC's),
 * and a PC whose clock runs a minute ahead would take a live export there for a stopped one (review19 M5). Read by
 * making a file there; this PC's clock when that cannot be done.
 */
function folderNow(dir: string): number {
  const probe = join(dir, `.clock-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fd = openSync(probe, 'wx');
    try {
      return fstatSync(fd).mtimeMs;
    } finally {
      closeSync(fd);
      rmSync(probe, { force: true });
    }
  } catch {
    return Date.now();
  }
}

/**
 * Removes from `dir` the part-written files of exports on this PC whose process is gone and which nothing has written
 * to for PARTIAL_STALE_MS; returns their names. Only names this exporter gives are looked at, and only plain files; a
 * pid in use again, by anything, keeps its file.
 */
export function sweepStoppedPartials(dir: string, now = folderNow(dir)): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = PARTIAL.exec(name);
    // A name with no writer (an older console's) is never this PC's to judge.
    if (!m || m[2] !== HOST || processRunning(Number(m[1]))) continue;
    try {
      const st = lstatSync(join(dir, name));
      if (!st.isFile() || now - st.mtimeMs < PARTIAL_STALE_MS) continue;
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // gone meanwhile, or not ours to remove: left as it is
    }
  }
  return removed;
}
