import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const { version } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };

export default defineConfig({
  main: {
    // Diagnostics, the log and export headers name the version; src/main/core/version.ts reads it.
    define: { __APP_VERSION__: JSON.stringify(version) },
    // The headless host is built beside the Electron entry so both ship the same core; the export-review
    // worker beside both, where src/main/core/store/review-thread.ts looks for it.
    build: { rollupOptions: { input: { index: resolve('src/main/index.ts'), web: resolve('src/main/web/cli.ts'), 'review-worker': resolve('src/main/core/store/review-worker.ts') } } },
  },
  preload: {
    // Sandboxed preloads must be CommonJS.
    build: { rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    plugins: [react()],
    // resources/icon.svg is copied as is (unhashed), so the headless host can answer /favicon.ico with it.
    publicDir: resolve('resources'),
    // electron-vite leaves the renderer unminified; the screens load faster minified.
    // Loaded from disk, not a network: one 600 kB chunk is fine, and the warning only alarmed new users.
    build: { minify: true, chunkSizeWarningLimit: 1500 },
  },
});
