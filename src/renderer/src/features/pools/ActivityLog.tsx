import { useConsole } from '../../store/console-store';
import { formatTime } from '../../format';
import { ACTIVITY_KINDS } from '../../../../shared/activity';

/** What the pools did, newest first. */
export function ActivityLog() {
  const activity = useConsole((s) => s.activity);
  const rows = activity.slice(-40).reverse();
  return (
    <section className="card activity" aria-labelledby="activity-title">
      <h2 id="activity-title">Connection events</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol data-testid="activity" tabIndex={0} aria-label="Connection events, newest first">
          {rows.map((a, i) => (
            <li key={`${a.ts}-${i}`} className={ACTIVITY_KINDS[a.type].bad ? 'bad' : ''}>
              <span className="num muted">{formatTime(a.ts)}</span> <strong>{a.type}</strong>{' '}
              <span className="num">{[a.pool, a.endpoint.replace(/^wss?:\/\//, '')].filter(Boolean).join(' · ')}</span>{' '}
              <span className="muted">{a.detail}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
