import { useConsole } from '../../store/console-store';
import { formatClock, formatTime } from '../../format';
import { PLACE_TAGS, REASON_WORDS, overruledWords } from '../../../../shared/words';
import type { CheckinEntry } from '../../../../shared/state';
import { StaleNote } from '../../components/StaleNote';
import { ShownName } from '../../components/ShownName';
import { clockSaidWords, feedOrderNote, feedRows, feedTimeParts } from './feed-rows';
import { cutLetters } from '../../graphemes';

/** The live check-in feed, newest arrival first (feed-rows.ts says why not by scan time). */
export function CheckinFeed() {
  const checkins = useConsole((s) => s.checkins);
  const backendAway = useConsole((s) => s.connection.state === 'offline');
  const lastKnownAt = useConsole((s) => s.occupancy.at);
  const waiting = useConsole((s) => s.waitingCheckins);
  // Today, for the rows' dates and which times can be believed: to the minute, so the list is not drawn again each second.
  const now = useConsole((s) => s.receivedAt - (s.receivedAt % 60_000));
  const rows = feedRows(checkins, undefined, now);
  const orderNote = feedOrderNote(rows);
  return (
    <section className="card feed" aria-labelledby="feed-title">
      <h2 id="feed-title">Live check-ins</h2>
      <StaleNote />
      {/* The list is what the backend last sent (kept across a restart): say so while it is away. */}
      {backendAway && rows.length > 0 && (
        <p className="warn-text small" data-testid="feed-last-known">
          Last known{lastKnownAt !== undefined && ` at ${formatClock(lastKnownAt)}`}: this PC is not connected to the backend, so check-ins at other desks and kiosks show once it is back.
        </p>
      )}
      {orderNote && (
        <p className="muted small" data-testid="feed-order-note">
          {orderNote}
        </p>
      )}
      {rows.length === 0 && waiting.length === 0 ? (
        <p className="muted">{backendAway ? 'No check-ins known yet: this PC is not connected to the backend.' : 'Waiting for the first check-in…'}</p>
      ) : (
        <table className="fixed-cols">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Where</th>
              <th scope="col">Member</th>
              <th scope="col">Card</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody data-testid="checkin-rows">
            {/* Taken on this PC and kept for the backend: listed now, replaced by the backend's row when it is sent. */}
            {waiting.map((w) => (
              <tr key={w.key} className="waiting" data-testid="waiting-checkin">
                <td className="num">{formatTime(w.ts)}</td>
                <td className="place">{PLACE_TAGS[w.source]}</td>
                <td>{w.name ? <ShownName name={w.name} /> : <span className="muted">Unknown card</span>}</td>
                <td className="num muted">{w.cardId}</td>
                <td>
                  {w.decided && <span className={`verdict ${w.decided.allowed ? 'ok' : 'no'}`}>{REASON_WORDS[w.decided.reason]}</span>}
                  <span className="late">{w.decided ? 'Decided on this PC; waiting to send to the backend' : 'Waiting to send to the backend'}</span>
                </td>
              </tr>
            ))}
            {rows.map(({ c, late }) => (
              <tr key={`${c.seq}:${c.ts}`} className={c.allowed ? 'allowed' : 'denied'} data-seq={c.seq} data-ts={c.ts}>
                <td className="num">
                  <Stamp ts={c.ts} now={now} />
                  {/* The backend stamped this one past belief, so it is listed as of when it arrived (main's feed.ts); Health tells IT. */}
                  {c.clockSaid !== undefined && (
                    <span className="late" data-testid="clock-said">
                      {clockSaidWords(c.clockSaid, now)}
                    </span>
                  )}
                  {/* Scanned while the backend was away or slow: the time is the scan's, and this says why the row is new. */}
                  {c.arrivedAt !== undefined ? (
                    <span className="late">reached the backend at {formatClock(c.arrivedAt)}</span>
                  ) : late ? (
                    <span className="late" data-testid="arrived-late">
                      reached the backend late, after later scans
                    </span>
                  ) : (
                    // A short wait names no time (it would be the scan's own minute), but is not left without a trace (probe27a P7).
                    // Offline, not "here": the backend passes on every console's offline decision (review27 V7).
                    c.decidedOffline && (
                      <span className="late" data-testid="decided-here-sent">
                        decided offline; sent within a minute
                      </span>
                    )
                  )}
                </td>
                <td className="place">{PLACE_TAGS[c.source]}</td>
                <td>{c.name ? <ShownName name={c.name} /> : <span className="muted">Unknown card</span>}</td>
                <td className="num muted">{c.cardId}</td>
                <td>
                  <span className={`verdict ${c.allowed ? 'ok' : 'no'}`}>{REASON_WORDS[c.reason]}</span>
                  {c.note && (
                    <span className="muted note" data-testid="checkin-note" title={c.note}>
                      {' '}
                      · why: {cutLetters(c.note, 60)}
                    </span>
                  )}
                  <Overruled c={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A row's time, its date (with the year when not this year's) on a line above it, so the column never cuts either. */
function Stamp({ ts, now }: { ts: number; now: number }) {
  const { date, time } = feedTimeParts(ts, now);
  return (
    <>
      {date !== null && <span className="stamp-date">{date},</span>} {time}
    </>
  );
}

/** A PC's offline decision the backend overruled: the member walked in (or was turned away) against its record. */
function Overruled({ c }: { c: CheckinEntry }) {
  const words = overruledWords(c);
  return words ? (
    <span className="overruled" data-testid="overruled">
      {words}
    </span>
  ) : null;
}
