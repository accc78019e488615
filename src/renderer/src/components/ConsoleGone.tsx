import { useEffect, useState } from 'react';
import { useConsole } from '../store/console-store';
import { MAKE_ROOM_RETRY_MS, MAX_SCREENS } from '../../../shared/web-bridge';

/** Past this the link is no blip: the console was stopped or restarted, and the screen says what to do. */
export const LONG_LOST_MS = 10_000;

/** True once the console link has been down (or not yet up) for LONG_LOST_MS. */
export function useLinkLostLong(): boolean {
  const lostAt = useConsole((s) => (s.bridge === 'open' ? null : s.lostAt));
  const [firedFor, setFiredFor] = useState<number | null>(null);
  useEffect(() => {
    if (lostAt === null) return;
    const t = setTimeout(() => setFiredFor(lostAt), Math.max(0, lostAt + LONG_LOST_MS - Date.now()));
    return () => clearTimeout(t);
  }, [lostAt]);
  return lostAt !== null && firedFor === lostAt;
}

/** The console answers this address but not its token: said at once, since waiting will not bring it back. */
export const useTokenRefused = (): boolean => useConsole((s) => s.bridge === 'refused');

/** A kiosk's browser is given its page, never the printed address (its command line is readable by every user): its way back. */
export const KIOSK_PAGE_AGAIN = "On a kiosk, its browser opens its page again instead (kiosk-screen.html in the console's data folder), which holds the new address.";

/**
 * Why, and the one way out: the console is running, so "check that it is running" sent IT the wrong way. `atKiosk`:
 * on a kiosk screen (never the printed address there); unknown before the console has said what this screen is.
 */
export function TokenRefused({ atKiosk }: { atKiosk?: boolean }) {
  return (
    <div className="alerts console-gone" role="alert" data-testid="console-gone">
      <p>
        The console is running, but this address&apos;s key (the <code>#token=…</code> part) is not this console&apos;s: it was changed, or the address is old.{' '}
        {atKiosk ? (
          "Tell the gym's IT: this kiosk's browser is to open its page again (kiosk-screen.html in the console's data folder), which holds the new address."
        ) : (
          <>
            Open the address the console printed when it started (<code>console ready: http://127.0.0.1:…</code>) in this browser.{atKiosk === undefined && ` ${KIOSK_PAGE_AGAIN}`}
          </>
        )}
      </p>
    </div>
  );
}

/** Said when the console closed this screen to make room for another: what happened, and that it comes back. */
export const CROWDED_WORDS = `The console closed this screen to make room for another: ${MAX_SCREENS} screens (browser windows or tabs) were open to it, the most it serves at once. This screen tries again by itself within ${MAKE_ROOM_RETRY_MS / 1000} seconds.`;
/** What staff at a desk PC can do about it: close what they do not need. */
export const CROWDED_DESK = "Close the console's windows and tabs that are not needed on this PC.";
/** A kiosk has no tabs to close: whoever set the PCs up looks at what holds the screens. */
export const CROWDED_KIOSK = 'If it keeps happening, tell the gym\'s IT: something on this PC holds many screens open to the console.';

/**
 * What the desk does meanwhile: this screen neither finds members nor checks them in until the console answers, and
 * members at the door cannot wait for that.
 */
export const DESK_MEANWHILE =
  "Until then this screen cannot find members or check them in: let members in as the gym does when its system is down, and note their card numbers. Tell the gym's IT if it is not back within a few minutes.";

/** What staff do when the console stays away: wait, or start it and open the address it prints; at a desk, what to do meanwhile. */
export function ConsoleGone({ desk = false, atKiosk = false }: { desk?: boolean; atKiosk?: boolean }) {
  const refused = useTokenRefused();
  const crowded = useConsole((s) => s.bridge === 'crowded');
  const long = useLinkLostLong();
  if (refused) return <TokenRefused atKiosk={atKiosk} />;
  if (crowded)
    return (
      <div className="alerts console-gone" role="alert" data-testid="console-crowded">
        <p>
          {CROWDED_WORDS} {CROWDED_DESK}
        </p>
      </div>
    );
  if (!long) return null;
  return (
    <div className="alerts console-gone" role="alert" data-testid="console-gone">
      <p>The console was restarted or stopped, and is not answering yet. This screen comes back by itself when it does.</p>
      {desk && (
        <p>
          <strong>{DESK_MEANWHILE}</strong>
        </p>
      )}
      {atKiosk ? (
        <p>If it does not come back, start the console again: this screen comes back by itself. Still nothing? Tell the gym&apos;s IT.</p>
      ) : (
        <p>
          If it does not come back, the console on this PC has to be started again (whoever looks after this PC knows how: the README
          says). This screen then comes back by itself if the console kept its address, as it does once started with a fixed port;
          otherwise open the new address it prints in this browser.
        </p>
      )}
    </div>
  );
}

/** Before the console first answers: it may be stopped, or this address (its token) may not be its own. */
export function NotYetLinked() {
  const long = useLinkLostLong();
  const refused = useTokenRefused();
  // A kiosk by its address is known now; one by its host (--kiosk) only once the console answers: both ways said then.
  const atKiosk = new URLSearchParams(location.hash.slice(1)).has('kiosk') ? true : undefined;
  return (
    <main className="starting">
      {refused ? <TokenRefused atKiosk={atKiosk} /> : <p>Connecting to the console…</p>}
      {long && !refused && (
        <div className="alerts console-gone" role="alert" data-testid="console-gone">
          <p>
            The console does not answer this address. Check that it is running, then open the address it printed when it started (<code>console ready: http://127.0.0.1:…</code>)
            in this browser.
          </p>
        </div>
      )}
    </main>
  );
}
