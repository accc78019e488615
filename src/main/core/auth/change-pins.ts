import { CHANGE_ORDER, ROLES, ROLE_TEXT, pinClash, pinLabel, rolesInWords, type PinChange, type Role } from '../../../shared/roles';
import { UserError } from '../../../shared/result';
import { joinProblems, type FieldProblem } from '../../../shared/field-errors';
import type { Clock } from '../clock';
import type { AuditLog } from '../store/audit-log';
import type { PinStore } from './pins';
import type { ScreenSessions, Session } from './session';

export interface PinChangeDeps {
  pins: PinStore;
  clock: Clock;
  audit: AuditLog;
  screens: ScreenSessions;
}

const atCurrent = (code: string, message: string): UserError => new UserError(code, message, { field: 'current', problems: [{ field: 'current', message }] });

/**
 * A manager changes any of the PINs. The current manager PIN is checked first and counts toward the
 * manager lockout like a sign-in; only then are the new PINs compared with the ones that stay (so an
 * unattended screen cannot be used to probe them). Nothing is saved unless the whole change is valid.
 */
export function changePins({ pins, clock, audit, screens }: PinChangeDeps, input: PinChange, session: Session): { changed: Role[]; signedOut: number } {
  const lockout = session.lockout;
  const wait = lockout.lockedFor('manager', clock.mono());
  if (wait > 0) throw atCurrent('locked', `Too many wrong manager PINs. Try again in ${wait} s; nothing was changed.`);
  if (!pins.check('manager', input.current)) {
    lockout.wrongPin('manager', clock.mono());
    audit.record(ROLE_TEXT.manager, 'auth.failed', 'manager (changing PINs)', null, null);
    const left = lockout.triesBeforeWait('manager');
    const then = left > 0 ? `After ${left} more wrong manager PIN${left > 1 ? 's' : ''}, each try has to wait.` : `Wrong manager PINs now make each try wait: the next in ${lockout.lockedFor('manager', clock.mono())} s.`;
    throw atCurrent('wrong-pin', `Current manager PIN is wrong; nothing was changed. ${then}`);
  }
  lockout.rightPin('manager');

  const changed = CHANGE_ORDER.filter((r) => input[r] !== undefined);
  // The PIN each role keeps; the manager's is known in clear (it was just typed), the others only by hash.
  const matchesOld = (r: Role, pin: string): boolean => (r === 'manager' ? pin === input.current : pins.check(r, pin));
  const problems: FieldProblem[] = [];
  for (const r of changed) {
    const pin = input[r]!;
    if (matchesOld(r, pin)) problems.push({ field: r, message: `${pinLabel(r, true)} is the same as the current one: choose another.` });
    else {
      const clash = ROLES.find((u) => u !== r && input[u] === undefined && matchesOld(u, pin));
      if (clash) problems.push({ field: r, message: pinClash(r, true, clash, false) });
    }
  }
  if (problems.length) throw new UserError('invalid-input', joinProblems(problems), { field: problems[0]!.field, problems });

  // Which PINs, never the PINs or their hashes; saved with them, in one transaction.
  pins.set(Object.fromEntries(changed.map((r) => [r, input[r]!])), () => audit.record(ROLE_TEXT.manager, 'auth.changePins', rolesInWords(changed), undefined, undefined));
  const { signedOut, stationsClosed } = screens.pinsChanged(changed, session, (r) => `A manager changed the ${ROLE_TEXT[r]} PIN. Sign in with the new one.`);
  // As a sign-out at a station is: a manager reading the audit log knows members cannot check in there now.
  if (stationsClosed) audit.record(ROLE_TEXT.manager, 'kiosk.closed', `a new kiosk PIN closed ${stationsClosed === 1 ? 'a kiosk station' : `${stationsClosed} kiosk stations`}: members cannot check in there until it is reopened`, null, null);
  return { changed, signedOut };
}
