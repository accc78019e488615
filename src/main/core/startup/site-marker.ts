import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallFile } from '../small-file';

/**
 * site.json says what this data dir is, so a later run with no flags starts it as that again: a live gym
 * (never the demo without --demo) or a PC for reviewing exports (never the demo either). The text is for
 * the person who finds it.
 */
export function siteMarkerFile(dataDir: string): string {
  return join(dataDir, 'site.json');
}

export type SiteMode = 'live' | 'review';

/** What the data dir was set up as; null for a new one. A marker that cannot be read counts as live: the safe side. */
export function siteMode(dataDir: string): SiteMode | null {
  const file = siteMarkerFile(dataDir);
  if (existsSync(file)) return readMode(file);
  // Saved pools from before the marker existed.
  return existsSync(join(dataDir, 'pools.json')) ? 'live' : null;
}

/** Has this data dir ever been live? */
export function wasLive(dataDir: string): boolean {
  return siteMode(dataDir) === 'live';
}

/**
 * Has a console run live here, so that a console.db must have been made? A live start writes site.json; a folder
 * from before that marker shows its runs by analytics.db (the demo and review PCs keep theirs in sub-folders).
 * A pools.json alone is a folder IT prepared for a new PC: live, but its first start.
 */
export function hasRunLive(dataDir: string): boolean {
  const file = siteMarkerFile(dataDir);
  if (existsSync(file)) return readMode(file) === 'live';
  return existsSync(join(dataDir, 'pools.json')) && existsSync(join(dataDir, 'analytics.db'));
}

/** Marks the data dir live; a review PC connected to a gym becomes a live one. */
export function markLive(dataDir: string, now = new Date()): void {
  if (existsSync(siteMarkerFile(dataDir)) && siteMode(dataDir) === 'live') return;
  write(dataDir, { version: 1, mode: 'live', firstLiveAt: now.toISOString(), note: 'This data dir belongs to a live gym: the console starts the demo here only with --demo.' });
}

/** Marks a new data dir as a PC for reviewing exports; a live one stays live (its review runs are one-offs). */
export function markReview(dataDir: string, now = new Date()): void {
  if (siteMode(dataDir) !== null) return;
  write(dataDir, { version: 1, mode: 'review', firstReviewAt: now.toISOString(), note: 'This data dir is a PC for reviewing exports: the console starts review-only here. Start it with --backend to connect it to a gym instead.' });
}

function readMode(file: string): SiteMode {
  try {
    const body: unknown = JSON.parse(readSmallFile(file, 4096).toString('utf8'));
    return body && typeof body === 'object' && (body as { mode?: unknown }).mode === 'review' ? 'review' : 'live';
  } catch {
    return 'live';
  }
}

/** Temp and rename: a crash mid-write leaves the old marker, never half of one (read as live). */
function write(dataDir: string, body: object): void {
  const file = siteMarkerFile(dataDir);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
