import { useState, type FormEvent } from 'react';
import { CHANGE_ORDER, DEMO_PINS, FirstRunSchema, KIOSK_SETUP_TEXT, REPEAT_SETUP_DIFFERS, ROLES, ROLE_TEXT, pinLabel, type Role } from '../../../shared/roles';
import { parseInWords, type FieldProblem } from '../../../shared/field-errors';
import type { RequestInput } from '../../../shared/contract';
import { consoleStore, useConsole } from '../store/console-store';
import { useCall } from './useCall';
import { ErrorText, invalidProps } from './ErrorText';

type SetupField = Role | 'managerAgain';
/** The first run's fields for the roles this PC uses, in the forms' order; the manager PIN typed twice. */
const setupFields = (uses: readonly Role[]): SetupField[] => CHANGE_ORDER.filter((r) => uses.includes(r)).flatMap((r) => (r === 'manager' ? [r, 'managerAgain' as const] : [r]));
const setupLabel = (f: SetupField): string => (f === 'managerAgain' ? 'Repeat manager PIN' : pinLabel(f));

/**
 * First run: set a PIN per role. Afterwards: pick a role, enter its PIN. A kiosk never shows the demo
 * PINs, and never sets the PINs (`canSetUp` false): whoever stood at it would become manager.
 * `as`: the role the screen is signed in as, whichever PIN opened it (a closed station reopened); `title` says so.
 */
export function SignIn({
  roles = ['desk', 'manager'],
  onDone,
  showDemoPins = true,
  canSetUp = true,
  as,
  title = 'Sign in',
}: {
  roles?: Role[];
  onDone?: () => void;
  showDemoPins?: boolean;
  canSetUp?: boolean;
  as?: 'kiosk';
  title?: string;
}) {
  const status = useConsole((s) => s.auth);
  const demo = useConsole((s) => s.demoGym);
  const because = useConsole((s) => s.signedOutBecause);
  const { call, error, code, fieldError, formError, busy } = useCall();
  // The PIN box is marked wrong only when the PIN is: a damaged database or a lockout is not the typist's doing.
  const pinWrong = code === 'wrong-pin' || fieldError('pin') !== null;
  // Checked here first, by the contract's own schema, so nothing is sent until every PIN is right.
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const pinError = (f: SetupField | 'siteName'): string | null => problems.find((p) => p.field === f)?.message ?? fieldError(f);
  const [siteName, setSiteName] = useState('');
  // Only roles this PC uses (a review PC has no front desk PIN to sign in with).
  const uses = status?.roles ?? ROLES;
  const offered = roles.filter((r) => uses.includes(r)).length ? roles.filter((r) => uses.includes(r)) : roles;
  const [picked, setRole] = useState<Role>(offered[0]!);
  const role = offered.includes(picked) ? picked : offered[0]!;
  const fields = setupFields(uses);
  // A gym's console is asked its name here (a demo never runs this form, a kiosk never sets up); a review PC has none.
  const namesGym = uses.includes('desk');
  const [pin, setPin] = useState('');
  const [pins, setPins] = useState<Record<SetupField, string>>({ desk: '', manager: '', managerAgain: '', kiosk: '' });

  const done = (r: Awaited<ReturnType<typeof call<'auth.login'>>>): void => {
    if (!r.ok) return;
    consoleStore.getState().setAuth(r.value);
    void consoleStore.getState().resync(); // the state was withheld until now
    onDone?.();
  };
  const login = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = await call('auth.login', { role, pin, ...(as && { as }) });
    setPin('');
    done(r);
  };
  const setup = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const { managerAgain, ...typed } = pins;
    // The PINs of the roles this PC uses; the gym's name left empty: none yet ("A gym with no name set" until a manager gives one).
    const request = {
      manager: typed.manager,
      ...(uses.includes('desk') ? { desk: typed.desk } : {}),
      ...(uses.includes('kiosk') ? { kiosk: typed.kiosk } : {}),
      ...(namesGym && siteName.trim() ? { siteName } : {}),
    } satisfies RequestInput<'auth.setup'>;
    const parsed = parseInWords(FirstRunSchema, request);
    // The manager PIN is typed twice: no one could set it again if it were mistyped.
    const repeat = managerAgain === request.manager ? [] : [{ field: 'managerAgain', message: REPEAT_SETUP_DIFFERS }];
    setProblems([...(parsed.success ? [] : parsed.problems), ...repeat]);
    if (parsed.success && !repeat.length) done(await call('auth.setup', parsed.data));
  };

  return (
    <div className="sign-in card" role="dialog" aria-labelledby="signin-title">
      {status?.setupNeeded && !canSetUp ? (
        <div role="alert">
          <h2 id="signin-title">No PINs are set on this PC yet</h2>
          <p>{KIOSK_SETUP_TEXT}</p>
        </div>
      ) : status?.setupNeeded ? (
        <form onSubmit={(e) => void setup(e)} noValidate>
          {uses.length === 1 ? (
            <>
              <h2 id="signin-title">First run: choose the {ROLE_TEXT[uses[0]!]} PIN</h2>
              <p className="muted">4 to 12 digits. This PC only reviews exports: it has no front desk or kiosk, so it needs no PIN for them.</p>
            </>
          ) : (
            <>
              <h2 id="signin-title">First run: choose a PIN for each role</h2>
              <p className="muted">4 to 12 digits each. Front desk checks members in; a manager also changes pools, settings and exports; the manager PIN or the kiosk PIN opens a check-in station that was closed (a kiosk PC starts open by itself).</p>
            </>
          )}
          {fields.map((f) => (
            <div key={f} className="field-with-error">
              <label className="field">
                <span>{setupLabel(f)}</span>
                <input
                  type="password"
                  inputMode="numeric"
                  autoComplete="new-password"
                  value={pins[f]}
                  onChange={(e) => setPins({ ...pins, [f]: e.target.value })}
                  aria-label={setupLabel(f)}
                  {...invalidProps(pinError(f), `pin-${f}-error`)}
                />
              </label>
              <ErrorText message={pinError(f)} id={`pin-${f}-error`} />
            </div>
          ))}
          {namesGym && (
            <div className="field-with-error">
              <label className="field">
                <span>Gym name (optional)</span>
                <input type="text" value={siteName} onChange={(e) => setSiteName(e.target.value)} autoComplete="organization" aria-label="Gym name" {...invalidProps(pinError('siteName'), 'pin-siteName-error')} aria-describedby={pinError('siteName') ? 'pin-siteName-error site-name-note' : 'site-name-note'} />
              </label>
              <p className="muted note" id="site-name-note">
                Shown in exports, file names and alerts, so files from two gyms are told apart. A manager can change it later under Analytics → Storage.
              </p>
              <ErrorText message={pinError('siteName')} id="pin-siteName-error" />
            </div>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {uses.length === 1 ? 'Save PIN' : 'Save PINs'}
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void login(e)}>
          <h2 id="signin-title">{title}</h2>
          {because && (
            <p className="notice" role="status">
              {because}
            </p>
          )}
          <div className="roles" role="radiogroup" aria-label="Role">
            {offered.map((r) => (
              <label key={r}>
                <input type="radio" name="role" checked={role === r} onChange={() => setRole(r)} /> {ROLE_TEXT[r]}
              </label>
            ))}
          </div>
          <label className="field">
            <span>PIN</span>
            <input type="password" inputMode="numeric" autoFocus value={pin} onChange={(e) => setPin(e.target.value)} aria-label="PIN" {...invalidProps(pinWrong ? error : null, 'signin-error')} />
          </label>
          <ErrorText message={error} id="signin-error" />
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
          {demo && showDemoPins && <p className="muted">
              Demo gym PINs: manager {DEMO_PINS.manager}, front desk {DEMO_PINS.desk} (if a manager changed them, restarting the demo brings these back).
            </p>}
        </form>
      )}
      {status?.setupNeeded && <ErrorText message={formError([...ROLES, 'siteName'])} />}
    </div>
  );
}
