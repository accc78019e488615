import { z } from 'zod';
import { SiteNameSchema } from './analytics';

/** Who is at the console. Each role can do what the ones before it can. */
export const ROLES = ['kiosk', 'desk', 'manager'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_TEXT: Record<Role, string> = { kiosk: 'kiosk', desk: 'front desk', manager: 'manager' };

export const atLeast = (have: Role | null, need: Role): boolean => have !== null && ROLES.indexOf(have) >= ROLES.indexOf(need);

export const capital = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
/** "front desk and kiosk", in the order the roles are listed. */
export const rolesInWords = (roles: readonly Role[]): string => {
  const words = roles.map((r) => ROLE_TEXT[r]);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
};
/** What a field is called on screen: "Front desk PIN", or "New front desk PIN" on the change form. */
export const pinLabel = (r: Role, fresh = false): string => (fresh ? `New ${ROLE_TEXT[r]} PIN` : `${capital(ROLE_TEXT[r])} PIN`);
/** Who a wrong PIN is logged as: nobody is signed in, but the PIN tried says whose screens they wanted. */
export const someoneTrying = (r: Role): string => `someone trying the ${ROLE_TEXT[r]} PIN`;
/** A wrong PIN's audit row, saying where it was typed when that was a kiosk station's Open form. */
export const wrongPinSubject = (r: Role, atStation: boolean): string => (atStation ? `${pinLabel(r)}, typed at a kiosk station to open it` : pinLabel(r));
/** How a kiosk station was opened, for its audit row. */
export const openedWith = (r: Role): string => `with the ${ROLE_TEXT[r]} PIN`;
/** A role's PIN, refused in the words of its field's label ("Front desk PIN must be …"). */
/** The longest PIN: anything longer typed in a PIN prompt is a card read, never a PIN. */
export const PIN_MAX_DIGITS = 12;
const pinOf = (label: string) => {
  const says = `${label} must be 4 to ${PIN_MAX_DIGITS} digits, numbers only.`;
  return z.string().max(PIN_MAX_DIGITS, says).regex(new RegExp(`^\\d{4,${PIN_MAX_DIGITS}}$`), says).meta({ label });
};

/** How a clash is said at the field of `r`: "New front desk PIN must differ from the kiosk PIN." */
export const pinClash = (r: Role, fresh: boolean, other: Role, otherFresh: boolean): string =>
  `${pinLabel(r, fresh)} must differ from the ${otherFresh ? 'new ' : ''}${ROLE_TEXT[other]} PIN.`;

/**
 * Each role's PIN differs from the others': a front-desk PIN that also opened the manager's screens
 * (or the kiosk's exit) would make the roles meaningless. A clash is said at the later field in `order`.
 */
function distinct(pins: Partial<Record<Role, string>>, ctx: z.RefinementCtx, fresh: boolean, order: readonly Role[]): void {
  const seen = new Map<string, Role>();
  for (const r of order) {
    const pin = pins[r];
    if (pin === undefined) continue;
    const first = seen.get(pin);
    if (first) ctx.addIssue({ code: 'custom', path: [r], message: pinClash(r, fresh, first, fresh) });
    else seen.set(pin, r);
  }
}

/** The PIN forms' order: the roles staff name first come first. */
export const CHANGE_ORDER: readonly Role[] = ['desk', 'manager', 'kiosk'];

/** The roles a console for a gym uses; a review PC (no gym connected) uses the manager's only. */
export const GYM_ROLES: readonly Role[] = CHANGE_ORDER;
export const REVIEW_ROLES: readonly Role[] = ['manager'];

/**
 * The first run: PINs, one per role this PC uses (AuthStatus `roles`; main refuses a missing or extra
 * one), all different; and on a gym's console the gym's name, if typed (the same setting and rules as
 * Analytics → Storage → Gym name): unasked, exports and webhooks said "A gym with no name set" for good.
 */
export const FirstRunSchema = z
  .object({ desk: pinOf(pinLabel('desk')).optional(), manager: pinOf(pinLabel('manager')), kiosk: pinOf(pinLabel('kiosk')).optional(), siteName: SiteNameSchema.optional() })
  .strict()
  .superRefine((pins, ctx) => distinct(pins, ctx, false, CHANGE_ORDER));
export type FirstRun = z.infer<typeof FirstRunSchema>;
/** The first-run form's repeat of the manager PIN: checked on screen only (what is sent is the PIN itself). */
export const REPEAT_SETUP_DIFFERS = 'Repeat manager PIN does not match the manager PIN: type the same PIN in both.';
/** A PIN change with no new PIN in it; a review PC's form (manager only) says it as NO_NEW_MANAGER_PIN. */
export const NO_NEW_PIN = 'Type at least one new PIN: front desk, manager or kiosk.';
export const NO_NEW_MANAGER_PIN = 'Type the new manager PIN, and again under Repeat new manager PIN.';
const REPEAT_DIFFERS = 'Repeat new manager PIN does not match the new manager PIN: type the same PIN in both.';
/**
 * A manager's change of PINs: the current manager PIN again (so a signed-in screen left unattended
 * cannot lock everyone out), and any of the three new ones. The new manager PIN is typed twice: no
 * one could set it again if it were mistyped. Clashes with the PINs that stay are checked in main,
 * which alone can compare with them, in the same words.
 */
export const PinChangeSchema = z
  .object({
    current: z.string().min(1, 'Type the current manager PIN: changing PINs needs it.').max(12, 'Current manager PIN can be at most 12 digits.').meta({ label: 'Current manager PIN' }),
    desk: pinOf(pinLabel('desk', true)).optional(),
    manager: pinOf(pinLabel('manager', true)).optional(),
    managerAgain: z.string().max(12, REPEAT_DIFFERS).meta({ label: 'Repeat new manager PIN' }).optional(),
    kiosk: pinOf(pinLabel('kiosk', true)).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.desk === undefined && c.manager === undefined && c.kiosk === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: NO_NEW_PIN });
    }
    if (c.manager === undefined && c.managerAgain !== undefined) ctx.addIssue({ code: 'custom', path: ['manager'], message: 'Type the new manager PIN here too, or clear Repeat new manager PIN.' });
    else if (c.manager !== undefined && c.manager !== c.managerAgain) ctx.addIssue({ code: 'custom', path: ['managerAgain'], message: REPEAT_DIFFERS });
    distinct(c, ctx, true, CHANGE_ORDER);
  });
export type PinChange = z.infer<typeof PinChangeSchema>;

export interface AuthStatus {
  role: Role | null;
  /** No PINs yet: the first run must set them. */
  setupNeeded: boolean;
  /** The roles this PC uses: its first run sets their PINs, its sign-in offers them (a review PC: the manager only). */
  roles: readonly Role[];
  /** Seconds before another PIN may be tried, after too many wrong ones. */
  lockedForS: number;
  /**
   * Staff signed out at a kiosk screen of this console and no station was opened since: a kiosk screen
   * with nobody signed in says "Station closed"; without it, one never opened says "not open yet".
   */
  stationClosed?: true;
}

/** The demo gym's PINs, printed on its sign-in screen and in the README. Never used for a live site. */
export const DEMO_PINS: Record<Role, string> = { manager: '2468', desk: '1357', kiosk: '9999' };

/** Why a review PC's first run sets no front desk or kiosk PIN, if one is sent all the same. */
export const REVIEW_SETUP_TEXT = 'This PC only reviews exports: it has no front desk or kiosk, so only the manager PIN is set here.';
/** The same, for a PIN change on a review PC that names a front desk or kiosk PIN. */
export const REVIEW_CHANGE_TEXT = 'This PC only reviews exports: it has no front desk or kiosk, so only the manager PIN can be changed here.';

/** Said on stderr when a kiosk starts on a PC with no PINs: the same steps as KIOSK_SETUP_TEXT, said before anyone is stuck. */
export const KIOSK_NO_PINS_NOTE =
  'no PINs are set on this PC yet, so this kiosk cannot be closed or reopened (its manager PIN prompt has no PIN to take). To set them: stop the console, start it once with --desk, set the PINs there, then start it with --kiosk again.';

/** Why a kiosk does not set the PINs, and what IT does instead: said on the kiosk and by the main process. */
export const KIOSK_SETUP_TEXT =
  'A check-in station does not set the PINs: whoever stood at it would become manager. IT: stop the console, start it once with --desk, set the PINs there, then start it with --kiosk again.';
