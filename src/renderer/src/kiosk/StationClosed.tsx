import { useEffect, useState } from 'react';
import { PIN_MAX_DIGITS } from '../../../shared/roles';
import { STATION_WAITING_EVERY_MS } from '../../../shared/contract';
import { consoleApi } from '../store/sync';
import { SignIn } from '../components/SignIn';
import { ADMIN_PROMPT_MS, PIN_PACE_WORDS } from './AdminPrompt';
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
  // Caught in the PIN form: a member's card, or a manager's PIN typed as fast as a reader. Both are told.
  const [inForm, setInForm] = useState(false);
  const open = closed ? 'Reopen this station' : 'Open this station';
  const tell = (): void => {
    setInForm(opening);
    setOpening(false);
    setTold((n) => n + 1);
  };

  // Before the form: a card is anything typed and ended with Enter (a person's Enter alone presses the
  // button), so no reader, however slow, opens the form. In the form: a burst, or more than a PIN.
  useScanCatcher(tell, opening ? { longestTyped: PIN_MAX_DIGITS } : { catches: (r) => r !== null });
  // Said to the console while it shows: the desks and managers see a station sending members to the desk (probe28a R3).
  useEffect(() => {
    const say = (): void => void consoleApi().call('station.waiting', undefined).catch(() => {});
    say();
    const t = setInterval(say, STATION_WAITING_EVERY_MS);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (!told) return;
    const t = setTimeout(() => setTold(0), TOLD_MS);
    return () => clearTimeout(t);
  }, [told]);

  return (
    <main className="kiosk kiosk-closed">
      <h1>{closed ? 'Station closed' : 'Station not open yet'}</h1>
      {told > 0 ? (
        <>
          <p className="closed-told" role="alert" data-testid="closed-told" key={told}>
            This station is {closed ? 'closed' : 'not open yet'}: please check in at the front desk.
          </p>
          {inForm && (
            <p className="prompt" data-testid="pin-taken-as-card">
              Manager: the PIN was not taken. It came in as fast as a card reader types, so it was read as a card. Press {open} and type the PIN at your own pace.
            </p>
          )}
        </>
      ) : (
        <p className="prompt">{closed ? 'A manager can reopen it with the manager PIN or the kiosk PIN.' : 'A manager opens it with the manager PIN or the kiosk PIN.'} Please check in at the front desk.</p>
      )}
      {opening ? (
        <OpenForm title={open} onClose={() => setOpening(false)} />
      ) : (
        // Focused as it shows (after a sign-out focus was left on the page): a manager's Enter or Space opens the form.
        // What was told about the last card gives way to the form, so the form and its footer stay in view.
        <button
          type="button"
          autoFocus
          onClick={() => {
            setTold(0);
            setOpening(true);
          }}
        >
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
      <p className="muted" data-testid="open-prompt-footer">
        Esc cancels too, as does {ADMIN_PROMPT_MS / 1000} s without typing. {PIN_PACE_WORDS}
      </p>
    </>
  );
}
