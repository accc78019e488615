/** The only two Electron channel names. Kept apart from contract.ts so the preload bundle stays tiny. */
export const IPC_CALL = 'gym:call';
export const IPC_EVENT = 'gym:event';

/** Name under which the preload exposes the API on `window`. */
export const API_KEY = 'gym';
