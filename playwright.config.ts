import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';

/** Playwright cannot download its own browser here; Debian's chromium stands in. */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync('command -v chromium || command -v chromium-browser', { shell: '/bin/sh' }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'tests/e2e',
  // Every temp dir a spec makes, every host it starts and every chromium profile land in one root removed at the end.
  globalSetup: './tests/helpers/run-tmp-root.ts',
  outputDir: 'test-results/e2e',
  timeout: 30_000,
  // Waits for a screen to show something, not a speed target (those are benchmarks): a busy machine (a
  // CI run beside other builds, load 10 on 2 cores) took over Playwright's default 5 s to open an export.
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
});
