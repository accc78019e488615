import type { StateCreator } from 'zustand/vanilla';
import type { GymApi } from '../../../shared/contract';
import type { BridgeStatus } from '../bridge/web-bridge';
import type { ConsoleState } from './console-store';

/** The console link: the API to main, the bridge's status, and fetching a fresh snapshot over it. */
export interface LinkSlice {
  /** Null until sync has started. */
  api: GymApi | null;
  bridge: BridgeStatus;
  /** While the console link is lost: when the figures on screen were last received; else null. */
  staleAsOf: number | null;
  /** When the link was last open and then lost (or, before the first open, when the page started trying); null while open. */
  lostAt: number | null;
  setBridgeStatus: (bridge: BridgeStatus) => void;
  /** Replaces what is on screen with a fresh snapshot: on every (re)connection and after signing in. */
  resync: () => Promise<void>;
}

export const createLinkSlice: StateCreator<ConsoleState, [], [], LinkSlice> = (set, get) => ({
  api: null,
  bridge: 'connecting',
  staleAsOf: null,
  lostAt: null,

  setBridgeStatus: (bridge) => {
    if (bridge === 'open') return set({ bridge, lostAt: null });
    // What is on screen stays, marked with its age, until a fresh snapshot replaces it.
    const s = get();
    set({ bridge, synced: false, staleAsOf: s.staleAsOf ?? (s.receivedAt || null), lostAt: s.lostAt ?? Date.now() });
  },

  resync: async () => {
    const snap = await get().api?.call('state.snapshot');
    if (snap?.ok) get().applySnapshot(snap.value);
  },
});
