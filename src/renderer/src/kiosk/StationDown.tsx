import { CROWDED_KIOSK, CROWDED_WORDS, useLinkLostLong, useTokenRefused } from '../components/ConsoleGone';
import { useConsole } from '../store/console-store';

/**
 * The kiosk while it cannot reach the console: a scan would go nowhere, so members are sent to the
 * desk instead of being asked to scan. It gives way to the scan prompt when the link is back.
 */
export function StationDown() {
  const long = useLinkLostLong();
  const refused = useTokenRefused();
  const crowded = useConsole((s) => s.bridge === 'crowded');
  return (
    <main className="kiosk kiosk-down" data-testid="station-down">
      <div role="alert">
        <h1>This station is not working right now</h1>
        <p className="prompt">Please check in at the front desk.</p>
      </div>
      <p className="staff-note">
        {refused
          ? "For staff: the console is running, but this address's key (#token=…) is not its own: it was changed, or the address is old. Open the address the console printed when it started (console ready: http://127.0.0.1:…) here."
          : crowded
            ? `For staff: ${CROWDED_WORDS} ${CROWDED_KIOSK}`
            : 'For staff: this screen has lost the console on this PC and reconnects by itself.'}
        {!refused && !crowded && long && ' If it does not come back, start the console and open the address it prints (console ready: http://127.0.0.1:…) here; it keeps its port, so this address keeps working.'}
      </p>
    </main>
  );
}
