import { useState, type FormEvent } from 'react';
import { NO_NEW_MANAGER_PIN, NO_NEW_PIN, PinChangeSchema, ROLES, capital, rolesInWords, type PinChange, type Role } from '../../../../shared/roles';
import { labelAt, parseInWords, type FieldProblem } from '../../../../shared/field-errors';
import { useCall } from '../../components/useCall';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { useConsole } from '../../store/console-store';

type Field = keyof PinChange;
const NEW_PINS: readonly Field[] = ['desk', 'manager', 'managerAgain', 'kiosk'];
const FIELDS: readonly Field[] = ['current', ...NEW_PINS];
const EMPTY: Record<Field, string> = { current: '', desk: '', manager: '', managerAgain: '', kiosk: '' };
/** Whose PIN a new-PIN field sets. */
const ROLE_OF: Record<Exclude<Field, 'current'>, Role> = { desk: 'desk', manager: 'manager', managerAgain: 'manager', kiosk: 'kiosk' };

/**
 * Managers: new PINs for any role this PC uses (a review PC: the manager's only), the day one leaks
 * or someone leaves. Blank fields keep their PIN.
 */
export function ChangePinsCard() {
  const { call, fieldError, formError, busy } = useCall();
  const uses = useConsole((s) => s.auth?.roles) ?? ROLES;
  const newPins = NEW_PINS.filter((f) => uses.includes(ROLE_OF[f as Exclude<Field, 'current'>]));
  const managerOnly = uses.length === 1;
  const title = managerOnly ? 'Change manager PIN' : 'Change PINs';
  // Checked here first by the contract's own schema, so nothing is sent until the whole change is right.
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [typed, setTyped] = useState(EMPTY);
  const [done, setDone] = useState<string | null>(null);
  const errorAt = (f: Field): string | null => problems.find((p) => p.field === f)?.message ?? fieldError(f);

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setDone(null);
    // A blank new PIN is one that stays; the current PIN is always sent, so a blank one is said at its field.
    const input = Object.fromEntries(FIELDS.filter((f) => f === 'current' || typed[f] !== '').map((f) => [f, typed[f]]));
    const parsed = parseInWords(PinChangeSchema, input);
    setProblems(parsed.success ? [] : parsed.problems);
    if (!parsed.success) return;
    const r = await call('auth.changePins', parsed.data);
    if (!r.ok) return;
    const { changed, signedOut } = r.value;
    const others = signedOut ? ` ${signedOut} other screen${signedOut > 1 ? 's were' : ' was'} signed out and must sign in with the new PIN.` : '';
    setDone(`${capital(rolesInWords(changed))} PIN${changed.length > 1 ? 's' : ''} changed.${others}`);
    setTyped(EMPTY);
  };

  // With the manager's PIN the only one here, "front desk, manager or kiosk" would name fields it does not show.
  const formWide = (m: string | null): string | null => (managerOnly && m === NO_NEW_PIN ? NO_NEW_MANAGER_PIN : m);

  const input = (f: Field) => {
    const error = errorAt(f);
    return (
      <div key={f} className="field-with-error">
        <label className="field">
          <span>{labelAt(PinChangeSchema, f)}</span>
          <input
            type="password"
            inputMode="numeric"
            autoComplete={f === 'current' ? 'current-password' : 'new-password'}
            value={typed[f]}
            onChange={(e) => setTyped({ ...typed, [f]: e.target.value })}
            {...invalidProps(error, `pins-${f}-error`)}
          />
        </label>
        <ErrorText message={error} id={`pins-${f}-error`} />
      </div>
    );
  };

  return (
    <section className="card" aria-labelledby="change-pins-title">
      <h2 id="change-pins-title">{title}</h2>
      <form className="settings-form change-pins" onSubmit={(e) => void save(e)} noValidate>
        {input('current')}
        <p className="muted small">{managerOnly ? 'The new manager PIN: 4 to 12 digits, typed twice.' : 'Fill in only the PINs to change; 4 to 12 digits each, all three different.'}</p>
        {newPins.map(input)}
        <button type="submit" disabled={busy}>
          {title}
        </button>
        <ErrorText message={formWide(problems.find((p) => p.field === '')?.message ?? formError(FIELDS))} />
        {done && (
          <p className="ok-text" role="status">
            {done}
          </p>
        )}
      </form>
    </section>
  );
}
