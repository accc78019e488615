import type { GymApi } from '../shared/contract';

declare global {
  interface Window {
    /** Present in Electron (from the preload); absent in a browser, where the web bridge stands in. */
    gym?: GymApi;
  }
}

export {};
