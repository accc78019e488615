import type { GymApi } from '../../../shared/contract';
import { connectBridge } from '../bridge';
import type { StatePatch } from '../../../shared/state';
import { consoleStore } from './console-store';
import { showNotices } from './notices';

/** The API for components that make requests; sync must have started. */
export function consoleApi(): GymApi {
  const api = consoleStore.getState().api;
  if (!api) throw new Error('startSync() has not run');
  return api;
}

/**
 * The one hook for the ui benchmark: its init script may define this to time each patch (the
 * store's work and the chart draws it runs synchronously). The page defines nothing itself.
 */
type PatchProbe = (apply: () => void) => void;
declare global {
  interface Window {
    gymBenchPatchProbe?: PatchProbe;
  }
}

/** Wires the bridge to the store: patches stream in; every (re)connection starts from a fresh snapshot. */
export function startSync(): GymApi {
  const store = consoleStore.getState();
  let opens = 0;
  /** What this page was loaded as: the console's version and kind (kiosk, demo). */
  const loaded: { as: string | null } = { as: null };
  const api = connectBridge((status) => {
    store.setBridgeStatus(status);
    if (status !== 'open') return;
    void store.resync(); // the API is in the store by then: 'open' comes later
    if (opens++ > 0) void rejoined(api, loaded.as);
  });
  consoleStore.setState({ api });
  const probe = window.gymBenchPatchProbe;
  api.on('state.patch', probe ? (p: StatePatch) => probe(() => store.applyPatch(p)) : store.applyPatch);
  // Signed out from elsewhere: back to the sign-in, saying why.
  api.on('auth.changed', ({ message }) => {
    void api.call('auth.status').then((r) => r.ok && store.setAuth(r.value, message));
  });
  api.on('state.patch', showNotices);
  void api.call('app.info').then((r) => r.ok && (loaded.as = servedAs(r.value)));
  return api;
}

/**
 * The screens a console serves: its version, and whether it is a kiosk or the demo. A PC restarted as
 * a kiosk (IT following the README's kiosk steps, the page left open) must not keep a staff sign-in
 * offered to the public: a page loaded as something else loads again.
 */
const servedAs = (info: { version: string; kiosk: boolean; demo: boolean }): string => `${info.version} · kiosk ${info.kiosk} · demo ${info.demo}`;

const RELOADED_KEY = 'gym.signedOutBecause';
const UPDATED_WORDS = 'The console was updated (or set up as another kind of PC), so this screen loaded again and was signed out: sign in again.';

/** Kept across the reload; a browser that refuses site storage (a locked-down kiosk's) just loads without the reason (review25 V5). */
function keepForReload(why: string): void {
  try {
    sessionStorage.setItem(RELOADED_KEY, why);
  } catch {
    // no storage: the sign-in shows without the reason
  }
}

/** Why the screen was signed out by its own reload (rejoined), once: read at load and forgotten. */
export function reloadedBecause(): string | undefined {
  try {
    const why = sessionStorage.getItem(RELOADED_KEY);
    sessionStorage.removeItem(RELOADED_KEY);
    return why ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Back on the link after losing it: the console may have restarted. Its sign-ins start afresh (the
 * screen shows what its new session is: a kiosk stays a kiosk), and a console updated since this page
 * loaded serves other screens, so the page loads them (the address, token and all, stays).
 */
async function rejoined(api: GymApi, loadedAs: string | null): Promise<void> {
  const [info, auth] = await Promise.all([api.call('app.info'), api.call('auth.status')]);
  const store = consoleStore.getState();
  if (info.ok && loadedAs !== null && servedAs(info.value) !== loadedAs) {
    // Said after the load, as a plain restart's sign-out is: staff thought someone had signed them out (readme25 W5).
    if (store.auth?.role != null) keepForReload(UPDATED_WORDS);
    return location.reload();
  }
  if (!auth.ok) return;
  const signedOut = store.auth?.role != null && auth.value.role === null;
  store.setAuth(auth.value, signedOut ? 'The console was restarted (or this screen lost its link to it), so this screen was signed out: sign in again.' : undefined);
}
