import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYTICS_MIGRATIONS } from './analytics-schema';
import { AnalyticsStore } from './analytics-store';
import { isDamagedDb, openDb } from './db';

/** analytics.db in `dir`; a damaged file is set aside (never deleted), a fresh one started, and the user told. */
export function openAnalytics(dir: string, timezone: string): { store: AnalyticsStore; warning: string | null } {
  const file = join(dir, 'analytics.db');
  try {
    const db = openDb(file, ANALYTICS_MIGRATIONS, { incrementalVacuum: true });
    db.prepare('SELECT COUNT(*) FROM meta').get(); // touches the schema: fails on a damaged file
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
