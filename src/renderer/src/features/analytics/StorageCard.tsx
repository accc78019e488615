import { useEffect, useState, type FormEvent } from 'react';
import { formatMb } from '../../../../shared/size-words';
import type { AnalyticsSettings, AnalyticsView } from '../../../../shared/analytics';
import { changedFields, withEdits } from '../../components/form-edits';
import { useCall } from '../../components/useCall';
import { typedNumber } from '../../components/typed-number';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { SaveButton, type SaveOutcome } from '../../components/SaveButton';
import { useCan } from '../../store/auth-hooks';

const TIERS = [
  ['events', 'Events'],
  ['samples', '10-second samples'],
  ['hours', 'Hourly rollups'],
  ['days', 'Daily rollups'],
] as const;
type Tier = (typeof TIERS)[number][0];

/** The zone names this browser knows (the console checks them the same way); UTC is not always among them. */
const ZONES = (() => {
  const all = Intl.supportedValuesOf('timeZone');
  return all.includes('UTC') ? all : ['UTC', ...all];
})();

/** Size of the store, and how long each tier is kept; daily rollups follow the gym's time zone. */
export function StorageCard({ view }: { view: AnalyticsView }) {
  const { call, error, fieldError, formError, busy } = useCall();
  const [s, setS] = useState<AnalyticsSettings | null>(null);
  // As last read or saved: a save sends only what differs from it (form-edits.ts).
  const [drawn, setDrawn] = useState<AnalyticsSettings | null>(null);
  // Days as typed, so a refused value stays on screen to correct.
  const [days, setDays] = useState<Record<Tier, string>>({ events: '', samples: '', hours: '', days: '' });
  const [outcome, setOutcome] = useState<SaveOutcome>(null);
  const [siteName, setSiteName] = useState('');
  const canConfigure = useCan('analytics.configure');
  const show = (v: AnalyticsSettings): void => {
    setS(v);
    setDrawn(v);
    setSiteName(v.siteName ?? '');
    setDays(Object.fromEntries(TIERS.map(([k]) => [k, String(v.retentionDays[k])])) as Record<Tier, string>);
  };
  useEffect(() => {
    void call('analytics.settings', undefined).then((r) => r.ok && show(r.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!s || !drawn) return;
    const retentionDays = Object.fromEntries(TIERS.map(([k]) => [k, typedNumber(days[k])])) as AnalyticsSettings['retentionDays'];
    const form = (v: AnalyticsSettings) => ({ timezone: v.timezone, retentionDays: v.retentionDays, siteName: v.siteName ?? '' });
    // Laid over what is saved now, value by value (one tier's days here, another's on another screen: review26 V1).
    const latest = await call('analytics.settings', undefined);
    const now = form(latest.ok ? latest.value : drawn);
    const changed = changedFields(now, withEdits(now, form(drawn), { timezone: s.timezone, retentionDays, siteName }));
    // A name left blank keeps the saved one (as before): only a name typed is sent.
    if (!siteName.trim()) delete changed.siteName;
    if (!Object.keys(changed).length) {
      setOutcome('unchanged');
      if (latest.ok) show(latest.value);
      return;
    }
    const r = await call('analytics.configure', changed);
    setOutcome(r.ok ? 'saved' : null);
    if (r.ok) show(r.value);
  };
  const storage = view.storage!;
  return (
    <section className="card storage" aria-labelledby="storage-title">
      <h2 id="storage-title">Storage</h2>
      {/* One figure for the manager; the split (the database file and its write-ahead log) is there for IT on hover. */}
      <p className="num" title={`Database ${storage.dbMb} MB, write-ahead log ${storage.walMb} MB`}>
        Analytics data {formatMb(storage.dbMb + storage.walMb)}
        {storage.freeDiskMb !== null && <> · {formatMb(storage.freeDiskMb)} free</>}
      </p>
      <p className="muted">Read from the {view.tier === '10s' ? '10-second samples' : view.tier === 'hour' ? 'hourly rollups' : 'daily rollups'}.</p>
      {s && canConfigure && (
        <form onSubmit={(e) => void save(e)} className="settings-form" noValidate>
          <label className="field inline">
            <span>Time zone</span>
            <input
              value={s.timezone}
              onChange={(e) => setS({ ...s, timezone: e.target.value })}
              aria-label="Gym time zone"
              list="timezone-names"
              {...invalidProps(fieldError('timezone'), 'timezone-error')}
              aria-describedby={fieldError('timezone') ? 'timezone-error timezone-note' : 'timezone-note'}
            />
            <datalist id="timezone-names">
              {ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
          <p className="muted note" id="timezone-note" data-testid="timezone-note">
            Used for daily totals, the Analytics charts and times, and the local-time column of exports; the other tabs show this PC's clock.
          </p>
          <ErrorText message={fieldError('timezone')} id="timezone-error" />
          <label className="field inline">
            <span>Gym name</span>
            <input value={siteName} placeholder="Not set" onChange={(e) => setSiteName(e.target.value)} aria-label="Gym name in exports" {...invalidProps(fieldError('siteName'), 'site-name-error')} />
          </label>
          <ErrorText message={fieldError('siteName')} id="site-name-error" />
          {TIERS.map(([k, label]) => (
            <div key={k} className="field-with-error">
              <label className="field inline">
                <span>Keep {label.toLowerCase()}</span>
                <input
                  type="number"
                  value={days[k]}
                  onChange={(e) => setDays({ ...days, [k]: e.target.value })}
                  aria-label={`Days to keep ${label.toLowerCase()}`}
                  {...invalidProps(fieldError(`retentionDays.${k}`), `keep-${k}-error`)}
                />
                <span className="muted">days</span>
              </label>
              <ErrorText message={fieldError(`retentionDays.${k}`)} id={`keep-${k}-error`} />
            </div>
          ))}
          <SaveButton busy={busy} outcome={error ? null : outcome} />
        </form>
      )}
      <ErrorText message={formError(['timezone', 'siteName', ...TIERS.map(([k]) => `retentionDays.${k}`)])} />
    </section>
  );
}
