import { useConsole } from '../../store/console-store';
import { formatTime } from '../../format';
import { REASON_WORDS } from '../../../../shared/words';
import { StaleNote } from '../../components/StaleNote';

/** The live check-in feed, newest first. */
export function CheckinFeed() {
  const checkins = useConsole((s) => s.checkins);
  const rows = checkins.slice(-50).reverse();
  return (
    <section className="card feed" aria-labelledby="feed-title">
      <h2 id="feed-title">Live check-ins</h2>
      <StaleNote />
      {rows.length === 0 ? (
        <p className="muted">Waiting for the first check-in…</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Member</th>
              <th scope="col">Card</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody data-testid="checkin-rows">
            {rows.map((c) => (
              <tr key={c.seq} className={c.allowed ? 'allowed' : 'denied'} data-seq={c.seq} data-ts={c.ts}>
                <td className="num">{formatTime(c.ts)}</td>
                <td>{c.name ?? <span className="muted">Unknown card</span>}</td>
                <td className="num muted">{c.cardId}</td>
                <td>
                  <span className={`verdict ${c.allowed ? 'ok' : 'no'}`}>{REASON_WORDS[c.reason]}</span>
                  {c.note && (
                    <span className="muted note" data-testid="checkin-note" title={c.note}>
                      {' '}
                      · why: {c.note.length > 60 ? `${c.note.slice(0, 59)}…` : c.note}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
