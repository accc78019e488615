import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * site.json says "this data dir belongs to a live gym", so a later run with no flags never falls back to the demo.
 * Only its presence matters; the text is for the person who finds it.
 */
export function siteMarkerFile(dataDir: string): string {
  return join(dataDir, 'site.json');
}

/** Has this data dir ever been live? The marker, or saved pools from before the marker existed. */
export function wasLive(dataDir: string): boolean {
  return existsSync(siteMarkerFile(dataDir)) || existsSync(join(dataDir, 'pools.json'));
}

export function markLive(dataDir: string, now = new Date()): void {
  const file = siteMarkerFile(dataDir);
  if (existsSync(file)) return;
  const body = { version: 1, mode: 'live', firstLiveAt: now.toISOString(), note: 'This data dir belongs to a live gym: the console starts the demo here only with --demo.' };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
}
