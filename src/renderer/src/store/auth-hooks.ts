import { ACCESS, type RequestName } from '../../../shared/contract';
import { atLeast, type AuthStatus } from '../../../shared/roles';
import { useConsole } from './console-store';

/** Whether a sign-in may make a request: the same `ACCESS` table main enforces. */
export const may = (auth: AuthStatus | null, name: RequestName): boolean => {
  const need = ACCESS[name];
  return need === null || atLeast(auth?.role ?? null, need);
};

/** So a control a role may not use is not offered to it (main refuses it anyway). */
export const useCan = (name: RequestName): boolean => useConsole((s) => may(s.auth, name));

export const useRole = () => useConsole((s) => s.auth?.role ?? null);
