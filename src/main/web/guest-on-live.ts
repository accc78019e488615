import { isLiveFolder } from '../core/startup/resolve-start';
import type { TokenVault } from '../core/token-vault';
import { portFile } from './kept-port';

/** A run on a live gym's data folder that is not the live console: the demo (--demo), or a review (--review-only). */
export type Guest = 'demo' | 'review' | null;

/**
 * A guest on a live gym's data folder takes its own port and a token for this run only, and leaves the live site's
 * kept port and token as they are. With them, every desk and kiosk screen left open at the live address switched to
 * it: a desk signed in as the demo's manager with no PIN, a kiosk checking real members against invented ones, or a
 * kiosk showing a review console's first-run PIN screen to anyone at it (readme23 R1). "Live" is resolveStart's own
 * test (a saved token counts, not site.json alone), so this never disagrees with the plan.
 */
export function guestOnLive(flags: { demo?: boolean; reviewOnly?: boolean }, dataDir: string, vault: TokenVault): Guest {
  if (!flags.demo && !flags.reviewOnly) return null;
  if (!isLiveFolder(dataDir, vault)) return null;
  return flags.demo ? 'demo' : 'review';
}

/** The line that says so, with the port it got; `livePort`: the live site's kept one, if any. */
export function guestOnLiveNote(guest: NonNullable<Guest>, dataDir: string, port: number, livePort: number | null): string {
  const live = livePort === null ? "the live console's" : `the live console's (port ${livePort}, kept in ${portFile(dataDir)})`;
  const [which, flag] = guest === 'demo' ? ['demo', '--demo'] : ['review-only console', '--review-only'];
  return `this ${which} has its own address (port ${port}, with a key for this run only), not ${live}: screens open at the live address do not switch to the ${which}, and wait for the live console. Nothing about the live address is changed: start without ${flag} for the live console at its usual address.`;
}
