import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    // The headless host is built beside the Electron entry so both ship the same core.
    build: { rollupOptions: { input: { index: resolve('src/main/index.ts'), web: resolve('src/main/web/cli.ts') } } },
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
    build: { minify: true },
  },
});
