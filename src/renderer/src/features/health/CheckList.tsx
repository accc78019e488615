import { useConsole } from '../../store/console-store';
import { HEALTH_CLASS, STATUS_LABEL } from '../../components/HealthPill';
import { formatTime } from '../../format';
import { figure } from '../../../../shared/words';
import { StaleNote } from '../../components/StaleNote';

/** Every check with its status, reason and figure, and its recent changes on demand. */
export function CheckList() {
  const checks = useConsole((s) => s.health.checks);
  const review = useConsole((s) => s.mode.review);
  return (
    <section className="card" aria-labelledby="checks-title" data-testid="check-list">
      <h2 id="checks-title">Health checks</h2>
      {review && (
        <p className="muted note" data-testid="checks-review-pc">
          This PC is for reviewing exports and connects to no gym, so the checks of the backend connection, live event feed, roster copy, outgoing messages and clock are not used here.
        </p>
      )}
      <ul className="checks">
        {checks.map((c) => (
          <li key={c.id} data-testid={`check-${c.id}`}>
            <span className={`pill ${HEALTH_CLASS[c.status]}`}>
              <span className="dot" aria-hidden="true" />
              {STATUS_LABEL[c.status]}
            </span>
            <strong>{c.label}</strong>
            <span className="num muted">{c.value === null ? '–' : figure(c.value, c.unit)}</span>
            <span className="check-reason">{c.reason}</span>
            <details>
              <summary>History ({c.history.length})</summary>
              <ol className="history">
                {c.history.map((h) => (
                  <li key={h.ts}>
                    {formatTime(h.ts)} · {STATUS_LABEL[h.status]} · {h.reason}
                  </li>
                ))}
              </ol>
            </details>
          </li>
        ))}
      </ul>
      <StaleNote />
    </section>
  );
}
