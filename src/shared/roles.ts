import { z } from 'zod';

/** Who is at the console. Each role can do what the ones before it can. */
export const ROLES = ['kiosk', 'desk', 'manager'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_TEXT: Record<Role, string> = { kiosk: 'kiosk', desk: 'front desk', manager: 'manager' };

export const atLeast = (have: Role | null, need: Role): boolean => have !== null && ROLES.indexOf(have) >= ROLES.indexOf(need);

export const PinSchema = z.string().regex(/^\d{4,12}$/, 'A PIN is 4 to 12 digits.');

export interface AuthStatus {
  role: Role | null;
  /** No PINs yet: the first run must set them. */
  setupNeeded: boolean;
  /** Seconds before another PIN may be tried, after too many wrong ones. */
  lockedForS: number;
}

/** The demo gym's PINs, printed on its sign-in screen and in the README. Never used for a live site. */
export const DEMO_PINS: Record<Role, string> = { manager: '2468', desk: '1357', kiosk: '9999' };
