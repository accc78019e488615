import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DEMO_SITE, siteInWords, UNNAMED_SITE } from '../../../shared/analytics';
import { PARTIAL_SUFFIX } from '../store/export-partial';

/**
 * The names the console gives exports in its exports folder (analytics-handlers.ts): riverside-gym-7d-2026-03-01T17-00-00.json
 * (gym-7d-… when the gym has no name), then -2, -3… for more in the same second; the demo's start with
 * DEMO_PREFIX. Nothing else there is ever touched by the start-up sweep.
 */
const EXPORT_NAME = String.raw`(?:demo-made-up-)?[a-z0-9]+(?:-[a-z0-9]+)*-[a-z0-9]+-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{1,4})?\.(?:csv|json|sqlite)`;
/**
 * A demo's export is made up, and its name says so first: a spreadsheet shows the file's name on its
 * window and sheet tab (Excel keeps the first 31 characters), and a CSV has no other place for a note.
 */
const DEMO_PREFIX = 'demo-made-up-';
const RESERVED = new RegExp(`^${EXPORT_NAME}$`);
/** An export being written beside its name (export-partial.ts; older consoles named no writer), with SQLite's journal files for a SQLite one. */
const PARTIAL = new RegExp(`^${EXPORT_NAME}${PARTIAL_SUFFIX}$`);

/** The longest gym part of a file name: the stamp after it must still show in a file list. */
export const SLUG_MAX = 32;
/** Latin letters that keep no plain letter once their accent is taken off. */
const LETTERS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', þ: 'th' };
/**
 * The gym's name as a file name's first part: "Riverside Gym" → riverside-gym. Letters and digits of any
 * accent lose it (Müller → muller, Søn → son); everything else becomes one dash. "gym" when no name is set; a name
 * of which nothing is left (another script) is "gym-" and six hex digits of it, the same each time, so a chain's
 * gyms named in Cyrillic or Japanese still export under names of their own (probe-hostile21 J14): a file name every
 * file system and mail filter takes. A real gym's never begins as the demo's made-up files do.
 */
export function siteSlug(site: string | undefined): string {
  const named = site === undefined || siteInWords(site) === UNNAMED_SITE || site === DEMO_SITE ? '' : site;
  const slug = latinSlug(named);
  if (slug.startsWith(DEMO_PREFIX.slice(0, -1))) return `gym-${slug}`.slice(0, SLUG_MAX).replace(/-+$/, '');
  if (slug || !named.trim()) return slug || 'gym';
  return `gym-${createHash('sha256').update(named.normalize('NFC').trim()).digest('hex').slice(0, 6)}`;
}

function latinSlug(named: string): string {
  return named
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæœßđłþ]/g, (c) => LETTERS[c]!)
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
}

/**
 * The name a new export is given (a save dialog suggests it; the exports folder adds -2… when it is taken),
 * after `site`, the gym's name as set (undefined: none). Stamped on the clock of `zone`, the gym's time
 * zone the export carries: in UTC a New Year's Eve export in New York was named for next year. Colons
 * become dashes, which every file system takes. The export CLI suggests the same name.
 */
export function exportName(site: string | undefined, range: string, now: number, format: string, zone: string, simulated = false): string {
  const local = DateTime.fromMillis(now, { zone });
  const stamp = (local.isValid ? local : DateTime.fromMillis(now, { zone: 'utc' })).toFormat("yyyy-LL-dd'T'HH-mm-ss");
  return `${simulated ? DEMO_PREFIX : ''}${siteSlug(site)}-${range}-${stamp}.${format}`;
}

/**
 * What an export stopped by a crash left in the exports folder: its `.partial` files, and the empty file
 * that reserved its name (a finished export is never empty). Only run at start, when no export is running.
 */
export function sweepExportsDir(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no exports yet
  }
  const removed: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const st = lstatSync(file);
      if (!st.isFile()) continue;
      if (PARTIAL.test(name) || (RESERVED.test(name) && st.size === 0)) {
        rmSync(file, { force: true });
        removed.push(name);
      }
    } catch {
      // gone meanwhile, or not ours to read: left as it is
    }
  }
  return removed;
}

/** The exports being written: a stop ends each at its next pause, and waits until it has removed its files. */
export class ExportJobs {
  private readonly running = new Map<AbortController, Promise<unknown>>();
  private stopping = false;

  /** `job` removes whatever it made when it fails; its signal is aborted when the console stops (already, if it is stopping). */
  run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ctl = new AbortController();
    if (this.stopping) ctl.abort();
    const p = job(ctl.signal);
    this.running.set(ctl, p);
    const done = (): void => void this.running.delete(ctl);
    p.then(done, done);
    return p;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const jobs = [...this.running];
    for (const [ctl] of jobs) ctl.abort();
    await Promise.allSettled(jobs.map(([, p]) => p));
  }
}
