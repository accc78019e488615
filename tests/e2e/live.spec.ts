import { spawn } from 'node:child_process';
import { test, expect, SHOTS, startWebHost } from './host-fixture';

/** The real set-up: a separate backend process, the console pointed at it, first-run PINs. */
test('live backend: first-run PIN setup, then live check-ins and a connected backend', async ({ page }) => {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--instances', '2', '--port', '0', '--token', 'live-token', '--simulate', '--rate', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const urls = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('backend did not start')), 15_000);
      server.stdout!.on('data', (d) => {
        out += d;
        const found = [...out.matchAll(/listening (ws:\/\/\S+)/g)].map((m) => m[1]!);
        if (found.length === 2) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    const host = await startWebHost(['--backend', urls.join(','), '--backend-token', 'live-token']);
    try {
      await page.goto(host.url);
      await expect(page.getByRole('heading', { name: 'First run: choose a PIN for each role' })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/first-run.png` });
      await page.getByLabel('front desk PIN').fill('4321');
      await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
      await page.getByLabel('Repeat manager PIN').fill('8765');
      await page.getByLabel('kiosk PIN').fill('1111');
      await page.getByRole('button', { name: 'Save PINs' }).click();
      await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 10_000 });
      await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible({ timeout: 10_000 });
      await expect(page.getByText('DEMO GYM')).toHaveCount(0);
    } finally {
      host.process.kill('SIGTERM');
    }
  } finally {
    server.kill('SIGTERM');
  }
});
