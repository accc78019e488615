import { useEffect, useState } from 'react';
import { AVAILABILITY_OBJECTIVE, AVAILABILITY_WINDOWS, MONTH_BUDGET_MS, type AvailabilityRow } from '../../../../shared/health';
import { useCall } from '../../components/useCall';
import { MIN_MEASURED_MS, WINDOW_TEXT, availabilityWords, budgetWords, objectiveText, spanWords } from './availability-words';
import { ErrorText } from '../../components/ErrorText';
import { useConsole } from '../../store/console-store';

/** How often the gym's system answered, against 99.9 %, per instance and overall, with what is left of the month's allowed downtime. */
export function Availability() {
  const review = useConsole((s) => s.mode.review);
  return review ? <NotUsedHere /> : <Measured />;
}

/** Availability is the gym backend's, as this PC reached it: a review PC reaches none. */
function NotUsedHere() {
  return (
    <section className="card" aria-labelledby="avail-title" data-testid="availability">
      <h2 id="avail-title">Availability</h2>
      <p className="muted">Not used on a review PC: it measures how often the gym's system answered this PC, and this PC connects to no gym.</p>
    </section>
  );
}

/** Under an hour measured, every window holds the same few samples and shows no share: one cell says so. */
const tooSoon = (r: AvailabilityRow): boolean => AVAILABILITY_WINDOWS.every((w) => r.windows[w].measuredMs < MIN_MEASURED_MS);

function Measured() {
  const { call, error } = useCall();
  const [rows, setRows] = useState<AvailabilityRow[] | null>(null);
  useEffect(() => {
    const load = () => void call('health.availability', undefined).then((r) => r.ok && setRows(r.value));
    load();
    // The samples come every 10 s; so does this view.
    const t = setInterval(load, 10_000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <section className="card" aria-labelledby="avail-title" data-testid="availability">
      <h2 id="avail-title">Availability</h2>
      <p className="muted small">How much of the time the gym's system answered this PC; the aim is {objectiveText}.</p>
      {rows && rows.length === 0 && <p className="muted">Nothing measured yet: the console checks every 10 seconds while it runs.</p>}
      {rows && rows.length > 0 && (
        <table className="sockets">
          <thead>
            <tr>
              <th scope="col">Backend instance</th>
              {AVAILABILITY_WINDOWS.map((w) => (
                <th scope="col" key={w}>
                  {WINDOW_TEXT[w]}
                </th>
              ))}
              <th scope="col">Downtime still allowed (30 days)</th>
              <th scope="col">Measured for</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.target} className={r.former ? 'muted' : undefined}>
                <th scope="row">
                  {r.target ? r.target.replace(/^wss?:\/\//, '') : 'Overall'}
                  {r.former && <span className="small"> (an old address: the backend is no longer reached there)</span>}
                </th>
                {tooSoon(r) ? (
                  <td colSpan={AVAILABILITY_WINDOWS.length} className="muted">
                    {availabilityWords(r.windows['30d'].ratio, r.windows['30d'].measuredMs)}
                  </td>
                ) : (
                  AVAILABILITY_WINDOWS.map((w) => {
                    const x = r.windows[w];
                    const shown = x.ratio !== null && x.measuredMs >= MIN_MEASURED_MS;
                    const below = shown && x.ratio! < AVAILABILITY_OBJECTIVE;
                    return (
                      <td key={w} className={below ? 'warn-text' : shown ? '' : 'muted'} title={shown ? `measured for ${spanWords(x.measuredMs)}` : undefined}>
                        {availabilityWords(x.ratio, x.measuredMs)}
                      </td>
                    );
                  })
                )}
                <td className={r.budgetLeftMs < 0 ? 'warn-text' : ''}>{budgetWords(r.budgetLeftMs)}</td>
                <td className="muted">{spanWords(r.windows['30d'].measuredMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small" data-testid="availability-help">
        Checked every 10 seconds, only while the console runs; a share is shown once an hour has been measured. Aiming for {objectiveText} allows about {spanWords(MONTH_BUDGET_MS)} without an answer in 30 days: “Downtime still allowed” is what is left of that. Exports carry these measurements.
      </p>
      <ErrorText message={error} />
    </section>
  );
}
