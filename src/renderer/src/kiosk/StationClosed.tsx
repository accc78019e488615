import { useEffect, useState } from 'react';
import { PIN_MAX_DIGITS } from '../../../shared/roles';
import { SignIn } from '../components/SignIn';
import { ADMIN_PROMPT_MS } from './AdminPrompt';
import { useClosesByItself, useScanCatcher } from './kiosk-keys';

/** How long "This station is closed: please check in at the front desk" stays up after a card. */
const TOLD_MS = 6_000;

/**
 * A kiosk nobody is signed in on: say so plainly, instead of a staff sign-in page members cannot use.
 * `closed`: staff closed a station here (signed out at it); else it was never opened (a desk console's
 * screen opened as a kiosk by address starts so). A manager opens it with the manager PIN (the kiosk
 * PIN too); either way it opens as the kiosk, never as a manager's screen left at the door.
 * Members still scan here: a card is answered "closed", never taken as a press of Open or as a PIN
 * (probe-staff14b K2: a reader's Enter pressed the focused button, and every later card went in as a
 * wrong manager PIN, raising the Sign-in attempts alert on every desk).
 */
export function StationClosed({ closed }: { closed: boolean }) {
  const [opening, setOpening] = useState(false);
  const [told, setTold] = useState(0);
  const open = closed ? 'Reopen this station' : 'Open this station';
  const tell = (): void => {
    setOpening(false);
    setTold((n) => n + 1);
  };

  // Before the form: a card is anything typed and ended with Enter (a person's Enter alone presses the
  // button), so no reader, however slow, opens the form. In the form: a burst, or more than a PIN.
  useScanCatcher(tell, opening ? { longestTyped: PIN_MAX_DIGITS } : { catches: (r) => r !== null });
  useEffect(() => {
    if (!told) return;
    const t = setTimeout(() => setTold(0), TOLD_MS);
    return () => clearTimeout(t);
  }, [told]);

  return (
    <main className="kiosk kiosk-closed">
      <h1>{closed ? 'Station closed' : 'Station not open yet'}</h1>
      {told > 0 ? (
        <p className="closed-told" role="alert" data-testid="closed-told" key={told}>
          This station is {closed ? 'closed' : 'not open yet'}: please check in at the front desk.
        </p>
      ) : (
        <p className="prompt">{closed ? 'A manager can reopen it with the manager PIN.' : 'A manager opens it with the manager PIN.'} Please check in at the front desk.</p>
      )}
      {opening ? (
        <OpenForm title={open} onClose={() => setOpening(false)} />
      ) : (
        // Focused as it shows (after a sign-out focus was left on the page): a manager's Enter or Space opens the form.
        <button type="button" autoFocus onClick={() => setOpening(true)}>
          {open}
        </button>
      )}
    </main>
  );
}

/** The PIN form; Escape or 30 s without a key gives the screen back to members. */
function OpenForm({ title, onClose }: { title: string; onClose: () => void }) {
  useClosesByItself(onClose, ADMIN_PROMPT_MS);
  return (
    <>
      <SignIn roles={['manager', 'kiosk']} as="kiosk" title={title} onDone={onClose} showDemoPins={false} canSetUp={false} />
      <button type="button" onClick={onClose}>
        Cancel
      </button>
    </>
  );
}
