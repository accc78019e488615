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
    throw new Error('This page needs the address printed by "npm run web" (it carries the access token).');
  }
  return createWebBridge(token, onStatus);
}
