import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { setFirstPins, startBackend } from './reference-backend';

/** The real set-up: a separate backend process, the console pointed at it, first-run PINs. */
test('live backend: first-run PIN setup, then live check-ins and a connected backend', async ({ page }) => {
  const backend = await startBackend('live-token', 2);
  const server = backend.process;
  try {
    const urls = backend.urls;
    const host = await startWebHost(['--backend', urls.join(','), '--backend-token', 'live-token']);
    try {
      await page.goto(host.url);
      await expect(page.getByRole('heading', { name: 'First run: choose a PIN for each role' })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/first-run.png` });
      await setFirstPins(page);
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
