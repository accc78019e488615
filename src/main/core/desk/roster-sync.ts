import { z } from 'zod';
import { UserError } from '../../../shared/result';
import type { Clock } from '../clock';
import type { PoolManager } from '../pool/manager';
import type { Db } from '../store/db';
import { SettingsStore } from '../store/settings-store';
import { diskProblem, writeFailureWords } from '../disk-words';
import type { RosterCache } from './roster-cache';

/** How often the roster is synced while all is well. */
export const SYNC_EVERY_MS = 10 * 60_000;
/** After a refused sync each next one waits twice as long (20 min, 40 …): a refused sync costs the backend every page. */
const REFUSED_WAIT_MAX_MS = 6 * 3_600_000;
/** What the roster cache refuses (it leaves the copy as it was); anything else is the backend being away. */
const REFUSALS = new Set(['roster-too-large', 'roster-bad-page']);
/** Kept in console.db, so Health still says it after a restart until a sync completes. */
const SavedRefusalSchema = z.object({ message: z.string().max(2_000), times: z.number().int().min(1).max(1_000) });

/** The last roster sync the console refused, until one completes. */
export interface RosterRefusal {
  /** Why, in words (from roster-cache.ts). */
  message: string;
  /** Refused syncs in a row. */
  times: number;
  /** When the next sync may start (monotonic ms), and how long that was from the refusal. */
  retryAt: number;
  waitMs: number;
}

export interface RosterSyncDeps {
  cache: RosterCache;
  pools: PoolManager;
  clock: Clock;
  db: Db;
  /** A sync was refused (`refusal`, and how long until the next), or one completed after refusals (null). */
  onRosterSync?(refusal: RosterRefusal | null, waitMs: number): void;
}

/**
 * Syncs the roster copy offline check-ins decide from. A sync the cache refuses (the roster past its
 * limits, a page that breaks the protocol) is kept and told, and the next waits longer each time; a
 * backend that is away is no refusal: the next sync comes as usual.
 */
export class RosterSync {
  /** The last sync refused, until one completes. */
  refused: RosterRefusal | null = null;
  /** Why the last sync's roster could not be written (the disk's words), until one is; the next sync tries again as usual. */
  notSaved: string | null = null;
  private syncing: Promise<number> | null = null;
  private readonly saved: SettingsStore;

  constructor(private readonly d: RosterSyncDeps) {
    this.saved = new SettingsStore(d.db);
    const before = this.saved.get('rosterRefused', SavedRefusalSchema.nullable(), null);
    // Refused in an earlier run: still said; one sync is tried at once (the roster may have changed meanwhile).
    if (before) this.refused = { ...before, retryAt: 0, waitMs: 0 };
  }

  /** Whether a sync may start now: not while waiting after a refusal. */
  get due(): boolean {
    return !this.refused || this.d.clock.mono() >= this.refused.retryAt;
  }

  /** One sync at a time; a second caller shares the first's (and its refusal is counted once). */
  sync(): Promise<number> {
    return (this.syncing ??= this.once().finally(() => (this.syncing = null)));
  }

  private async once(): Promise<number> {
    try {
      const n = await this.d.cache.sync((afterId, check) => this.d.pools.request('roster', { afterId, limit: 200 }, undefined, check), this.d.clock.now());
      this.notSaved = null;
      if (this.refused) {
        this.refused = null;
        this.keep(null);
        this.d.onRosterSync?.(null, SYNC_EVERY_MS);
      }
      return n;
    } catch (e) {
      if (diskProblem(e)) this.notSaved = writeFailureWords(e);
      if (e instanceof UserError && REFUSALS.has(e.code)) {
        const times = (this.refused?.times ?? 0) + 1;
        const waitMs = Math.min(REFUSED_WAIT_MAX_MS, SYNC_EVERY_MS * 2 ** times);
        this.refused = { message: e.message, times, retryAt: this.d.clock.mono() + waitMs, waitMs };
        this.keep({ message: e.message, times });
        this.d.onRosterSync?.(this.refused, waitMs);
      }
      throw e;
    }
  }

  /** Saving it is for the next run: a disk that refuses it must not turn the refusal into another error. */
  private keep(value: z.infer<typeof SavedRefusalSchema> | null): void {
    try {
      if (value) this.saved.set('rosterRefused', SavedRefusalSchema, value);
      else this.saved.remove('rosterRefused');
    } catch (e) {
      console.error('roster: could not save the sync refusal for the next run:', e);
    }
  }
}
