import { useState } from 'react';
import { SignIn } from '../components/SignIn';

/** A kiosk nobody is signed in on: say so plainly, instead of a staff sign-in page members cannot use. */
export function StationClosed() {
  const [reopening, setReopening] = useState(false);
  return (
    <main className="kiosk kiosk-closed">
      <h1>Station closed</h1>
      <p className="prompt">A manager can reopen it. Please check in at the front desk.</p>
      {reopening ? (
        <>
          <SignIn roles={['kiosk']} onDone={() => setReopening(false)} showDemoPins={false} canSetUp={false} />
          <button type="button" onClick={() => setReopening(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setReopening(true)}>
          Reopen this station
        </button>
      )}
    </main>
  );
}
