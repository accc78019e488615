import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { DEMO_PINS } from '../../src/shared/roles';

test('a manager moves the occupancy warnings; capacity stays the backend\'s; the change is in the audit log; front desk cannot', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '6000']);
  try {
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.goto(host.url);
    await expect(page.getByTestId('occupancy')).toContainText('/ 250');
    await page.getByLabel('Warn busy at, people').fill('10');
    await page.getByLabel('Warn nearly full at, people').fill('20');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect(page.getByText('Saved.')).toBeVisible();
    // The backend's capacity is the capacity; the warnings moved.
    await expect(page.getByTestId('occupancy')).toContainText('/ 250');
    await expect(page.getByTestId('occupancy-warnings')).toHaveText('Warns at 10 (busy) and 20 (nearly full).');
    await expect(page.getByTestId('occupancy-note')).toContainText(/full/); // nearly full at 20 people, or the backend's full
    await page.screenshot({ path: `${SHOTS}/overview-manager-capacity.png`, fullPage: true });
    await page.getByRole('tab', { name: 'Analytics' }).click();
    await expect(page.getByTestId('audit')).toContainText('desk.configure');
    await page.getByTestId('audit').getByRole('button').first().click();
    await expect(page.getByTestId('audit').locator('pre')).toContainText('"nearlyFullAt":20');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/sign-in.png` });
    await page.getByLabel('PIN').fill(DEMO_PINS.desk);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.who-am-i')).toContainText('front desk');
    await expect(page.getByRole('heading', { name: 'Desk and kiosk settings' })).toHaveCount(0);
  } finally {
    host.process.kill('SIGTERM');
  }
});
