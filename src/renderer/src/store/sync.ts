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
  const api = connectBridge((status) => {
    store.setBridgeStatus(status);
    if (status === 'open') void store.resync(); // the API is in the store by then: 'open' comes later
  });
  consoleStore.setState({ api });
  const probe = window.gymBenchPatchProbe;
  api.on('state.patch', probe ? (p: StatePatch) => probe(() => store.applyPatch(p)) : store.applyPatch);
  // Signed out from elsewhere: back to the sign-in, saying why.
  api.on('auth.changed', ({ message }) => {
    void api.call('auth.status').then((r) => r.ok && store.setAuth(r.value, message));
  });
  api.on('state.patch', showNotices);
  return api;
}
