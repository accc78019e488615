import { useState, type FormEvent } from 'react';
import { DEMO_PINS, PinSetupSchema, ROLES, ROLE_TEXT, type Role } from '../../../shared/roles';
import { parseInWords, type FieldProblem } from '../../../shared/field-errors';
import { consoleStore, useConsole } from '../store/console-store';
import { useCall } from './useCall';
import { ErrorText, invalidProps } from './ErrorText';

/** First run: set a PIN per role. Afterwards: pick a role, enter its PIN. A kiosk never shows the demo PINs. */
export function SignIn({ roles = ['desk', 'manager'], onDone, showDemoPins = true }: { roles?: Role[]; onDone?: () => void; showDemoPins?: boolean }) {
  const status = useConsole((s) => s.auth);
  const demo = useConsole((s) => s.demoGym);
  const because = useConsole((s) => s.signedOutBecause);
  const { call, error, fieldError, formError, busy } = useCall();
  // Checked here first, by the contract's own schema, so nothing is sent until every PIN is right.
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const pinError = (r: Role): string | null => problems.find((p) => p.field === r)?.message ?? fieldError(r);
  const [role, setRole] = useState<Role>(roles[0]!);
  const [pin, setPin] = useState('');
  const [pins, setPins] = useState<Record<Role, string>>({ desk: '', manager: '', kiosk: '' });

  const done = (r: Awaited<ReturnType<typeof call<'auth.login'>>>): void => {
    if (!r.ok) return;
    consoleStore.getState().setAuth(r.value);
    void consoleStore.getState().resync(); // the state was withheld until now
    onDone?.();
  };
  const login = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = await call('auth.login', { role, pin });
    setPin('');
    done(r);
  };
  const setup = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const parsed = parseInWords(PinSetupSchema, pins);
    setProblems(parsed.success ? [] : parsed.problems);
    if (parsed.success) done(await call('auth.setup', parsed.data));
  };

  return (
    <div className="sign-in card" role="dialog" aria-labelledby="signin-title">
      {status?.setupNeeded ? (
        <form onSubmit={(e) => void setup(e)} noValidate>
          <h2 id="signin-title">First run: choose a PIN for each role</h2>
          <p className="muted">4 to 12 digits each. Front desk checks members in; a manager also changes pools, settings and exports; the kiosk PIN unlocks a check-in station.</p>
          {ROLES.map((r) => (
            <div key={r} className="field-with-error">
              <label className="field">
                <span>{ROLE_TEXT[r]} PIN</span>
                <input
                  type="password"
                  inputMode="numeric"
                  value={pins[r]}
                  onChange={(e) => setPins({ ...pins, [r]: e.target.value })}
                  aria-label={`${ROLE_TEXT[r]} PIN`}
                  {...invalidProps(pinError(r), `pin-${r}-error`)}
                />
              </label>
              <ErrorText message={pinError(r)} id={`pin-${r}-error`} />
            </div>
          ))}
          <button type="submit" className="primary" disabled={busy}>
            Save PINs
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void login(e)}>
          <h2 id="signin-title">Sign in</h2>
          {because && (
            <p className="notice" role="status">
              {because}
            </p>
          )}
          <div className="roles" role="radiogroup" aria-label="Role">
            {roles.map((r) => (
              <label key={r}>
                <input type="radio" name="role" checked={role === r} onChange={() => setRole(r)} /> {ROLE_TEXT[r]}
              </label>
            ))}
          </div>
          <label className="field">
            <span>PIN</span>
            <input type="password" inputMode="numeric" autoFocus value={pin} onChange={(e) => setPin(e.target.value)} aria-label="PIN" {...invalidProps(error, 'signin-error')} />
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
      {status?.setupNeeded && <ErrorText message={formError(ROLES)} />}
    </div>
  );
}
