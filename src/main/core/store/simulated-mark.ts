import { z } from 'zod';
import type { Db } from './db';
import { SettingsStore } from './settings-store';

const KEY = 'simulated';

/**
 * The demo's analytics.db says in itself that it is made up: told by its folder's name alone, a copy of it in any
 * other folder exported as a gym's real visits (probe25 Q10).
 */
export function markSimulated(db: Db): void {
  new SettingsStore(db, { table: 'meta' }).set(KEY, z.literal(true), true);
}

export const isSimulated = (db: Db): boolean => new SettingsStore(db, { table: 'meta' }).get(KEY, z.boolean(), false);
