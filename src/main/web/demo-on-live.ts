import { isLiveFolder } from '../core/startup/resolve-start';
import type { TokenVault } from '../core/token-vault';
import { portFile } from './kept-port';

/**
 * A demo started on a live gym's data folder (--demo) is a guest there. With the live site's kept port and
 * token, every desk and kiosk screen left open at the live address switched to it: a desk signed in as the demo's
 * manager with no PIN, a kiosk checking real members against invented ones. So it takes its own port and a
 * token for this run only, and leaves the live site's kept port and token as they are. "Live" is resolveStart's own
 * test (a saved token counts, not site.json alone), so this never disagrees with the plan's onLive.
 */
export const demoOnLive = (demo: boolean | undefined, dataDir: string, vault: TokenVault): boolean => demo === true && isLiveFolder(dataDir, vault);

/** The line that says so, with the port it got; `livePort`: the live site's kept one, if any. */
export function demoOnLiveNote(dataDir: string, port: number, livePort: number | null): string {
  const live = livePort === null ? "the live console's" : `the live console's (port ${livePort}, kept in ${portFile(dataDir)})`;
  return `this demo has its own address (port ${port}, with a key for this run only), not ${live}: screens open at the live address do not switch to the demo, and wait for the live console. Nothing about the live address is changed: start without --demo for the live console at its usual address.`;
}
