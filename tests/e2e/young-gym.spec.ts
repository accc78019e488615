import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { setFirstPins, startBackend } from './reference-backend';

/** A live gym whose console started a minute ago: no trend from a few minutes, and check-ins visible at every range. */
test('a gym that has just opened: trends say there is not enough data yet, check-in bars are visible at 24h', async ({ page }) => {
  test.setTimeout(90_000);
  const backend = await startBackend('young-token', 1);
  const server = backend.process;
  try {
    const urls = backend.urls;
    const host = await startWebHost(['--backend', urls.join(','), '--backend-token', 'young-token']);
    try {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.goto(host.url);
      await setFirstPins(page);
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
