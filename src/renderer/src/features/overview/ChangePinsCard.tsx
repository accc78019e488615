import { useState, type FormEvent } from 'react';
import { PinChangeSchema, capital, rolesInWords, type PinChange } from '../../../../shared/roles';
import { labelAt, parseInWords, type FieldProblem } from '../../../../shared/field-errors';
import { useCall } from '../../components/useCall';
import { ErrorText, invalidProps } from '../../components/ErrorText';

type Field = keyof PinChange;
const NEW_PINS: readonly Field[] = ['desk', 'manager', 'managerAgain', 'kiosk'];
const FIELDS: readonly Field[] = ['current', ...NEW_PINS];
const EMPTY: Record<Field, string> = { current: '', desk: '', manager: '', managerAgain: '', kiosk: '' };

/** Managers: new PINs for any role, the day one leaks or someone leaves. Blank fields keep their PIN. */
export function ChangePinsCard() {
  const { call, fieldError, formError, busy } = useCall();
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
      <h2 id="change-pins-title">Change PINs</h2>
      <form className="settings-form change-pins" onSubmit={(e) => void save(e)} noValidate>
        {input('current')}
        <p className="muted small">Fill in only the PINs to change; 4 to 12 digits each, all three different.</p>
        {NEW_PINS.map(input)}
        <button type="submit" disabled={busy}>
          Change PINs
        </button>
        <ErrorText message={problems.find((p) => p.field === '')?.message ?? formError(FIELDS)} />
        {done && (
          <p className="ok-text" role="status">
            {done}
          </p>
        )}
      </form>
    </section>
  );
}
