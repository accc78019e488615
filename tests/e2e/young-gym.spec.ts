import { spawn } from 'node:child_process';
import { test, expect, SHOTS, startWebHost } from './host-fixture';

/** A live gym whose console started a minute ago: no trend from a few minutes, and check-ins visible at every range. */
test('a gym that has just opened: trends say there is not enough data yet, check-in bars are visible at 24h', async ({ page }) => {
  test.setTimeout(90_000);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--instances', '1', '--port', '0', '--token', 'young-token', '--simulate', '--rate', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const urls = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('backend did not start')), 15_000);
      server.stdout!.on('data', (d) => {
        out += d;
        const found = [...out.matchAll(/listening (ws:\/\/\S+)/g)].map((m) => m[1]!);
        if (found.length === 1) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    const host = await startWebHost(['--backend', urls.join(','), '--backend-token', 'young-token']);
    try {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.goto(host.url);
      await page.getByLabel('front desk PIN').fill('4321');
      await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
      await page.getByLabel('Repeat manager PIN').fill('8765');
      await page.getByLabel('kiosk PIN').fill('1111');
      await page.getByRole('button', { name: 'Save PINs' }).click();
      await page.getByRole('tab', { name: 'Analytics' }).click();
      const chart = page.getByRole('figure', { name: /^Check-ins per hour/ });
      await expect(chart).toBeVisible();
      // Two samples with check-ins in them, refreshed every 5 s.
      await expect.poll(async () => /Allowed [1-9]/.test((await chart.getAttribute('aria-label')) ?? ''), { timeout: 45_000 }).toBe(true);
      const strip = page.getByRole('region', { name: 'Trends and forecast' });
      await expect(page.getByTestId('trend-not-enough')).toHaveText(/^Not enough data yet for a trend \((under a minute|\d minutes?) measured; a trend needs 3 hours in each half of the range\)\.$/);
      await expect(strip).not.toContainText(/rising|falling|steady| an hour/);
      await page.getByRole('region', { name: 'Trends and forecast' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/young-gym-24h.png` });
      await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1h', exact: true }).click();
      await expect(page.getByTestId('trend-not-enough')).toContainText('a trend needs 15 minutes in each half of the range');
      await expect(page.getByRole('figure', { name: /^Check-ins per 2 minutes/ })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/young-gym-1h.png` });
    } finally {
      host.process.kill('SIGTERM');
    }
  } finally {
    server.kill('SIGTERM');
  }
});
