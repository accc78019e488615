import { createRequire } from 'node:module';

/** Injected at build time by electron-vite's define (electron.vite.config.ts). */
declare const __APP_VERSION__: string | undefined;
export const APP_VERSION = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : fromSource();

/** Run from source (tsx, tests): package.json's version, marked so, as IT reads it in diagnostics and exports. */
function fromSource(): string {
  try {
    return `${(createRequire(import.meta.url)('../../../package.json') as { version: string }).version}-dev`;
  } catch {
    return 'dev';
  }
}
