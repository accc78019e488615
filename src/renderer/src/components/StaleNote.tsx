import { useConsole } from '../store/console-store';
import { formatTime } from '../format';

/** "as of 12:04:31" while the console link is lost, else null: the figures shown are that old. */
export const useStaleAsOf = (): string | null => useConsole((s) => (s.bridge !== 'open' && s.staleAsOf !== null ? formatTime(s.staleAsOf) : null));

/** One line on a card whose figures stopped updating when the console link was lost. */
export function StaleNote() {
  const asOf = useStaleAsOf();
  if (!asOf) return null;
  return (
    <p className="stale-note" data-testid="stale-note">
      As of {asOf} (not connected to the console)
    </p>
  );
}
