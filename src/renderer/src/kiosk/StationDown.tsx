import { CROWDED_KIOSK, CROWDED_WORDS, useLinkLostLong, useTokenRefused } from '../components/ConsoleGone';
import { useConsole } from '../store/console-store';

/**
 * The kiosk while it cannot reach the console, or the console has neither the gym's system nor a copy of its members
 * list (`noRoster`): a scan would go nowhere, or be judged by nothing, so members are sent to the desk instead of being
 * asked to scan. It gives way to the scan prompt when that is over.
 */
export function StationDown({ noRoster = false }: { noRoster?: boolean }) {
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
        {noRoster
          ? "For staff: the console on this PC cannot reach the gym's system, and has never reached it since it was set up, so it has no copy of the members list to check members in by itself. This screen comes back by itself once the gym's system answers; if it does not, tell the gym's IT (a desk's Health tab says why)."
          : refused
            ? "For staff: the console is running, but this screen's key is not its own any more (it was changed). Tell the gym's IT: this kiosk's browser is to open its page again (kiosk-screen.html in the console's data folder), which holds the new one."
            : crowded
              ? `For staff: ${CROWDED_WORDS} ${CROWDED_KIOSK}`
              : 'For staff: this screen has lost the console on this PC and reconnects by itself.'}
        {/* Never "open the printed address here": a kiosk's browser is given the kiosk page, so the key stays off its command line (readme24 R7). */}
        {!noRoster && !refused && !crowded && long && " If it does not come back, start the console again: this screen comes back by itself. Still nothing? Tell the gym's IT."}
      </p>
    </main>
  );
}
