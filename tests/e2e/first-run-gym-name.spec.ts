import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { setFirstPins, startBackend } from './reference-backend';

/**
 * A live console's first run asks the gym's name beside the PINs (walk15 #8, probe-walk16): unasked, exports and
 * webhooks said "A gym with no name set" until a manager happened on Analytics → Storage. A review PC is not asked.
 */
test("a live console's first run names the gym: a wrong name is said at its field, a right one is Analytics' Gym name", async ({ page }) => {
  const backend = await startBackend('name-token', 1);
  try {
    const host = await startWebHost(['--backend', backend.urls.join(','), '--backend-token', 'name-token']);
    try {
      await page.goto(host.url);
      await expect(page.getByRole('heading', { name: 'First run: choose a PIN for each role' })).toBeVisible();
      const name = page.getByLabel('Gym name', { exact: true });
      await expect(name).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/first-run-gym-name.png` });
      await name.fill('R'.repeat(61));
      await setFirstPins(page);
      await expect(page.locator('#pin-siteName-error')).toHaveText('Gym name can be at most 60 characters.');
      await expect(name).toHaveAttribute('aria-invalid', 'true');
      await page.screenshot({ path: `${SHOTS}/first-run-gym-name-error.png` });
      await name.fill('  Riverside   Gym ');
      await page.getByRole('button', { name: 'Save PINs' }).click();
      await expect(page.getByRole('tab', { name: 'Analytics' })).toBeVisible({ timeout: 10_000 });
      await page.getByRole('tab', { name: 'Analytics' }).click();
      await expect(page.getByLabel('Gym name in exports')).toHaveValue('Riverside Gym');
    } finally {
      host.process.kill('SIGTERM');
    }
  } finally {
    backend.process.kill('SIGTERM');
  }
});

test('a review PC sets its one PIN and is not asked a gym name', async ({ page }) => {
  const host = await startWebHost(['--review-only']);
  try {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'First run: choose the manager PIN' })).toBeVisible();
    await expect(page.getByLabel('Gym name', { exact: true })).toHaveCount(0);
  } finally {
    host.process.kill('SIGTERM');
  }
});
