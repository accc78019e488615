import { GYM_ROLES, KIOSK_SETUP_TEXT, REVIEW_CHANGE_TEXT, REVIEW_ROLES, REVIEW_SETUP_TEXT, ROLE_TEXT, openedWith, pinLabel, rolesInWords, someoneTrying, wrongPinSubject, type Role } from '../../../shared/roles';
import { UserError } from '../../../shared/result';
import { joinProblems, type FieldProblem } from '../../../shared/field-errors';
import type { Handlers } from '../bridge/dispatch';
import type { Clock } from '../clock';
import type { AuditLog } from '../store/audit-log';
import type { PinStore } from './pins';
import type { ScreenSessions } from './session';
import { changePins } from './change-pins';

type AuthHandlers = Pick<Handlers, 'auth.status' | 'auth.setup' | 'auth.login' | 'auth.logout' | 'auth.changePins'>;

/** Why a review PC's first run names no gym: its exports are of the gyms they came from. */
export const REVIEW_NAME_TEXT = "This PC only reviews exports: each keeps the name of the gym it came from, so this PC has no gym name to set.";

/**
 * `review`: a PC that only reviews exports, with no front desk or kiosk: its first run sets the manager PIN only.
 * `nameGym`: saves the gym's name typed at the first run, as the Analytics tab's Gym name (audited there).
 */
export function authHandlers(deps: { pins: PinStore; clock: Clock; audit: AuditLog; kiosk: boolean; review?: boolean; screens: ScreenSessions; nameGym?: (name: string) => void }): AuthHandlers {
  const { pins, clock } = deps;
  const roles = deps.review ? REVIEW_ROLES : GYM_ROLES;
  const status = (ctx: { session: { status(s: boolean, r: readonly Role[], n: number): ReturnType<AuthHandlers['auth.status']> } }) => {
    const s = ctx.session.status(!pins.configured, roles, clock.mono());
    return deps.screens.stationClosed ? { ...s, stationClosed: true as const } : s;
  };
  return {
    'auth.status': (_i, ctx) => status(ctx),
    'auth.setup': (input, ctx) => {
      if (pins.configured) throw new UserError('already-set-up', 'PINs are already set. A manager can change them on the Overview tab, under Change PINs.');
      if (deps.kiosk) throw new UserError('kiosk-setup', KIOSK_SETUP_TEXT);
      // Each PIN given is checked by the contract's schema (FirstRunSchema); which ones this PC needs, here.
      const extra = GYM_ROLES.filter((r) => !roles.includes(r) && input[r] !== undefined);
      if (extra.length) throw new UserError('review-setup', REVIEW_SETUP_TEXT, { field: extra[0]! });
      const missing: FieldProblem[] = roles.filter((r) => input[r] === undefined).map((r) => ({ field: r, message: `${pinLabel(r)} is missing: type 4 to 12 digits.` }));
      if (missing.length) throw new UserError('invalid-input', joinProblems(missing), { field: missing[0]!.field, problems: missing });
      const { siteName, ...chosen } = input;
      if (siteName !== undefined && (deps.review || !deps.nameGym)) throw new UserError('review-setup', REVIEW_NAME_TEXT, { field: 'siteName' });
      // The name first: should saving it fail, nothing is set and the same form can be sent again.
      if (siteName !== undefined) deps.nameGym!(siteName);
      // Which PINs, as a PIN change names them: the row reads "Set the PINs · front desk, manager and kiosk" (a review PC:
      // "manager"); saved with them, in one transaction.
      pins.set(chosen, () => deps.audit.record('first run', 'auth.setup', rolesInWords(roles), null, null));
      ctx.session.rightPin('manager');
      return status(ctx);
    },
    'auth.login': ({ role, pin, as }, ctx) => {
      // Every role may do what a kiosk does, so any staff PIN may reopen a station; a review PC has none to open.
      if (as && !roles.includes(as)) throw new UserError('no-kiosk', 'This PC only reviews exports: it has no check-in station to open.');
      const wait = ctx.session.lockout.lockedFor(role as Role, clock.mono());
      if (wait > 0) {
        // Not this screen's doing: said, so whoever stands here knows someone else has been guessing.
        const where = ctx.session.lockout.lockedByAll(role as Role, clock.mono()) ? ` ${ROLE_TEXT[role as Role]} PINs on this console's screens` : ' PINs';
        throw new UserError('locked', `Too many wrong${where}. Try again in ${wait} s.`);
      }
      // Opening a station, either PIN opens it as a kiosk: the kiosk PIN typed with "manager" ticked (the form's first
      // choice) is no wrong PIN, nor someone guessing the manager's (readme29 K3).
      if (as === 'kiosk' && role === 'manager' && roles.includes('kiosk') && !pins.check('manager', pin) && pins.check('kiosk', pin)) role = 'kiosk';
      if (!pins.check(role as Role, pin)) {
        ctx.session.lockout.wrongPin(role as Role, clock.mono());
        // Typed at a kiosk station's Open form: said, so it does not read as someone at a desk's sign-in.
        deps.audit.record(someoneTrying(role as Role), 'auth.failed', wrongPinSubject(role as Role, as === 'kiosk'), null, null);
        throw new UserError('wrong-pin', 'Wrong PIN.');
      }
      ctx.session.rightPin(role as Role, as);
      if (as === 'kiosk') {
        // The close is in the audit log, so is the opening: a manager reading it knows the station is open again.
        deps.audit.record(ROLE_TEXT[role as Role], deps.screens.stationClosed ? 'kiosk.reopened' : 'kiosk.opened', openedWith(role as Role), null, null);
        deps.screens.stationClosed = false;
      }
      return status(ctx);
    },
    'auth.changePins': (input, ctx) => {
      // A review PC has no front desk or kiosk: a PIN for one would only open screens it does not have.
      const extra = GYM_ROLES.filter((r) => !roles.includes(r) && input[r] !== undefined);
      if (extra.length) throw new UserError('review-setup', REVIEW_CHANGE_TEXT, { field: extra[0]! });
      return changePins(deps, input, ctx.session);
    },
    'auth.logout': (input, ctx) => {
      const was = ctx.session.role;
      ctx.session.signOut();
      // Staff who walked away from a kiosk screen opened by address: it goes back to check-ins, never closed by nobody's
      // choice (review25 V2). Only staff get this, and the kiosk is the least a screen may do.
      if (input?.atKiosk && input.idle && was && was !== 'kiosk' && ctx.session.role === null && roles.includes('kiosk')) {
        ctx.session.backToStation();
        return status(ctx);
      }
      // Staff signing out at a kiosk screen opened by address leave it closed to members: said in the audit log.
      if (input?.atKiosk && was && was !== 'kiosk' && ctx.session.role === null) {
        deps.audit.record(ROLE_TEXT[was], 'kiosk.closed', 'members cannot check in there until it is reopened', null, null);
        deps.screens.stationClosed = true;
      }
      return status(ctx);
    },
  };
}
