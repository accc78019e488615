import type { GymApi } from '../../../shared/contract';
import { createWebBridge, type BridgeStatus } from './web-bridge';

/** Electron's preload API when present, else the web bridge with the token from the page address. */
export function connectBridge(onStatus: (s: BridgeStatus) => void): GymApi {
  if (window.gym) {
    queueMicrotask(() => onStatus('open')); // after the caller holds the API
    return window.gym;
  }
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) {
    onStatus('lost');
    // A bookmark without its key (readme24 R11): which address, where it is printed, and the kiosk's own way.
    throw new Error(
      "This address lacks its key (the #token=… part). Open the whole address the console printed when it started (console ready: http://127.0.0.1:…); it prints it again at every start. On a kiosk, its browser opens its page instead (kiosk-screen.html in the console's data folder).",
    );
  }
  return createWebBridge(token, onStatus);
}
