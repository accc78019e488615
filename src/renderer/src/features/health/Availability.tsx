import { useEffect, useState } from 'react';
import { AVAILABILITY_OBJECTIVE, AVAILABILITY_WINDOWS, type AvailabilityRow } from '../../../../shared/health';
import { useCall } from '../../components/useCall';
import { formatAge } from '../../format';
import { ErrorText } from '../../components/ErrorText';
import { useConsole } from '../../store/console-store';

const pct = (r: number | null): string => (r === null ? 'no samples' : `${(r * 100).toFixed(r >= 0.9995 ? 2 : 3)} %`);

/** Availability against 99.9 %, per instance and overall, with what is left of the month's downtime budget. */
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
      <h2 id="avail-title">Availability (objective {AVAILABILITY_OBJECTIVE * 100} %)</h2>
      {rows && rows.length === 0 && <p className="muted">No samples yet: the console measures every 10 s while it runs.</p>}
      {rows && rows.length > 0 && (
        <table className="sockets">
          <thead>
            <tr>
              <th scope="col">Backend</th>
              {AVAILABILITY_WINDOWS.map((w) => (
                <th scope="col" key={w}>
                  {w}
                </th>
              ))}
              <th scope="col">Budget left (30 d)</th>
              <th scope="col">Measured (30 d)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.target}>
                <th scope="row">{r.target ? r.target.replace(/^wss?:\/\//, '') : 'Overall'}</th>
                {AVAILABILITY_WINDOWS.map((w) => {
                  const x = r.windows[w];
                  const below = x.ratio !== null && x.ratio < AVAILABILITY_OBJECTIVE;
                  return (
                    <td key={w} className={below ? 'warn-text' : ''} title={`measured over ${formatAge(x.measuredMs)}`}>
                      {pct(x.ratio)}
                    </td>
                  );
                })}
                <td className={r.budgetLeftMs < 0 ? 'warn-text' : ''}>{r.budgetLeftMs < 0 ? `over by ${formatAge(-r.budgetLeftMs)}` : formatAge(r.budgetLeftMs)}</td>
                <td className="muted">{formatAge(r.windows['30d'].measuredMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">Measured every 10 s, only while the console runs. The budget is 0.1 % of 30 days (43 min) less the downtime measured. Exports carry these samples.</p>
      <ErrorText message={error} />
    </section>
  );
}
