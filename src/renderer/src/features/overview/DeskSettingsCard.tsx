import { useEffect, useState, type FormEvent } from 'react';
import { MEMBER_STATUSES } from '../../../../shared/protocol';
import { occupancyWarnings, type DeskSettings } from '../../../../shared/desk';
import { useConsole } from '../../store/console-store';
import { useCall } from '../../components/useCall';
import { typedNumber } from '../../components/typed-number';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { SaveButton, type SaveOutcome } from '../../components/SaveButton';
import { changedFields, withEdits } from '../../components/form-edits';

/** Managers: the offline policy the kiosk states and follows, how long a verdict shows, when Overview warns. */
export function DeskSettingsCard() {
  const { call, error, fieldError, formError, busy } = useCall();
  const [s, setS] = useState<DeskSettings | null>(null);
  // As last read or saved: a save sends only what differs from it (form-edits.ts).
  const [drawn, setDrawn] = useState<DeskSettings | null>(null);
  // As typed, so a refused value stays on screen to correct.
  const [typed, setTyped] = useState({ verdictSeconds: '', busyAt: '', nearlyFullAt: '' });
  const [outcome, setOutcome] = useState<SaveOutcome>(null);
  const capacity = useConsole((st) => st.occupancy.capacity);
  const auto = occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, capacity);
  // 0 is automatic: shown as a blank field that says what automatic is, not as "busy at 0 people".
  const boxes = (v: DeskSettings): typeof typed => ({ verdictSeconds: String(v.verdictSeconds), busyAt: v.busyAt ? String(v.busyAt) : '', nearlyFullAt: v.nearlyFullAt ? String(v.nearlyFullAt) : '' });
  const show = (v: DeskSettings): void => {
    setS(v);
    setDrawn(v);
    setTyped(boxes(v));
  };
  useEffect(() => {
    void call('desk.settings', undefined).then((r) => r.ok && show(r.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!s || !drawn) return null;
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const next = { offlinePolicy: s.offlinePolicy, verdictSeconds: typedNumber(typed.verdictSeconds), busyAt: warnAt(typed.busyAt), nearlyFullAt: warnAt(typed.nearlyFullAt) };
    const form = (v: DeskSettings) => ({ offlinePolicy: v.offlinePolicy, verdictSeconds: v.verdictSeconds, busyAt: v.busyAt, nearlyFullAt: v.nearlyFullAt });
    // Laid over what is saved now, value by value (a box ticked here, another there in the same list: review26 V1).
    const latest = await call('desk.settings', undefined);
    const now = form(latest.ok ? latest.value : drawn);
    const patch = changedFields(now, withEdits(now, form(drawn), next));
    if (!Object.keys(patch).length) {
      // Sent, it wrote an audit row of no change and said "Saved." (review26 V16).
      setOutcome('unchanged');
      if (latest.ok) show(latest.value);
      return;
    }
    const r = await call('desk.configure', patch);
    setOutcome(r.ok ? 'saved' : null);
    // What is saved now, another screen's changes included.
    if (r.ok) show(r.value);
    else if (latest.ok) {
      // Refused, maybe against a value another screen saved ("at least Busy at (50 people)" beside a box reading
      // automatic): what is saved now is shown, what was changed here stays to correct (review26 V16).
      const was = boxes(drawn);
      const fresh = boxes(latest.value);
      setTyped((t) => ({ verdictSeconds: t.verdictSeconds === was.verdictSeconds ? fresh.verdictSeconds : t.verdictSeconds, busyAt: t.busyAt === was.busyAt ? fresh.busyAt : t.busyAt, nearlyFullAt: t.nearlyFullAt === was.nearlyFullAt ? fresh.nearlyFullAt : t.nearlyFullAt }));
      setS(withEdits(latest.value, drawn, s));
      setDrawn(latest.value);
    }
  };
  const toggle = (st: (typeof MEMBER_STATUSES)[number]): void => {
    const has = s.offlinePolicy.allowStatuses.includes(st);
    setS({ ...s, offlinePolicy: { ...s.offlinePolicy, allowStatuses: has ? s.offlinePolicy.allowStatuses.filter((x) => x !== st) : [...s.offlinePolicy.allowStatuses, st] } });
  };
  return (
    <section className="card" aria-labelledby="desk-settings-title">
      <h2 id="desk-settings-title">Desk and kiosk settings</h2>
      {/* Kept in this PC's console.db: a kiosk PC of its own kept on letting in whom a manager here turned away (probe26b B7). */}
      <p className="muted small" data-testid="desk-settings-scope">
        For this PC and the kiosk screens it serves. A kiosk PC that runs its own console keeps its own: set them on it (Ctrl+Alt+Shift+K, the manager PIN, then Overview).
      </p>
      <form className="settings-form" onSubmit={(e) => void save(e)} noValidate>
        <fieldset className="category-filter">
          <legend>Offline, let in</legend>
          <ErrorText message={fieldError('allowStatuses')} />
          {MEMBER_STATUSES.map((st) => (
            <label key={st}>
              <input type="checkbox" checked={s.offlinePolicy.allowStatuses.includes(st)} onChange={() => toggle(st)} /> {st}
            </label>
          ))}
        </fieldset>
        {/* review27 V10: these never open a full gym: offline, this PC holds the capacity with its own count. */}
        <p className="muted small" data-testid="offline-full-note">
          A full gym stays full offline: once this PC's count reaches the capacity, it lets nobody in by itself, whatever is ticked here.
        </p>
        <label className="field inline">
          <input type="checkbox" checked={s.offlinePolicy.unknownCard === 'allow'} onChange={(e) => setS({ ...s, offlinePolicy: { ...s.offlinePolicy, unknownCard: e.target.checked ? 'allow' : 'deny' } })} />
          <span>Offline, let unknown cards in</span>
        </label>
        <ErrorText message={fieldError('unknownCard')} />
        <label className="field inline">
          <span>Verdict time (kiosk)</span>
          <input type="number" value={typed.verdictSeconds} onChange={(e) => setTyped({ ...typed, verdictSeconds: e.target.value })} aria-label="Seconds a verdict shows" {...invalidProps(fieldError('verdictSeconds'), 'verdict-error')} />
          <span className="muted">s</span>
        </label>
        <ErrorText message={fieldError('verdictSeconds')} id="verdict-error" />
        <fieldset className="warn-at">
          <legend>Warn on Overview when the gym is</legend>
          {(
            [
              ['busyAt', 'Busy at', 'Warn busy at, people', 80],
              ['nearlyFullAt', 'Nearly full at', 'Warn nearly full at, people', 90],
            ] as const
          ).map(([key, label, aria, pct]) => (
            <div key={key} className="field-with-error">
              {/* The name above its box; what the box means beside it, or whole on the next line when the column is narrow. */}
              <label className="field threshold">
                <span>{label}</span>
                <span className="threshold-box">
                  <input type="number" min={0} value={typed[key]} placeholder="auto" onChange={(e) => setTyped({ ...typed, [key]: e.target.value })} aria-label={aria} {...invalidProps(fieldError(key), `${key}-error`)} />
                  <span className="muted" data-testid={`${key}-means`}>
                    {warnAt(typed[key]) === 0 ? automaticMeans(pct, auto[key], capacity) : 'people'}
                  </span>
                </span>
              </label>
              <ErrorText message={fieldError(key)} id={`${key}-error`} />
            </div>
          ))}
          <span className="muted small">{automaticHint(capacity, auto)} The capacity itself is the backend's; these only warn.</span>
        </fieldset>
        <SaveButton busy={busy} outcome={error ? null : outcome} />
      </form>
      <ErrorText message={formError(['verdictSeconds', 'busyAt', 'nearlyFullAt', 'allowStatuses', 'unknownCard'])} />
    </section>
  );
}

/** A warning threshold as typed: blank (or 0) is automatic, sent as 0. */
const warnAt = (text: string): number => (text.trim() === '' ? 0 : typedNumber(text));

/** A small gym's automatic warnings are not the plain percentages: they are kept below the capacity (desk.ts). */
const plainPct = (pct: number, capacity: number): number => Math.round((capacity * pct) / 100);

/** Beside a blank threshold: what automatic is at this capacity. */
function automaticMeans(pct: number, auto: number, capacity: number): string {
  if (!capacity || auto === plainPct(pct, capacity)) return `automatic: ${pct} % of capacity${capacity ? ` (${auto})` : ''}`;
  return auto ? `automatic: ${auto}, below full at ${capacity}` : 'automatic: none, the gym is too small';
}

/** What automatic means, with today's numbers: a 0 alone on screen read as "warn at nobody". */
function automaticHint(capacity: number, auto: { busyAt: number; nearlyFullAt: number }): string {
  const kept = capacity > 0 && (auto.busyAt !== plainPct(80, capacity) || auto.nearlyFullAt !== plainPct(90, capacity));
  return `Leave blank (or 0) for automatic: 80 % and 90 % of the backend's capacity${capacity ? ` of ${capacity.toLocaleString('en')} people` : ''}${kept ? ', kept below it' : ''}.`;
}
