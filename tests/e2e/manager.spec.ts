import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { DEMO_PINS } from '../../src/shared/roles';

test('a manager changes the capacity; the warnings follow; the change is in the audit log; front desk cannot', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '6000']);
  try {
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.goto(host.url);
    await page.getByLabel('Gym capacity').fill('20');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await expect(page.getByTestId('occupancy')).toContainText('/ 20');
    await expect(page.getByTestId('occupancy-note')).toContainText(/full/);
    await page.screenshot({ path: `${SHOTS}/overview-manager-capacity.png`, fullPage: true });
    await page.getByRole('tab', { name: 'Analytics' }).click();
    await expect(page.getByTestId('audit')).toContainText('desk.configure');
    const row = page.getByTestId('audit').getByRole('button').first();
    await expect(row).toContainText('1 changed: capacity'); // only what changed, named in the row
    await row.click();
    const diff = page.getByRole('table', { name: 'What desk.configure changed' });
    await expect(diff.getByRole('row')).toHaveCount(2); // the header and the one changed setting
    await expect(diff.getByRole('row', { name: /capacity/ })).toContainText(/capacity\s*0\s*20/);
    await page.getByTestId('audit').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/analytics-audit-diff.png`, fullPage: true });

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
