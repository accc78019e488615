import { z } from 'zod';

/** Who is at the console. Each role can do what the ones before it can. */
export const ROLES = ['kiosk', 'desk', 'manager'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_TEXT: Record<Role, string> = { kiosk: 'kiosk', desk: 'front desk', manager: 'manager' };

export const atLeast = (have: Role | null, need: Role): boolean => have !== null && ROLES.indexOf(have) >= ROLES.indexOf(need);

const capital = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
/** A role's PIN, refused in the words of its field's label ("Front desk PIN must be …"). */
const pinOf = (r: Role) => {
  const says = `${capital(ROLE_TEXT[r])} PIN must be 4 to 12 digits, numbers only.`;
  return z.string().max(12, says).regex(/^\d{4,12}$/, says);
};

/**
 * First-run PINs, one per role, all different: a front-desk PIN that also opened the manager's
 * screens (or the kiosk's exit) would make the roles meaningless.
 */
export const PinSetupSchema = z
  .object({ desk: pinOf('desk'), manager: pinOf('manager'), kiosk: pinOf('kiosk') })
  .strict()
  .superRefine((pins, ctx) => {
    const seen = new Map<string, Role>();
    for (const r of ROLES) {
      const first = seen.get(pins[r]);
      if (first) ctx.addIssue({ code: 'custom', path: [r], message: `${capital(ROLE_TEXT[r])} PIN must differ from the ${ROLE_TEXT[first]} PIN.` });
      else seen.set(pins[r], r);
    }
  });

export interface AuthStatus {
  role: Role | null;
  /** No PINs yet: the first run must set them. */
  setupNeeded: boolean;
  /** Seconds before another PIN may be tried, after too many wrong ones. */
  lockedForS: number;
}

/** The demo gym's PINs, printed on its sign-in screen and in the README. Never used for a live site. */
export const DEMO_PINS: Record<Role, string> = { manager: '2468', desk: '1357', kiosk: '9999' };
