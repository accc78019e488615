import type { StateCreator } from 'zustand/vanilla';
import type { BridgeStatus } from '../bridge/web-bridge';
import type { ConsoleState } from './console-store';

/** The console link: the bridge to main and its status. */
export interface LinkSlice {
  bridge: BridgeStatus;
  /** While the console link is lost: when the figures on screen were last received; else null. */
  staleAsOf: number | null;
  setBridgeStatus: (bridge: BridgeStatus) => void;
}

export const createLinkSlice: StateCreator<ConsoleState, [], [], LinkSlice> = (set, get) => ({
  bridge: 'connecting',
  staleAsOf: null,

  setBridgeStatus: (bridge) => {
    if (bridge === 'open') return set({ bridge });
    // What is on screen stays, marked with its age, until a fresh snapshot replaces it.
    const s = get();
    set({ bridge, synced: false, staleAsOf: s.staleAsOf ?? (s.receivedAt || null) });
  },
});
