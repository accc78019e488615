import { useState } from 'react';
import { SignIn } from '../components/SignIn';

/**
 * A kiosk nobody is signed in on: say so plainly, instead of a staff sign-in page members cannot use.
 * It says a manager reopens it, so the manager's own PIN does (the kiosk PIN too); either way the
 * station opens as the kiosk, never as a manager's screen left at the door.
 */
export function StationClosed() {
  const [reopening, setReopening] = useState(false);
  return (
    <main className="kiosk kiosk-closed">
      <h1>Station closed</h1>
      <p className="prompt">A manager can reopen it with the manager PIN. Please check in at the front desk.</p>
      {reopening ? (
        <>
          <SignIn roles={['manager', 'kiosk']} as="kiosk" title="Reopen this station" onDone={() => setReopening(false)} showDemoPins={false} canSetUp={false} />
          <button type="button" onClick={() => setReopening(false)}>
            Cancel
          </button>
        </>
      ) : (
        // Focused as it shows (after a sign-out focus was left on the page): Enter or Space reopens.
        <button type="button" autoFocus onClick={() => setReopening(true)}>
          Reopen this station
        </button>
      )}
    </main>
  );
}
