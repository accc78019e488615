import type { StateCreator } from 'zustand/vanilla';
import { BLANK_CONNECTION, EMPTY_HEALTH, EMPTY_OUTBOX, FEED_CAPS, emptyFeeds, type Feeds, type Gauges, type Snapshot, type StatePatch } from '../../../shared/state';
import type { ConsoleState } from './console-store';

/** The state stream from main: a snapshot, then numbered patches on top of it. */
export interface StreamSlice extends Gauges, Feeds {
  synced: boolean;
  patchSeq: number;
  /** When state last arrived, so figures kept through a lost link can say their age. */
  receivedAt: number;
  /** Patches that arrived before any snapshot: applied once one does. */
  early: StatePatch[];
  applySnapshot: (snap: Snapshot) => void;
  applyPatch: (patch: StatePatch) => void;
}

/** Enough for the seconds before a snapshot answers; older ones are in that snapshot anyway. */
const EARLY_MAX = 200;

export const createStreamSlice: StateCreator<ConsoleState, [], [], StreamSlice> = (set, get) => ({
  mode: { demo: false, review: false, dataDir: '' },
  connection: BLANK_CONNECTION,
  occupancy: { count: 0, capacity: 0 },
  demo: null,
  pools: [],
  outbox: EMPTY_OUTBOX,
  waitingCheckins: [],
  answeredCheckins: [],
  door: null,
  exportProgress: null,
  alerts: [],
  health: EMPTY_HEALTH,
  ...emptyFeeds(),
  synced: false,
  patchSeq: 0,
  receivedAt: 0,
  early: [],

  applySnapshot: (snap) => {
    const buffered = get().early;
    set({ ...snap.gauges, ...snap.feeds, synced: true, patchSeq: snap.seq, staleAsOf: null, receivedAt: Date.now(), early: [] });
    for (const p of buffered) get().applyPatch(p);
  },

  /** Patches that predate the snapshot are already in it; patches before any snapshot wait for one. */
  applyPatch: (patch) => {
    const s = get();
    if (!s.synced) {
      if (s.early.length < EARLY_MAX) set({ early: [...s.early, patch] });
      return;
    }
    if (patch.seq <= s.patchSeq) return set({ receivedAt: Date.now() });
    // A number skipped: the host held patches back while this screen was slow to read. A patch
    // carries only what changed since the one before, so start again from a fresh snapshot.
    if (patch.seq > s.patchSeq + 1) {
      set({ synced: false, early: [patch] });
      return void s.resync();
    }
    const next: Partial<ConsoleState> = { ...patch.gauges, patchSeq: patch.seq, receivedAt: Date.now() };
    for (const key of Object.keys(patch.feeds) as (keyof Feeds)[]) {
      const added = patch.feeds[key];
      if (added?.length) (next as Record<string, unknown>)[key] = [...s[key], ...added].slice(-FEED_CAPS[key]);
    }
    set(next);
  },
});
