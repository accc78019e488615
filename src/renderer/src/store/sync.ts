import type { GymApi } from '../../../shared/contract';
import { connectBridge } from '../bridge';
import { applyPatch, consoleStore } from './console-store';

let current: GymApi | null = null;
let resyncNow: () => Promise<void> = async () => {};

/** After signing in: the state was withheld until now, so start from a fresh snapshot. */
export const resyncAfterSignIn = (): Promise<void> => resyncNow();

/** The API for components that make requests; sync must have started. */
export function consoleApi(): GymApi {
  if (!current) throw new Error('startSync() has not run');
  return current;
}

/** Wires the bridge to the store: patches stream in; every (re)connection starts from a fresh snapshot. */
export function startSync(): GymApi {
  let api: GymApi | null = null;
  const resync = async (): Promise<void> => {
    const snap = await api?.call('state.snapshot');
    if (snap?.ok) consoleStore.getState().applySnapshot(snap.value);
  };
  api = connectBridge((status) => {
    consoleStore.getState().setBridgeStatus(status);
    if (status === 'open' && api) void resync();
  });
  api.on('state.patch', applyPatch);
  current = api;
  resyncNow = resync;
  return api;
}
