import type { StateCreator } from 'zustand/vanilla';
import type { AuthStatus } from '../../../shared/roles';
import type { ConsoleState } from './console-store';

/** This screen's sign-in, as the main process reports it. */
export interface AuthSlice {
  auth: AuthStatus | null;
  /** A demo gym (from app.info, known before sign-in): the sign-in may show the demo PINs. */
  demoGym: boolean;
  /** Why this screen was signed out from elsewhere (a manager changed its PIN); said on the sign-in. */
  signedOutBecause: string | null;
  /** A new sign-in state; `because` when it was changed from elsewhere, and cleared by any other change. */
  setAuth: (auth: AuthStatus | null, because?: string) => void;
}

export const createAuthSlice: StateCreator<ConsoleState, [], [], AuthSlice> = (set) => ({
  auth: null,
  demoGym: false,
  signedOutBecause: null,
  setAuth: (auth, because) => set({ auth, signedOutBecause: because ?? null }),
});
