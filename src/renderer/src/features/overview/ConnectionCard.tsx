import { useConsole } from '../../store/console-store';
import { StatusPill } from '../../components/StatusPill';
import { restartNews } from './restart-news';
import { Address } from '../../components/Address';
import { StaleNote, useStaleAsOf } from '../../components/StaleNote';
import { replyTime, slowBackendWords, someInstancesAnswer } from '../../../../shared/words';
import { NextTry, TryNow } from '../../components/TryNow';

/** An instance's socket state in the desk's words. */
const LINK_WORDS = { open: 'connected', connecting: 'connecting…', closed: 'down' } as const;

/** The backend link at a glance: overall state, why it is down, and each instance. */
export function ConnectionCard() {
  const conn = useConsole((s) => s.connection);
  const restarted = restartNews(conn);
  // With the console link lost, the last known states are history, not news.
  const stale = useStaleAsOf() !== null;
  // An instance whose program was found stuck takes the connection but answers nothing: not counted as answering.
  const open = conn.endpoints.filter((e) => e.state === 'open' && !e.stuck).length;
  const waitingFor = (fix: boolean): number => (stale ? 0 : conn.endpoints.filter((e) => e.state !== 'open' && e.nextTryInMs !== null && !!e.needsFix === fix).length);
  // Slow is said where Health judges it (the Backend speed check), so both screens tell the same spell alike.
  const slowMs = useConsole((s) => s.health.checks.find((c) => c.kind === 'speed' && c.status === 'degraded')?.value ?? null);
  return (
    <section className="card" aria-labelledby="conn-title">
      <h2 id="conn-title">Backend</h2>
      <StatusPill state={conn.state} />
      {conn.state !== 'connected' && conn.cause && (
        <div className="cause" data-testid="connection-cause" title={conn.cause.detail}>
          <p className="cause-text">{conn.cause.text}</p>
          <p className="cause-next">{conn.cause.next}</p>
        </div>
      )}
      {conn.state === 'offline' && !conn.cause && conn.endpoints.length === 0 && (
        <div className="cause" data-testid="connection-cause">
          <p className="cause-text">No backend addresses are set on this PC, so it is not connected to the gym's system.</p>
          <p className="cause-next">A manager can add a pool on the Connection Pools tab, or IT can start the console once with --backend.</p>
        </div>
      )}
      {conn.state === 'degraded' && !stale && open > 0 && open < conn.endpoints.length && (
        <p className="warn-text" data-testid="connection-degraded">
          {someInstancesAnswer(open, conn.endpoints.length)}
        </p>
      )}
      {conn.state !== 'offline' && !stale && slowMs !== null && (
        <p className="warn-text" data-testid="connection-slow">
          {slowBackendWords(slowMs)}
        </p>
      )}
      <ul className="endpoints" data-testid="conn-endpoints">
        {conn.endpoints.map((e) => (
          <li key={e.url} title={e.primary ? 'Live events arrive over this instance' : undefined}>
            <span className={`dot dot-${stale ? 'unknown' : e.stuck || e.someStuck ? 'connecting' : e.state}`} aria-hidden="true" />
            <Address url={e.url} />{' '}
            <span className="muted state">
              {stale ? `was ${LINK_WORDS[e.state]}` : e.stuck ? 'connected · program not answering' : e.someStuck ? 'connected · an instance not answering' : e.primary ? `${LINK_WORDS[e.state]} · live events` : LINK_WORDS[e.state]}
              {!stale && e.state !== 'open' && !e.needsFix && <NextTry ms={e.nextTryInMs} />}
            </span>{' '}
            <span className="num muted rtt">{e.rttMs === null ? '–' : replyTime(e.rttMs)}</span>
            {/* A refused token does not mend itself: no countdown, but what IT must fix, on a line of its own. */}
            {!stale && e.state !== 'open' && e.needsFix && (
              <span className="needs-fix warn-text" data-testid="needs-fix">
                {e.needsFix}
              </span>
            )}
          </li>
        ))}
      </ul>
      <TryNow waiting={waitingFor(false)} afterFix={waitingFor(true)} testId="connection-try-now" />
      <StaleNote />
      {/* Events really lost are trouble; a restart caught up with is only news. */}
      {conn.eventsMissed > 0 && (
        <p className="warn-text" data-testid="events-missed">
          Some events were missed {conn.eventsMissed === 1 ? 'once' : `${conn.eventsMissed} times`}: the gym's system could not send again what this PC missed during a break, so check-ins from then are missing from this PC's lists and reports.
        </p>
      )}
      {restarted && (
        <p className="muted" data-testid="backend-restarted">
          {restarted}
        </p>
      )}
    </section>
  );
}
