import { useState } from 'react';
import { useCall } from '../../components/useCall';
import { useConsole } from '../../store/console-store';
import { formatTime } from '../../format';
import { doorWords } from '../../../../shared/words';
import { StaleNote, useStaleAsOf } from '../../components/StaleNote';

/** Said at a press while this screen has no console. */
export const DOOR_WITHOUT_CONSOLE = 'Door not released: this screen has lost the console, so no release can reach the door. Open it by hand.';

const TONE = { ok: 'ok-text', wait: 'muted', bad: 'error-text', past: 'muted' } as const;

/** Buzz the front door open, now or never: the core gives it up if the backend does not confirm it soon, and says so. */
export function DoorCard() {
  const { call, error, busy } = useCall();
  // Kept by the core, so every screen of this console (and a tab switch) shows the same last release.
  const door = useConsole((s) => s.door);
  const stale = useStaleAsOf() !== null;
  const waiting = door?.state === 'waiting';
  // What a press now would wait behind: the release asked at `door.at`, or this screen's own press still on its way.
  const holdingFor = waiting ? door.at : busy ? 'sending' : null;
  const holding = holdingFor !== null;
  // A press while one waits: said, not silently dropped (the person at the desk may think it did not take).
  // Kept by the wait it came in, so a release another screen asks for later is not "pressed again" here.
  const [againFor, setAgainFor] = useState<number | string | null>(null);
  const said = door && doorWords(door, formatTime);
  // Without the console no press reaches the door: said at once, with what to do, not "try again" while someone waits outside (readme25 W15).
  const linkLost = useConsole((s) => s.bridge !== 'open');
  const [pressedWithoutLink, setPressedWithoutLink] = useState(false);
  if (!linkLost && pressedWithoutLink) setPressedWithoutLink(false);
  const press = (): void => {
    if (linkLost) return setPressedWithoutLink(true);
    if (holding) return setAgainFor(holdingFor);
    void call('door.release', { door: 'front' });
  };
  return (
    <section className="card" aria-labelledby="door-title">
      <h2 id="door-title">Front door</h2>
      {/*
        One release at a time: a press while one waits would send nothing anyway. aria-disabled, not disabled:
        a disabled button loses the keyboard focus, and the next Enter (the next person at the door) did nothing.
      */}
      <button type="button" className="primary" aria-disabled={holding || linkLost} onClick={press}>
        Release front door
      </button>
      {linkLost && pressedWithoutLink && (
        <p className="error-text" role="status" data-testid="door-no-console">
          {DOOR_WITHOUT_CONSOLE}
        </p>
      )}
      {holding && againFor === holdingFor && (
        <p className="muted" role="status" data-testid="door-again">
          {waiting ? `Still waiting for the release asked at ${formatTime(door.at)}: pressing again sends nothing more.` : 'Still sending the last press: pressing again sends nothing more.'}
        </p>
      )}
      {door && said && (
        <p className={stale && waiting ? 'muted' : TONE[said.tone]} role="status" data-testid="door-status">
          {stale && waiting ? `Asked at ${formatTime(door.at)}; whether it was released is not known while the console link is lost.` : said.text}
          {waiting && !door.durable && ' (Held in memory only: the disk is failing.)'}
        </p>
      )}
      {error && !(linkLost && pressedWithoutLink) && <p className="error-text">{error}</p>}
      <StaleNote />
    </section>
  );
}
