import { PIN_MAX_DIGITS } from '../../../shared/roles';
import { SignIn } from '../components/SignIn';
import { useConsole } from '../store/console-store';
import { useClosesByItself, useScanCatcher } from './kiosk-keys';

/** How long the manager PIN prompt waits for typing before the station goes back to members. */
export const ADMIN_PROMPT_MS = 30_000;

/** Said under every PIN prompt on a kiosk: a PIN typed as fast as a reader is taken for a card. */
export const PIN_PACE_WORDS = 'Type the PIN at your own pace: a burst as fast as a card reader is taken as a scan.';

/**
 * The manager PIN prompt on a kiosk. It must never strand the station: Escape closes it, so does 30 s
 * without a key, and a card scanned while it is open closes it, never counting as a wrong PIN. That
 * scan is not sent either: a PIN typed as fast as a scanner (a keypad, a quick hand) reads the same,
 * and sent as a card it went to the backend and into every list and export in clear. The member is
 * asked to scan again; the manager types the PIN again at a person's pace.
 */
export function AdminPrompt({ onScan, onDone, onClose }: { onScan: () => void; onDone: () => void; onClose: () => void }) {
  // With no PINs set there is no PIN field (SignIn says how IT sets them), so nothing to type at any pace.
  const noPins = useConsole((s) => s.auth?.setupNeeded ?? false);
  // Longer than any PIN can be: a card, whatever its pace, never a PIN attempt.
  useScanCatcher(
    () => {
      onClose();
      onScan();
    },
    { longestTyped: PIN_MAX_DIGITS },
  );
  useClosesByItself(onClose, ADMIN_PROMPT_MS);

  return (
    <main className="kiosk kiosk-admin">
      <SignIn roles={['manager']} onDone={onDone} showDemoPins={false} canSetUp={false} />
      <button type="button" onClick={onClose}>
        Back to check-in
      </button>
      <p className="muted" data-testid="admin-prompt-footer">
        Esc goes back too, as does {ADMIN_PROMPT_MS / 1000} s without {noPins ? 'a key' : 'typing'}.{noPins ? '' : ` ${PIN_PACE_WORDS}`}
      </p>
    </main>
  );
}
