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
  /** The console's version this page was loaded from. */
  const loaded: { version: string | null } = { version: null };
  const api = connectBridge((status) => {
    store.setBridgeStatus(status);
    if (status !== 'open') return;
    void store.resync(); // the API is in the store by then: 'open' comes later
    if (opens++ > 0) void rejoined(api, loaded.version);
  });
  consoleStore.setState({ api });
  const probe = window.gymBenchPatchProbe;
  api.on('state.patch', probe ? (p: StatePatch) => probe(() => store.applyPatch(p)) : store.applyPatch);
  // Signed out from elsewhere: back to the sign-in, saying why.
  api.on('auth.changed', ({ message }) => {
    void api.call('auth.status').then((r) => r.ok && store.setAuth(r.value, message));
  });
  api.on('state.patch', showNotices);
  void api.call('app.info').then((r) => r.ok && (loaded.version = r.value.version));
  return api;
}

/**
 * Back on the link after losing it: the console may have restarted. Its sign-ins start afresh (the
 * screen shows what its new session is: a kiosk stays a kiosk), and a console updated since this page
 * loaded serves other screens, so the page loads them (the address, token and all, stays).
 */
async function rejoined(api: GymApi, version: string | null): Promise<void> {
  const [info, auth] = await Promise.all([api.call('app.info'), api.call('auth.status')]);
  const store = consoleStore.getState();
  if (info.ok && version !== null && info.value.version !== version) return location.reload();
  if (!auth.ok) return;
  const signedOut = store.auth?.role != null && auth.value.role === null;
  store.setAuth(auth.value, signedOut ? 'The console was restarted (or this screen lost its link to it), so this screen was signed out: sign in again.' : undefined);
}
