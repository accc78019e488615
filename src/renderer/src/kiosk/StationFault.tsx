import { useEffect } from 'react';
import { DemoBadge } from '../components/DemoBadge';

/** A kiosk screen starts itself again this long after a fault: members are sent to the desk meanwhile. */
const RELOAD_MS = 15_000;

/** The kiosk when its screen failed to draw: the queue goes to the desk, and the screen starts again by itself. */
export function StationFault() {
  useEffect(() => {
    const timer = setTimeout(() => location.reload(), RELOAD_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <main className="kiosk kiosk-down" data-testid="station-fault">
      <div role="alert">
        <h1>This station is not working right now</h1>
        <p className="prompt">Please check in at the front desk.</p>
      </div>
      <p className="staff-note">For staff: this screen hit a fault and starts again by itself in a few seconds. Nothing is lost. If it keeps happening, tell IT: the console&apos;s log says what failed.</p>
      <DemoBadge atKiosk />
    </main>
  );
}
