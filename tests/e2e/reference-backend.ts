import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';

/**
 * A separate reference backend process with its own token, simulating traffic unless `simulate` is false;
 * resolves with its instance URLs and its admin channel (faults: POST /instances/:i/delay?value=ms, with the
 * token as bearer). `capacity`: how many may be inside (the backend's default otherwise); `port`: the first
 * instance's (free ones otherwise), so a backend started again is at the same address.
 */
/** `clockOffsetMs`: the backend's clock this far from this PC's (negative: behind), as a backend host's can be. */
export async function startBackend(token: string, instances: number, opts: { capacity?: number; simulate?: boolean; port?: number; clockOffsetMs?: number } = {}): Promise<{ urls: string[]; admin: string; process: ChildProcess }> {
  const traffic = opts.simulate === false ? [] : ['--simulate', '--rate', '20000'];
  const capacity = opts.capacity === undefined ? [] : ['--capacity', String(opts.capacity)];
  const clock = opts.clockOffsetMs === undefined ? [] : ['--import', './tests/helpers/clock-offset.mjs'];
  const server = spawn(process.execPath, [...clock, '--import', 'tsx', 'src/server/cli.ts', '--instances', String(instances), '--port', String(opts.port ?? 0), '--token', token, ...traffic, ...capacity], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(opts.clockOffsetMs !== undefined && { GYM_TEST_CLOCK_OFFSET_MS: String(opts.clockOffsetMs) }) },
  });
  const started = await new Promise<{ urls: string[]; admin: string }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('backend did not start')), 15_000);
    server.stdout!.on('data', (d) => {
      out += d;
      const found = [...out.matchAll(/listening (ws:\/\/\S+)/g)].map((m) => m[1]!);
      const admin = /gym-server admin (http:\/\/\S+)/.exec(out)?.[1];
      if (found.length === instances && admin) {
        clearTimeout(timer);
        resolve({ urls: found, admin });
      }
    });
  });
  return { ...started, process: server };
}

/** Every instance of a backend from startBackend answers `ms` late (0: on time again). */
export async function slowBackend(b: { admin: string; urls: string[] }, token: string, ms: number): Promise<void> {
  for (let i = 0; i < b.urls.length; i++) {
    const r = await fetch(`${b.admin}/instances/${i}/delay?value=${ms}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    if (!r.ok) throw new Error(`delay refused: ${r.status} ${await r.text()}`);
  }
}

/** The first-run form on a new live console: desk 4321, manager 8765, kiosk 1111. */
export async function setFirstPins(page: Page): Promise<void> {
  await page.getByLabel('front desk PIN').fill('4321');
  await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
  await page.getByLabel('Repeat manager PIN').fill('8765');
  await page.getByLabel('kiosk PIN').fill('1111');
  await page.getByRole('button', { name: 'Save PINs' }).click();
}
