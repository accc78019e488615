import type { Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';

/** Controls only a manager may use, by tab: each must exist for a manager and be absent for front desk. */
const MANAGER_ONLY: Record<string, (page: Page) => ReturnType<Page['getByRole']>[]> = {
  Overview: (p) => [p.getByRole('heading', { name: 'Desk and kiosk settings' }), p.getByLabel('Demo arrivals per hour at peak'), p.getByRole('heading', { name: 'Change PINs' })],
  'Connection Pools': (p) => [
    // No "Destroy pool" here: the demo gym's one pool is built in and offers none (pools-fit.spec.ts).
    p.getByLabel('Strategy of pool gym'),
    p.getByLabel('CA file of pool gym'),
    p.getByLabel('New pool CA file'),
    p.getByRole('heading', { name: 'New pool' }),
    p.getByRole('button', { name: 'Kill instance 0' }),
  ],
  Analytics: (p) => [p.getByRole('button', { name: 'Export this range' }), p.getByLabel('Gym time zone'), p.getByRole('heading', { name: 'Audit log' })],
};

async function expectControls(page: Page, present: boolean, shot: string): Promise<void> {
  for (const [tab, controls] of Object.entries(MANAGER_ONLY)) {
    await page.getByRole('tab', { name: tab }).click();
    // Something every role sees on the tab, so "absent" is not just "not rendered yet".
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    if (tab === 'Connection Pools') await expect(page.getByTestId('pool-gym')).toBeVisible();
    if (tab === 'Analytics') await expect(page.getByRole('heading', { name: 'Export', exact: true })).toBeVisible();
    if (tab === 'Overview') await expect(page.getByRole('heading', { name: 'Front desk' })).toBeVisible();
    for (const c of controls(page)) await (present ? expect(c.first()).toBeVisible() : expect(c).toHaveCount(0));
    await page.screenshot({ path: `${SHOTS}/${shot}-${tab.toLowerCase().replace(/ /g, '-')}.png`, fullPage: true });
  }
}

test('front desk is not offered manager controls; a manager is; main refuses demo faults to front desk', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '600']);
  try {
    await page.goto(host.url);
    await expectControls(page, true, 'roles-manager');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.desk);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.who-am-i')).toContainText('front desk');
    await expectControls(page, false, 'roles-desk');
    const desk = { role: 'desk', pin: DEMO_PINS.desk };
    expect(await bridgeCall(host.url, 'demo.fault', { instance: 0, action: 'kill' }, desk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await bridgeCall(host.url, 'demo.setRate', { ratePerHour: 100 }, desk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  } finally {
    host.process.kill('SIGTERM');
  }
});

test('a sign-out holds across a reload, in the demo too', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    await page.goto(host.url);
    await expect(page.locator('.who-am-i')).toContainText('manager'); // the demo starts signed in
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('tab')).toHaveCount(0);
    // The main process holds it, not the page: a new connection gets nothing either.
    expect(await bridgeCall(host.url, 'state.snapshot')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
    await page.getByRole('radio', { name: 'manager' }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.who-am-i')).toContainText('manager');
  } finally {
    host.process.kill('SIGTERM');
  }
});
