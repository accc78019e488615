import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYTICS_MIGRATIONS } from './analytics-schema';
import { AnalyticsStore } from './analytics-store';
import { isDamagedDb, openDb } from './db';

/**
 * What staff and IT are told once SQLite says analytics.db's pages are broken: what stops working,
 * what does not, and what to do. Analytics only: the desk never needs it, so the console keeps running.
 */
export const analyticsDamagedWords = (file: string): string =>
  `The analytics database (${file}) is damaged: some of its pages cannot be read (a bad disk sector, or a copy taken while the console was using it). ` +
  'Charts, the event log and exports may fail until it is replaced. Check-ins, the desk and the kiosk do not use it and keep working. ' +
  'Restart the console at a quiet moment: it sets the damaged file aside (kept for support) and starts a new, empty one.';

/**
 * analytics.db in `dir`; a damaged file is set aside (never deleted), a fresh one started, and the user told.
 * `suspect`: the last run found broken pages, so the whole file is checked now (seconds for a large one).
 */
export function openAnalytics(dir: string, timezone: string, suspect = false): { store: AnalyticsStore; warning: string | null } {
  const file = join(dir, 'analytics.db');
  try {
    const db = openDb(file, ANALYTICS_MIGRATIONS, { incrementalVacuum: true });
    try {
      db.prepare('SELECT COUNT(*) FROM meta').get(); // touches the schema: fails on a damaged file
      const found = suspect ? (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check) : ['ok'];
      if (found[0] !== 'ok') throw new Error(`database disk image is malformed: ${found.slice(0, 3).join('; ')}`);
    } catch (e) {
      db.close(); // not held open: it is set aside next (Windows cannot rename an open file)
      throw e;
    }
    return { store: new AnalyticsStore(db, file, timezone), warning: null };
  } catch (e) {
    if (!isDamagedDb(e)) throw e;
    const aside = `${file}.damaged-${Date.now()}`;
    for (const ext of ['', '-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, aside + ext);
    const db = openDb(file, ANALYTICS_MIGRATIONS, { incrementalVacuum: true });
    return {
      store: new AnalyticsStore(db, file, timezone),
      warning: `The analytics database was damaged and could not be read. It was set aside as ${aside} and a new, empty one was started.`,
    };
  }
}
