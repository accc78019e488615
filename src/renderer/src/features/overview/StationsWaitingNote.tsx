import { useConsole } from '../../store/console-store';

/** Said to staff: members who scan there are sent to this desk, and who can open it (probe28a R3). */
export function stationsWaitingWords(n: number): string {
  const which = n === 1 ? 'A kiosk screen on this console is' : `${n} kiosk screens on this console are`;
  return `${which} not open to members (after the console restarted, or closed by staff): members who scan there are sent to the front desk. A manager opens ${n === 1 ? 'it' : 'each'} at the screen (Open this station, or Reopen this station) with the manager or kiosk PIN.`;
}

/** Kiosk screens showing "Station not open yet" or "Station closed", on the desk's and the manager's Overview. */
export function StationsWaitingNote() {
  const n = useConsole((s) => s.stationsWaiting ?? 0);
  if (!n) return null;
  return (
    <div className="card warn-text" role="status" data-testid="stations-waiting">
      {stationsWaitingWords(n)}
    </div>
  );
}
