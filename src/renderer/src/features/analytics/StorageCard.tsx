import { useEffect, useState, type FormEvent } from 'react';
import type { AnalyticsSettings, AnalyticsView } from '../../../../shared/analytics';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';
import { SaveButton } from '../../components/SaveButton';
import { useCan } from '../../store/auth-store';

const TIERS = [
  ['events', 'Events'],
  ['samples', '10-second samples'],
  ['hours', 'Hourly rollups'],
  ['days', 'Daily rollups'],
] as const;

/** Size of the store, and how long each tier is kept; daily rollups follow the gym's time zone. */
export function StorageCard({ view }: { view: AnalyticsView }) {
  const { call, error, busy } = useCall();
  const [s, setS] = useState<AnalyticsSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const canConfigure = useCan('analytics.configure');
  useEffect(() => {
    void call('analytics.settings', undefined).then((r) => r.ok && setS(r.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!s) return;
    const r = await call('analytics.configure', s);
    setSaved(r.ok);
  };
  const storage = view.storage!;
  return (
    <section className="card storage" aria-labelledby="storage-title">
      <h2 id="storage-title">Storage</h2>
      <p className="num">
        Database {storage.dbMb} MB · WAL {storage.walMb} MB
        {storage.freeDiskMb !== null && <> · {Math.round(storage.freeDiskMb / 1024)} GB free</>}
      </p>
      <p className="muted">Read from the {view.tier === '10s' ? '10-second samples' : view.tier === 'hour' ? 'hourly rollups' : 'daily rollups'}.</p>
      {s && canConfigure && (
        <form onSubmit={(e) => void save(e)} className="settings-form">
          <label className="field inline">
            <span>Time zone</span>
            <input value={s.timezone} onChange={(e) => setS({ ...s, timezone: e.target.value })} aria-label="Gym time zone" />
          </label>
          {TIERS.map(([k, label]) => (
            <label key={k} className="field inline">
              <span>Keep {label.toLowerCase()}</span>
              <input type="number" value={s.retentionDays[k]} onChange={(e) => setS({ ...s, retentionDays: { ...s.retentionDays, [k]: Number(e.target.value) } })} aria-label={`Days to keep ${label.toLowerCase()}`} />
              <span className="muted">days</span>
            </label>
          ))}
          <SaveButton busy={busy} saved={saved && !error} />
        </form>
      )}
      <ErrorText message={error} />
    </section>
  );
}
