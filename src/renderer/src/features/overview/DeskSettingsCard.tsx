import { useEffect, useState, type FormEvent } from 'react';
import { MEMBER_STATUSES } from '../../../../shared/protocol';
import type { DeskSettings } from '../../../../shared/desk';
import { useCall } from '../../components/useCall';
import { typedNumber } from '../../components/typed-number';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { SaveButton } from '../../components/SaveButton';

/** Managers: the offline policy the kiosk states and follows, how long a verdict shows, the capacity. */
export function DeskSettingsCard() {
  const { call, error, fieldError, formError, busy } = useCall();
  const [s, setS] = useState<DeskSettings | null>(null);
  // As typed, so a refused value stays on screen to correct.
  const [verdict, setVerdict] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void call('desk.settings', undefined).then((r) => {
      if (!r.ok) return;
      setS(r.value);
      setVerdict(String(r.value.verdictSeconds));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!s) return null;
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = await call('desk.configure', { offlinePolicy: s.offlinePolicy, verdictSeconds: typedNumber(verdict), capacity: s.capacity });
    setSaved(r.ok);
  };
  const toggle = (st: (typeof MEMBER_STATUSES)[number]): void => {
    const has = s.offlinePolicy.allowStatuses.includes(st);
    setS({ ...s, offlinePolicy: { ...s.offlinePolicy, allowStatuses: has ? s.offlinePolicy.allowStatuses.filter((x) => x !== st) : [...s.offlinePolicy.allowStatuses, st] } });
  };
  return (
    <section className="card" aria-labelledby="desk-settings-title">
      <h2 id="desk-settings-title">Desk and kiosk settings</h2>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        <fieldset className="category-filter">
          <legend>Offline, let in</legend>
          <ErrorText message={fieldError('allowStatuses')} />
          {MEMBER_STATUSES.map((st) => (
            <label key={st}>
              <input type="checkbox" checked={s.offlinePolicy.allowStatuses.includes(st)} onChange={() => toggle(st)} /> {st}
            </label>
          ))}
        </fieldset>
        <label className="field inline">
          <input type="checkbox" checked={s.offlinePolicy.unknownCard === 'allow'} onChange={(e) => setS({ ...s, offlinePolicy: { ...s.offlinePolicy, unknownCard: e.target.checked ? 'allow' : 'deny' } })} />
          <span>Offline, let unknown cards in</span>
        </label>
        <ErrorText message={fieldError('unknownCard')} />
        <label className="field inline">
          <span>Verdict time (kiosk)</span>
          <input type="number" value={verdict} onChange={(e) => setVerdict(e.target.value)} aria-label="Seconds a verdict shows" {...invalidProps(fieldError('verdictSeconds'), 'verdict-error')} />
          <span className="muted">s</span>
        </label>
        <ErrorText message={fieldError('verdictSeconds')} id="verdict-error" />
        <label className="field inline">
          <span>Capacity</span>
          <input type="number" value={s.capacity} onChange={(e) => setS({ ...s, capacity: Number(e.target.value) })} aria-label="Gym capacity" />
          <span className="muted">(0: the backend's)</span>
        </label>
        <ErrorText message={fieldError('capacity')} id="capacity-error" />
        <SaveButton busy={busy} saved={saved && !error} />
      </form>
      <ErrorText message={formError(['verdictSeconds', 'capacity', 'allowStatuses', 'unknownCard'])} />
    </section>
  );
}
