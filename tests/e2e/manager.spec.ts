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
    await expect(page.getByTestId('occupancy-warnings')).toHaveText('Warns at 10 (busy) and 20 (nearly full); at 250 the gym is full and the backend turns members away.');
    await expect(page.getByTestId('occupancy-note')).toContainText(/full/); // nearly full at 20 people, or the backend's full
    await page.screenshot({ path: `${SHOTS}/overview-manager-capacity.png`, fullPage: true });
    await page.getByRole('tab', { name: 'Analytics' }).click();
    await expect(page.getByTestId('audit')).toContainText('Changed desk and kiosk settings');
    const row = page.getByTestId('audit').getByRole('button').first();
    await expect(row).toContainText(/2 changed: Busy at, Nearly full at/); // only what changed, named as on the form
    await row.click();
    const diff = page.getByRole('table', { name: 'What "Changed desk and kiosk settings" changed' });
    await expect(diff.getByRole('row')).toHaveCount(3); // the header and the two changed settings
    await expect(diff.getByRole('row', { name: /Busy at/ })).toContainText(/Busy at\s*0\s*10/);
    await expect(diff.getByRole('row', { name: /Nearly full at/ })).toContainText(/Nearly full at\s*0\s*20/);
    await page.getByTestId('audit').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/analytics-audit-diff.png`, fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/sign-in.png` });
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.desk);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.who-am-i')).toContainText('front desk');
    await expect(page.getByRole('heading', { name: 'Desk and kiosk settings' })).toHaveCount(0);
  } finally {
    host.process.kill('SIGTERM');
  }
});

test('desk and storage settings say a refusal beside the field, keep what was typed, and change nothing', async ({ page }) => {
  const host = await startWebHost(['--demo']);
  try {
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.goto(host.url);
    // probe26b B7: kept on this PC only; a kiosk PC of its own went on with its own, and nothing said so.
    await expect(page.getByTestId('desk-settings-scope')).toContainText('A kiosk PC that runs its own console keeps its own: set them on it');
    const verdict = page.getByLabel('Seconds a verdict shows');
    await verdict.fill('45');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect(page.locator('#verdict-error')).toHaveText('Verdict time must be between 2 and 30 seconds.');
    await expect(verdict).toHaveAttribute('aria-describedby', 'verdict-error');
    await expect(verdict).toHaveValue('45');
    await expect(page.getByText('Saved.')).toHaveCount(0);
    await page.getByRole('heading', { name: 'Desk and kiosk settings' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/overview-desk-settings-error.png`, fullPage: true });

    await page.getByRole('tab', { name: 'Analytics' }).click();
    const hours = page.getByLabel('Days to keep hourly rollups');
    const events = page.getByLabel('Days to keep events');
    const keptEvents = await events.inputValue();
    await hours.fill('3');
    await events.fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#keep-hours-error')).toHaveText('Days to keep hourly rollups must be between 7 and 3,650.');
    await expect(page.locator('#keep-events-error')).toHaveText('Days to keep events must be a whole number between 1 and 3,650.');
    await expect(hours).toHaveValue('3');
    await page.getByRole('heading', { name: 'Storage' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/analytics-storage-error.png` });
    // Nothing was applied: a reload shows the settings as they were.
    await page.reload();
    await page.getByRole('tab', { name: 'Analytics' }).click();
    await expect(page.getByLabel('Days to keep hourly rollups')).not.toHaveValue('3');
    await expect(page.getByLabel('Days to keep events')).toHaveValue(keptEvents);
  } finally {
    host.process.kill('SIGTERM');
  }
});
