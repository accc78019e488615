import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, startWebHost, SHOTS } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';

const OUT = '/tmp/fix-analytics-shots';
const openPrompt = async (page: Page): Promise<void> => {
  await expect(async () => {
    await page.keyboard.press('Control+Alt+Shift+K');
    await expect(page.getByLabel('PIN', { exact: true })).toBeVisible({ timeout: 500 });
  }).toPass();
};

test('members see no staff words for the link; closing a kiosk station is in the audit log, its time written as other lists write one', async ({ browser }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  mkdirSync(OUT, { recursive: true });
  try {
    const kiosk = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await kiosk.goto(`${host.url}&kiosk`);
    await expect(kiosk.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
    // The link's state is there for staff (its name, its tooltip), but members read no words of it.
    const pill = kiosk.getByRole('status', { name: /^Backend connection: / });
    await expect(pill).toHaveAttribute('title', /Connected|Degraded|Offline/);
    await expect(pill).toHaveText('');
    await kiosk.screenshot({ path: `${OUT}/kiosk-welcome.png` });

    await openPrompt(kiosk);
    await kiosk.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
    await kiosk.getByRole('button', { name: 'Sign in' }).click();
    await kiosk.getByRole('button', { name: 'Sign out' }).click();
    await expect(kiosk.getByRole('heading', { name: 'Station closed' })).toBeVisible();

    const rows = (await bridgeCall(host.url, 'audit.list', undefined, { role: 'manager', pin: DEMO_PINS.manager })) as { ok: boolean; value: { action: string; actor: string }[] };
    expect(rows.value.filter((r) => r.action === 'kiosk.closed')).toEqual([expect.objectContaining({ actor: 'manager' })]);

    // The desk's audit log: in words, and its time as every other list writes one ("09:07:17 AM"), not "12/5/2026, 9:08:23 AM".
    const desk = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await desk.goto(host.url);
    await desk.getByRole('radio', { name: 'manager' }).check();
    await desk.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('tab', { name: 'Analytics' }).click();
    const row = desk.getByTestId('audit').locator('li').filter({ hasText: 'Closed a kiosk station' });
    await expect(row).toContainText('manager Closed a kiosk station members cannot check in there until it is reopened');
    expect(await row.locator('.num').textContent()).toMatch(/^\d{2}:\d{2}:\d{2}( [AP]M)?$/);
    for (const width of [1366, 1024]) {
      await desk.setViewportSize({ width, height: 768 });
      await desk.getByTestId('audit').scrollIntoViewIfNeeded();
      await desk.screenshot({ path: `${OUT}/audit-log-${width}.png` });
      await desk.screenshot({ path: `${SHOTS}/audit-log-${width}.png` });
    }
    // The event log's type column holds "Connection pool" whole.
    await desk.getByRole('checkbox', { name: 'Connection pool' }).check();
    const cat = desk.getByTestId('event-log').locator('.cat').filter({ hasText: 'Connection pool' }).first();
    await expect(cat).toBeVisible();
    for (const width of [1366, 1024]) {
      await desk.setViewportSize({ width, height: 768 });
      expect(await cat.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
      await desk.getByTestId('event-log').scrollIntoViewIfNeeded();
      await desk.screenshot({ path: `${OUT}/event-log-${width}.png` });
    }
  } finally {
    host.process.kill('SIGTERM');
  }
});
