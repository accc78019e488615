import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createStreamSlice, type StreamSlice } from './stream-slice';
import { createLinkSlice, type LinkSlice } from './link-slice';
import { createAuthSlice, type AuthSlice } from './auth-slice';
import { createScreenSlice, type ScreenSlice } from './screen-slice';

/** The renderer's one store, built from slices (zustand's slices pattern). Written only from outside React. */
export type ConsoleState = StreamSlice & LinkSlice & AuthSlice & ScreenSlice;

export const createConsoleStore = () =>
  createStore<ConsoleState>()((...a) => ({
    ...createStreamSlice(...a),
    ...createLinkSlice(...a),
    ...createAuthSlice(...a),
    ...createScreenSlice(...a),
  }));

export const consoleStore = createConsoleStore();

export const useConsole = <T>(selector: (s: ConsoleState) => T): T => useStore(consoleStore, selector);

/** What applying patches costs in this renderer (read by the ui benchmark as window.gymPatchStats). */
export const patchStats = { count: 0, totalMs: 0, maxMs: 0 };
(globalThis as { gymPatchStats?: typeof patchStats }).gymPatchStats = patchStats;

export function applyPatch(patch: Parameters<ConsoleState['applyPatch']>[0]): void {
  const t0 = performance.now();
  consoleStore.getState().applyPatch(patch);
  const ms = performance.now() - t0;
  patchStats.count++;
  patchStats.totalMs += ms;
  if (ms > patchStats.maxMs) patchStats.maxMs = ms;
}
