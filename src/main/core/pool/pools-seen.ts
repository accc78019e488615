import { z } from 'zod';
import type { PoolConfig } from '../../../shared/pools';
import type { AuditAction } from '../../../shared/words';
import type { Db } from '../store/db';
import { SettingsStore } from '../store/settings-store';
import type { PoolStore } from './pools-file';

/**
 * pools.json as the console last wrote or read it, kept in console.db, so a change it did not make is audited at the
 * next start: a hand edit, a copy from another PC, a start with other --backend addresses. Before, the audit log
 * answered "who changed the gym's addresses?" only for changes made on the Connection Pools tab (probe22 K4).
 */
const SEEN_KEY = 'pools.seen';
const Seen = z.array(z.looseObject({ name: z.string() }));

export interface PoolsChange {
  action: Extract<AuditAction, 'pools.create' | 'pools.configure' | 'pools.destroy'>;
  name: string;
  before: PoolConfig | null;
  after: PoolConfig | null;
}

/** Who the audit names for a change found at start. */
export const OUTSIDE_ACTOR = 'pools.json, changed outside the console';
export const START_FLAGS_ACTOR = 'a start with --backend';
export const START_TOKEN_ACTOR = 'a start with a token given (GYM_BACKEND_TOKEN or --backend-token)';

/** One row per pool added, changed or removed between `before` and `after`, in their order. */
export function poolsChanges(before: readonly PoolConfig[], after: readonly PoolConfig[]): PoolsChange[] {
  const old = new Map(before.map((p) => [p.name, p]));
  const now = new Map(after.map((p) => [p.name, p]));
  const changes: PoolsChange[] = [];
  for (const p of after) {
    const was = old.get(p.name);
    if (!was) changes.push({ action: 'pools.create', name: p.name, before: null, after: p });
    else if (canonicalPools(was) !== canonicalPools(p)) changes.push({ action: 'pools.configure', name: p.name, before: was, after: p });
  }
  for (const p of before) if (!now.has(p.name)) changes.push({ action: 'pools.destroy', name: p.name, before: p, after: null });
  return changes;
}

/** JSON with keys sorted: the file's order of settings is not a change. */
export function canonicalPools(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}

/**
 * `file`, with what it holds kept in console.db as it is saved, and compared with it as it is loaded: each difference
 * goes to `record` (the audit log), once. A file missing or set aside changes nothing kept: its warning says that story.
 */
export function seenPoolStore(file: PoolStore, dbOf: () => Db, record: (change: PoolsChange, inFile: readonly PoolConfig[]) => void): PoolStore {
  // Opened at the first load or save: the pools are made before console.db is opened, and loaded after.
  let store: { db: Db; kept: SettingsStore } | null = null;
  const opened = (): { db: Db; kept: SettingsStore } => (store ??= { db: dbOf(), kept: new SettingsStore(dbOf()) });
  const keep = (pools: readonly PoolConfig[]): void => void opened().kept.set(SEEN_KEY, Seen, [...pools]);
  return {
    load() {
      const loaded = file.load();
      if (loaded.pools === null) return loaded;
      // The pools that run (past the limits, the rest are named by the load's warning, and dropped at the next save).
      const inFile = loaded.pools;
      // Written only when there is something to say; a console.db that refuses it must not stop the start (the change is
      // then audited at a later one).
      try {
        const { db, kept } = opened();
        if (!kept.has(SEEN_KEY)) return (keep(inFile), loaded); // the first start that keeps it: nothing to compare with
        const changes = poolsChanges(kept.get(SEEN_KEY, Seen, []) as PoolConfig[], inFile);
        if (changes.length)
          db.transaction(() => {
            for (const change of changes) record(change, inFile);
            keep(inFile);
          })();
      } catch {
        // said by the console.db writes that fail beside it (Health's Local databases)
      }
      return loaded;
    },
    // Kept with the file in one transaction: a file that cannot be saved leaves the copy as it was. A console.db that
    // refuses the copy does not refuse the change (the tab audits it; a later start may take it for one made outside).
    save(pools) {
      let copied = false;
      let saved = false;
      try {
        opened().db.transaction(() => {
          keep(pools);
          copied = true;
          file.save(pools);
          saved = true;
        })();
      } catch (e) {
        if (saved) return; // the commit failed after pools.json was saved: the change stands
        if (copied) throw e; // pools.json could not be saved: its words, and nothing changed
        file.save(pools);
      }
    },
  };
}
