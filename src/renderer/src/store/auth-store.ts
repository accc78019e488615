import { create } from 'zustand';
import { ACCESS, type RequestName } from '../../../shared/contract';
import { atLeast, type AuthStatus } from '../../../shared/roles';

/** This screen's sign-in, as the main process reports it. */
export const useAuth = create<{ status: AuthStatus | null; demo: boolean }>(() => ({ status: null, demo: false }));

/**
 * Whether this screen's role may make a request: the same `ACCESS` table main enforces, so a control
 * a role may not use is not offered to it (main refuses it anyway).
 */
export const useCan = (name: RequestName): boolean =>
  useAuth((s) => {
    const need = ACCESS[name];
    return need === null || atLeast(s.status?.role ?? null, need);
  });
