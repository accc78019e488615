import { useConsole } from '../../store/console-store';
import { formatTime } from '../../format';
import { ACTIVITY_KINDS } from '../../../../shared/activity';
import { Address } from '../../components/Address';
import { activityWords } from '../../../../shared/words';

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
              <span className="num muted">{formatTime(a.ts)}</span> <strong title={a.type}>{activityWords(a.type)}</strong>{' '}
              {a.pool && <span>{a.pool}</span>}
              {a.pool && a.endpoint && ' · '}
              {a.endpoint && <Address url={a.endpoint} />}{' '}
              <span className="muted">{a.detail}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
