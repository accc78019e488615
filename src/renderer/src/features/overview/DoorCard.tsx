import { useCall } from '../../components/useCall';
import { useConsole } from '../../store/console-store';
import { formatTime } from '../../format';
import { doorWords } from '../../../../shared/words';
import { StaleNote, useStaleAsOf } from '../../components/StaleNote';

const TONE = { ok: 'ok-text', wait: 'muted', bad: 'error-text', past: 'muted' } as const;

/** Buzz the front door open, now or never: the core gives it up if the backend does not confirm it soon, and says so. */
export function DoorCard() {
  const { call, error, busy } = useCall();
  // Kept by the core, so every screen of this console (and a tab switch) shows the same last release.
  const door = useConsole((s) => s.door);
  const stale = useStaleAsOf() !== null;
  const waiting = door?.state === 'waiting';
  const said = door && doorWords(door, formatTime);
  return (
    <section className="card" aria-labelledby="door-title">
      <h2 id="door-title">Front door</h2>
      {/* One release at a time: a press while one waits would send nothing anyway. */}
      <button type="button" className="primary" disabled={busy || waiting} onClick={() => void call('door.release', { door: 'front' })}>
        Release front door
      </button>
      {door && said && (
        <p className={stale && waiting ? 'muted' : TONE[said.tone]} role="status" data-testid="door-status">
          {stale && waiting ? `Asked at ${formatTime(door.at)}; whether it was released is not known while the console link is lost.` : said.text}
          {waiting && !door.durable && ' (Held in memory only: the disk is failing.)'}
        </p>
      )}
      {error && <p className="error-text">{error}</p>}
      <StaleNote />
    </section>
  );
}
