import { useConsole } from '../../store/console-store';
import { useCall } from '../../components/useCall';
import { useCan } from '../../store/auth-hooks';
import { formatTime } from '../../format';
import { clearingWords, sinceWords, stateWords } from './alert-words';
import { ErrorText } from '../../components/ErrorText';
import { StaleNote } from '../../components/StaleNote';

/** Active alerts first, then the recently resolved with how long each lasted: acknowledge, silence. */
export function AlertList() {
  const alerts = useConsole((s) => s.health.alerts);
  const notices = useConsole((s) => s.health.notices);
  // Without the console the list is as it last was (readme25 W7: "35 s so far" frozen, with live-looking buttons): said, and no buttons.
  const linked = useConsole((s) => s.bridge === 'open');
  const canAck = useCan('alerts.ack') && linked;
  const canSilence = useCan('alerts.silence') && linked;
  const { call, error } = useCall();
  // When state last arrived (each second while the console runs): what "today" is for the start's date.
  const now = useConsole((s) => s.receivedAt);
  return (
    <section className="card" aria-labelledby="alerts-title" data-testid="alert-list">
      <h2 id="alerts-title">Alerts</h2>
      {alerts.length === 0 && <p className="muted">No alerts: nothing has been wrong for long enough to tell anyone.</p>}
      <ul className="alert-list">
        {alerts.map((a) => (
          <li key={`${a.id}-${a.since}`} className={`alert-item alert-${a.state}`} data-testid={`alert-${a.id}`}>
            <div className="alert-head">
              <span className={`sev sev-${a.severity}`}>{a.severity}</span>
              <strong>{a.label}</strong>
              <span className="alert-state">{stateWords(a)}</span>
              <span className="muted small">{sinceWords(a, now)}</span>
            </div>
            <p className="alert-reason">{a.reason}</p>
            {a.state === 'firing' && a.clearedAt !== null && <p className="muted small">{clearingWords(a.clearedAt)}</p>}
            {a.inhibitedBy && <p className="muted small">Part of “{a.inhibitedBy}”: not notified separately.</p>}
            {a.ackedBy && <p className="muted small">Acknowledged by {a.ackedBy}.</p>}
            {a.silencedUntil && <p className="muted small">Silenced until {formatTime(a.silencedUntil)}.</p>}
            <div className="buttons">
              {canAck && a.state !== 'resolved' && !a.ackedBy && (
                <button type="button" onClick={() => void call('alerts.ack', { id: a.id })}>
                  Acknowledge
                </button>
              )}
              {canSilence && a.state !== 'resolved' &&
                (a.silencedUntil ? (
                  <button type="button" onClick={() => void call('alerts.silence', { id: a.id, minutes: 0 })}>
                    Lift silence
                  </button>
                ) : (
                  <button type="button" onClick={() => void call('alerts.silence', { id: a.id, minutes: 60 })}>
                    Silence 1 h
                  </button>
                ))}
            </div>
          </li>
        ))}
      </ul>
      <p className="muted small">
        Notifications this hour: {notices.sentLastHour} of at most {notices.cap}
        {notices.held > 0 && `; ${notices.held} held back for one digest`}.
      </p>
      <ErrorText message={error} />
      <StaleNote />
    </section>
  );
}
