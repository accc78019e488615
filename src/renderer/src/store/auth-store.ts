import { create } from 'zustand';
import type { AuthStatus } from '../../../shared/roles';

/** This screen's sign-in, as the main process reports it. */
export const useAuth = create<{ status: AuthStatus | null; demo: boolean }>(() => ({ status: null, demo: false }));
