import type { StateCreator } from 'zustand/vanilla';
import type { AuthStatus } from '../../../shared/roles';
import type { ConsoleState } from './console-store';

/** This screen's sign-in, as the main process reports it. */
export interface AuthSlice {
  auth: AuthStatus | null;
  /** A demo gym (from app.info, known before sign-in): the sign-in may show the demo PINs. */
  demoGym: boolean;
  setAuth: (auth: AuthStatus | null) => void;
}

export const createAuthSlice: StateCreator<ConsoleState, [], [], AuthSlice> = (set) => ({
  auth: null,
  demoGym: false,
  setAuth: (auth) => set({ auth }),
});
