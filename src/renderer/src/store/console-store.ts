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
