import { KIOSK_SETUP_TEXT, ROLE_TEXT, pinLabel, rolesInWords, someoneTrying, type Role } from '../../../shared/roles';
import { UserError } from '../../../shared/result';
import type { Handlers } from '../bridge/dispatch';
import type { Clock } from '../clock';
import type { AuditLog } from '../store/audit-log';
import type { PinStore } from './pins';
import type { ScreenSessions } from './session';
import { changePins } from './change-pins';

type AuthHandlers = Pick<Handlers, 'auth.status' | 'auth.setup' | 'auth.login' | 'auth.logout' | 'auth.changePins'>;

export function authHandlers(deps: { pins: PinStore; clock: Clock; audit: AuditLog; kiosk: boolean; screens: ScreenSessions }): AuthHandlers {
  const { pins, clock } = deps;
  const status = (ctx: { session: { status(s: boolean, n: number): ReturnType<AuthHandlers['auth.status']> } }) => ctx.session.status(!pins.configured, clock.mono());
  return {
    'auth.status': (_i, ctx) => ctx.session.status(!pins.configured, clock.mono()),
    'auth.setup': (input, ctx) => {
      if (pins.configured) throw new UserError('already-set-up', 'PINs are already set. A manager can change them on the Overview tab, under Change PINs.');
      if (deps.kiosk) throw new UserError('kiosk-setup', KIOSK_SETUP_TEXT);
      // Each role's own PIN is checked by the contract's schema (PinSetupSchema), field by field.
      pins.set(input);
      // Which PINs, as a PIN change names them: the row reads "Set the PINs · front desk, manager and kiosk".
      deps.audit.record('first run', 'auth.setup', rolesInWords(['desk', 'manager', 'kiosk']), null, null);
      ctx.session.rightPin('manager');
      return status(ctx);
    },
    'auth.login': ({ role, pin }, ctx) => {
      const wait = ctx.session.lockout.lockedFor(role as Role, clock.mono());
      if (wait > 0) {
        // Not this screen's doing: said, so whoever stands here knows someone else has been guessing.
        const where = ctx.session.lockout.lockedByAll(role as Role, clock.mono()) ? ` ${ROLE_TEXT[role as Role]} PINs on this console's screens` : ' PINs';
        throw new UserError('locked', `Too many wrong${where}. Try again in ${wait} s.`);
      }
      if (!pins.check(role as Role, pin)) {
        ctx.session.lockout.wrongPin(role as Role, clock.mono());
        deps.audit.record(someoneTrying(role as Role), 'auth.failed', pinLabel(role as Role), null, null);
        throw new UserError('wrong-pin', 'Wrong PIN.');
      }
      ctx.session.rightPin(role as Role);
      return status(ctx);
    },
    'auth.changePins': (input, ctx) => changePins(deps, input, ctx.session),
    'auth.logout': (_i, ctx) => {
      ctx.session.signOut();
      return status(ctx);
    },
  };
}
