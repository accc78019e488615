import { useEffect, useState, type FormEvent } from 'react';
import { CHECK_KINDS, CHECK_TEXT, REVIEW_PC_CHECKS, RULE_TIME_TEXT, SEVERITIES, type AlertSettings, type CheckKind } from '../../../../shared/health';
import { useConsole } from '../../store/console-store';
import { withEdits } from '../../components/form-edits';
import { useCall } from '../../components/useCall';
import { typedNumber } from '../../components/typed-number';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { SaveButton, type SaveOutcome } from '../../components/SaveButton';

type Typed = Record<CheckKind, { pendingSeconds: string; keepFiringSeconds: string }>;
const typedOf = (s: AlertSettings): Typed => Object.fromEntries(CHECK_KINDS.map((k) => [k, { pendingSeconds: String(s.rules[k].pendingSeconds), keepFiringSeconds: String(s.rules[k].keepFiringSeconds) }])) as Typed;

/** Managers: per kind of check, when it alerts, for how long it must hold, how long it must be clear to close, how bad it is. */
export function AlertRules() {
  const { call, error, fieldError, formError, busy } = useCall();
  const [s, setS] = useState<AlertSettings | null>(null);
  // As last read or saved: a save lays only what differs from it over the rules as saved now (form-edits.ts).
  const [drawn, setDrawn] = useState<AlertSettings | null>(null);
  const [typed, setTyped] = useState<Typed | null>(null);
  const [cap, setCap] = useState('');
  const [outcome, setOutcome] = useState<SaveOutcome>(null);
  // A review PC runs only some checks: the others' rules can never fire there.
  const review = useConsole((s) => s.mode.review);
  const show = (v: AlertSettings): void => {
    setS(v);
    setDrawn(v);
    setTyped(typedOf(v));
    setCap(String(v.maxPerHour));
  };
  const used = (k: CheckKind): boolean => !review || (REVIEW_PC_CHECKS as readonly CheckKind[]).includes(k);
  useEffect(() => {
    void call('alerts.settings', undefined).then((r) => r.ok && show(r.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!s || !typed || !drawn) return null;
  const rule = (k: CheckKind, patch: Partial<AlertSettings['rules'][CheckKind]>) => setS({ ...s, rules: { ...s.rules, [k]: { ...s.rules[k], ...patch } } });
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const rules = Object.fromEntries(CHECK_KINDS.map((k) => [k, { ...s.rules[k], pendingSeconds: typedNumber(typed[k].pendingSeconds), keepFiringSeconds: typedNumber(typed[k].keepFiringSeconds) }])) as AlertSettings['rules'];
    const latest = await call('alerts.settings', undefined);
    const edited = { rules, maxPerHour: typedNumber(cap) } as AlertSettings;
    const next = latest.ok ? withEdits(latest.value, drawn, edited) : edited;
    if (latest.ok && JSON.stringify(next) === JSON.stringify(latest.value)) {
      setOutcome('unchanged');
      show(latest.value);
      return;
    }
    const r = await call('alerts.configure', next);
    setOutcome(r.ok ? 'saved' : null);
    // What is saved now, another screen's changes included.
    if (r.ok) show(r.value);
  };
  const shown = ['maxPerHour', ...CHECK_KINDS.flatMap((k) => [`${k}.pendingSeconds`, `${k}.keepFiringSeconds`, `${k}.when`, `${k}.severity`, `${k}.enabled`])];
  return (
    <section className="card" aria-labelledby="rules-title" data-testid="alert-rules">
      <h2 id="rules-title">Alert rules</h2>
      <form onSubmit={(e) => void save(e)}>
        <table className="sockets rules">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">On</th>
              <th scope="col">Alert when</th>
              <th scope="col">{RULE_TIME_TEXT.pendingSeconds} (seconds of trouble)</th>
              <th scope="col">{RULE_TIME_TEXT.keepFiringSeconds} (seconds back to normal)</th>
              <th scope="col">Severity</th>
            </tr>
          </thead>
          <tbody>
            {CHECK_KINDS.map((k) =>
              !used(k) ? (
                <tr key={k} data-testid={`rule-${k}`}>
                  <th scope="row">{CHECK_TEXT[k]}</th>
                  <td colSpan={5} className="muted">
                    Not used on a review PC: it connects to no gym.
                  </td>
                </tr>
              ) : (
                <tr key={k} data-testid={`rule-${k}`}>
                  <th scope="row">{CHECK_TEXT[k]}</th>
                  <td>
                    <input type="checkbox" checked={s.rules[k].enabled} onChange={(e) => rule(k, { enabled: e.target.checked })} aria-label={`${CHECK_TEXT[k]}: alert on`} />
                  </td>
                  <td>
                    <select value={s.rules[k].when} onChange={(e) => rule(k, { when: e.target.value as 'degraded' | 'failing' })} aria-label={`${CHECK_TEXT[k]}: alert when`}>
                      <option value="degraded">degraded or worse</option>
                      <option value="failing">failing</option>
                    </select>
                  </td>
                  {(['pendingSeconds', 'keepFiringSeconds'] as const).map((f) => (
                    <td key={f}>
                      <input
                        type="number"
                        value={typed[k][f]}
                        onChange={(e) => setTyped({ ...typed, [k]: { ...typed[k], [f]: e.target.value } })}
                        aria-label={`${CHECK_TEXT[k]}: ${RULE_TIME_TEXT[f].toLowerCase()}, seconds`}
                        {...invalidProps(fieldError(`${k}.${f}`), `${k}-${f}-error`)}
                      />
                      <ErrorText message={fieldError(`${k}.${f}`)} id={`${k}-${f}-error`} />
                    </td>
                  ))}
                  <td>
                    <select value={s.rules[k].severity} onChange={(e) => rule(k, { severity: e.target.value as (typeof SEVERITIES)[number] })} aria-label={`${CHECK_TEXT[k]}: severity`}>
                      {SEVERITIES.map((v) => (
                        <option key={v}>{v}</option>
                      ))}
                    </select>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        <div className="field-with-error">
          <label className="field inline">
            <span>Notifications per hour at most</span>
            <input type="number" value={cap} onChange={(e) => setCap(e.target.value)} aria-label="Notifications per hour at most" {...invalidProps(fieldError('maxPerHour'), 'cap-error')} />
          </label>
          <ErrorText message={fieldError('maxPerHour')} id="cap-error" />
        </div>
        <p className="muted small" data-testid="rules-help">
          {RULE_TIME_TEXT.pendingSeconds}: how long a trouble must last before anyone is told. {RULE_TIME_TEXT.keepFiringSeconds}: how long it must stay back to normal before the alert closes, so a backend that keeps dropping out and coming back is one alert, not many.
        </p>
        <SaveButton busy={busy} outcome={error ? null : outcome} />
      </form>
      <ErrorText message={formError(shown)} />
    </section>
  );
}
