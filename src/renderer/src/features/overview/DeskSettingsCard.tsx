import { useEffect, useState, type FormEvent } from 'react';
import { MEMBER_STATUSES } from '../../../../shared/protocol';
import type { DeskSettings } from '../../../../shared/desk';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';
import { SaveButton } from '../../components/SaveButton';

/** Managers: the offline policy the kiosk states and follows, how long a verdict shows, when Overview warns. */
export function DeskSettingsCard() {
  const { call, error, busy } = useCall();
  const [s, setS] = useState<DeskSettings | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void call('desk.settings', undefined).then((r) => r.ok && setS(r.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!s) return null;
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = await call('desk.configure', { offlinePolicy: s.offlinePolicy, verdictSeconds: s.verdictSeconds, busyAt: s.busyAt, nearlyFullAt: s.nearlyFullAt });
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
        <label className="field inline">
          <span>Kiosk verdict shows for</span>
          <input type="number" value={s.verdictSeconds} onChange={(e) => setS({ ...s, verdictSeconds: Number(e.target.value) })} aria-label="Seconds a verdict shows" />
          <span className="muted">s</span>
        </label>
        <fieldset className="warn-at">
          <legend>Warn on Overview when the gym is</legend>
          <label className="field inline">
            <span>Busy at</span>
            <input type="number" min={0} value={s.busyAt} onChange={(e) => setS({ ...s, busyAt: Number(e.target.value) })} aria-label="Warn busy at, people" />
            <span className="muted">people</span>
          </label>
          <label className="field inline">
            <span>Nearly full at</span>
            <input type="number" min={0} value={s.nearlyFullAt} onChange={(e) => setS({ ...s, nearlyFullAt: Number(e.target.value) })} aria-label="Warn nearly full at, people" />
            <span className="muted">people</span>
          </label>
          <span className="muted small">0: at 80 % and 90 % of the backend's capacity. The capacity itself is the backend's; these only warn.</span>
        </fieldset>
        <SaveButton busy={busy} saved={saved && !error} />
      </form>
      <ErrorText message={error} />
    </section>
  );
}
