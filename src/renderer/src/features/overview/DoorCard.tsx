import { create } from 'zustand';
import { useCall } from '../../components/useCall';
import { useConsole } from '../../store/console-store';
import { formatTime } from '../../format';
import { StaleNote, useStaleAsOf } from '../../components/StaleNote';

/** Survives tab switches: staff come back to see whether their release was confirmed. */
const useLastRelease = create<{ last: { at: number; durable: boolean } | null }>(() => ({ last: null }));

/** Buzz the front door open; it goes through the durable outbox, so it survives a network blip. */
export function DoorCard() {
  const { call, error, busy } = useCall();
  const last = useLastRelease((s) => s.last);
  const setLast = (v: { at: number; durable: boolean }) => useLastRelease.setState({ last: v });
  const waiting = useConsole((s) => s.outbox.queued + s.outbox.inFlight > 0);
  const stale = useStaleAsOf() !== null;
  const open = async (): Promise<void> => {
    const r = await call('outbox.send', { lane: 'realtime', kind: 'door.open', data: 'front' });
    if (r.ok) setLast({ at: Date.now(), durable: r.value.durable });
  };
  return (
    <section className="card" aria-labelledby="door-title">
      <h2 id="door-title">Front door</h2>
      <button type="button" className="primary" disabled={busy} onClick={() => void open()}>
        Release front door
      </button>
      {last && (
        <p className="muted" data-testid="door-status">
          {stale ? `Asked at ${formatTime(last.at)}; whether the backend confirmed is not known while the console link is lost` : waiting ? `Accepted at ${formatTime(last.at)}; waiting for the backend to confirm` : `Confirmed (asked at ${formatTime(last.at)})`}
          {last.durable ? '.' : ' (held in memory only: the disk is failing).'}
        </p>
      )}
      {error && <p className="error-text">{error}</p>}
      <StaleNote />
    </section>
  );
}
