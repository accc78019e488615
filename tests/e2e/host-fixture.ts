import { test as base, expect as baseExpect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningHost {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stderr: () => string;
}

/** Starts the built headless host (`out/main/web.js`) the way a user would, with its own data dir. */
/** `dataDir`: an existing one, to start the console again on what it kept (a restart). */
export async function startWebHost(args: string[] = ['--demo'], dataDir = mkdtempSync(join(tmpdir(), 'gym-e2e-'))): Promise<RunningHost> {
  const child = spawn(process.execPath, ['out/main/web.js', '--port', '0', '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host not ready in 15 s; stderr: ${err}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^console ready: (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`host exited ${code}: ${err}`)));
  });
  return { url, dataDir, process: child, stderr: () => err };
}

/** Stops a host the way a restart or an update does (SIGTERM), and waits until it is gone. */
export async function stopWebHost(host: RunningHost): Promise<void> {
  if (host.process.exitCode !== null || host.process.signalCode !== null) return;
  const gone = new Promise((resolve) => host.process.once('exit', resolve));
  host.process.kill('SIGTERM');
  await gone;
}

/** A port free now, for a host started with a fixed --port (as a kiosk's should be) and started again on it. */
export { freePort } from '../helpers/free-port';

export const test = base.extend<{ page: Page }, { host: RunningHost }>({
  page: async ({ page }, use) => {
    const thrown: string[] = [];
    page.on('pageerror', (e) => thrown.push(e.stack ?? String(e)));
    await use(page);
    baseExpect(thrown, 'the screen threw an error it did not catch').toEqual([]);
  },
  host: [
    async ({}, use) => {
      // A busy demo, so "more rows arrive" never waits on a quiet night hour.
      const host = await startWebHost(['--demo', '--demo-rate', '6000']);
      await use(host);
      host.process.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';

export const SHOTS = 'test-results/screenshots';

/**
 * Full-page pictures of the screen at a wide and a narrow window (`name`-1280.png, `name`-800.png), put back to
 * 1280 wide after; in REVIEWPC_SHOTS when set, for a fix's before and after, else in SHOTS.
 */
export async function shots(page: Page, name: string): Promise<void> {
  const dir = process.env.REVIEWPC_SHOTS ?? SHOTS;
  mkdirSync(dir, { recursive: true });
  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}
