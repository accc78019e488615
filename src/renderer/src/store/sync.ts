import type { GymApi } from '../../../shared/contract';
import { connectBridge } from '../bridge';
import { applyPatch, consoleStore } from './console-store';

/** The API for components that make requests; sync must have started. */
export function consoleApi(): GymApi {
  const api = consoleStore.getState().api;
  if (!api) throw new Error('startSync() has not run');
  return api;
}

/** Wires the bridge to the store: patches stream in; every (re)connection starts from a fresh snapshot. */
export function startSync(): GymApi {
  const store = consoleStore.getState();
  const api = connectBridge((status) => {
    store.setBridgeStatus(status);
    if (status === 'open') void store.resync(); // the API is in the store by then: 'open' comes later
  });
  consoleStore.setState({ api });
  api.on('state.patch', applyPatch);
  return api;
}
