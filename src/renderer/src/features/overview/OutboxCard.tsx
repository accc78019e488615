import { useConsole } from '../../store/console-store';
import { WAITING_WORDS, waitingLine } from '../../../../shared/words';
import { formatAge } from '../../format';
import { ErrorText } from '../../components/ErrorText';
import { StaleNote, useStaleAsOf } from '../../components/StaleNote';
import { useSecondTicks } from '../../components/useSecondTicks';

/** What has not reached the backend yet: the front desk must see it when the network is down. */
export function OutboxCard() {
  const o = useConsole((s) => s.outbox);
  // The backend up, its database down: it is the database that must come back, not the backend.
  const storageDown = useConsole((s) => s.connection.cause?.kind === 'storage-unavailable');
  const stale = useStaleAsOf() !== null;
  const lostAtStop = useConsole((s) => s.alerts.some((a) => a.lostCheckins));
  // Connected but slow: the messages are on their way, not waiting for the backend to come back.
  const slowMs = useConsole((s) => (s.connection.state === 'offline' ? null : (s.health.checks.find((c) => c.kind === 'speed' && c.status === 'degraded')?.value ?? null)));
  const waiting = o.queued + o.inFlight;
  // Check-ins go in the realtime lane; anything in another is some other message.
  const checkins = o.lanes.system + o.lanes.notification + o.lanes.broadcast === 0;
  const noun = (n: number): string => (checkins ? (n === 1 ? 'check-in' : 'check-ins') : n === 1 ? 'message' : 'messages');
  // Nothing changes while the backend is away, so no update comes: the age counts on here.
  const now = useSecondTicks(o.oldestAt !== null);
  const oldestAge = o.oldestAt !== null ? Math.max(0, now - o.oldestAt) : null;
  return (
    <section className="card" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title">Waiting to send</h2>
      {/* With the console link lost, "everything reached the backend" is not known: say only what was last seen. */}
      {stale ? (
        <p className="muted">
          Last seen: {waiting === 0 ? 'nothing waiting' : `${waiting} ${noun(waiting)} waiting`}. Check again once this screen is connected to the console again.
        </p>
      ) : waiting === 0 && lostAtStop ? (
        <p className="warn-text">{WAITING_WORDS.lostAtStop}</p>
      ) : waiting === 0 ? (
        <p className="ok-text">Everything has reached the backend.</p>
      ) : (
        <p className="warn-text">
          {waitingLine(waiting, o.oldestAgeMs !== null ? formatAge(oldestAge ?? o.oldestAgeMs) : null, checkins)}{' '}
          {o.why ?? (storageDown ? WAITING_WORDS.storageDown(waiting) : slowMs !== null ? WAITING_WORDS.slow(slowMs, waiting) : WAITING_WORDS.away(waiting))}
        </p>
      )}
      {o.dead > 0 && <p className="error-text">{o.dead} could not be delivered: see Dead letters on the Connection Pools tab.</p>}
      <ErrorText message={o.alert} />
      <StaleNote />
    </section>
  );
}
