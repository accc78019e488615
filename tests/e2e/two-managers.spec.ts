import type { Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost, stopWebHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';

const manager = { role: 'manager', pin: DEMO_PINS.manager };

// probe26b B2: with two manager screens open (a laptop tab and the desk PC), the second Save put back the first one's
// change, and both said "Saved.": a decision to turn expiring members away offline was undone by a verdict-time change.
test('two manager screens: each Save keeps what the other saved (desk settings, alert rules)', async ({ page }) => {
  test.setTimeout(90_000);
  const host = await startWebHost(['--demo']);
  try {
    const other = await page.context().newPage();
    for (const p of [page, other]) {
      await p.setViewportSize({ width: 1280, height: 1200 });
      await p.goto(host.url);
      await expect(p.getByRole('heading', { name: 'Desk and kiosk settings' })).toBeVisible();
    }
    const save = (p: Page) => p.locator('form').filter({ has: p.getByLabel('Seconds a verdict shows') }).getByRole('button', { name: 'Save' });
    await page.getByRole('checkbox', { name: 'expiring' }).uncheck();
    await save(page).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await other.getByLabel('Seconds a verdict shows').fill('6');
    // review26 V1: the other box of the same list, ticked here, sent the list whole and undid the first screen's.
    await other.getByRole('checkbox', { name: 'Offline, let unknown cards in' }).check();
    await save(other).click();
    await expect(other.getByText('Saved.')).toBeVisible();
    const desk = await bridgeCall(host.url, 'desk.settings', undefined, manager);
    expect(desk).toMatchObject({ ok: true, value: { verdictSeconds: 6, offlinePolicy: { unknownCard: 'allow' } } });
    expect((desk as { value: { offlinePolicy: { allowStatuses: string[] } } }).value.offlinePolicy.allowStatuses).not.toContain('expiring');
    // The screen that saved last shows what is saved now, the other's change included.
    await expect(other.getByRole('checkbox', { name: 'expiring' })).not.toBeChecked();

    for (const p of [page, other]) await p.getByRole('tab', { name: 'Health' }).click();
    const rules = (p: Page) => p.getByTestId('alert-rules');
    await rules(page).getByLabel('Backend connection: alert after, seconds').fill('30');
    await rules(page).getByRole('button', { name: 'Save' }).click();
    await expect(rules(page).getByText('Saved.')).toBeVisible();
    await rules(other).getByLabel('Disk space: severity').selectOption('critical');
    await rules(other).getByRole('button', { name: 'Save' }).click();
    await expect(rules(other).getByText('Saved.')).toBeVisible();
    expect(await bridgeCall(host.url, 'alerts.settings', undefined, manager)).toMatchObject({ ok: true, value: { rules: { backend: { pendingSeconds: 30 }, disk: { severity: 'critical' } } } });
    await expect(rules(other).getByLabel('Backend connection: alert after, seconds')).toHaveValue('30');
  } finally {
    await stopWebHost(host);
  }
});

// review26 V16: refused for a value the other screen saved ("at least Busy at (50 people)" beside a Busy box reading
// automatic), the form was not refreshed; and a Save with nothing changed wrote an audit row of no change and said "Saved.".
test('two manager screens: a refusal shows the value saved on the other; a Save with nothing changed sends nothing', async ({ page }) => {
  test.setTimeout(90_000);
  const host = await startWebHost(['--demo']);
  try {
    const other = await page.context().newPage();
    for (const p of [page, other]) {
      await p.setViewportSize({ width: 1280, height: 1200 });
      await p.goto(host.url);
      await expect(p.getByRole('heading', { name: 'Desk and kiosk settings' })).toBeVisible();
    }
    const form = (p: Page) => p.locator('form').filter({ has: p.getByLabel('Seconds a verdict shows') });
    await page.getByLabel('Warn busy at, people').fill('50');
    await form(page).getByRole('button', { name: 'Save' }).click();
    await expect(form(page).getByText('Saved.')).toBeVisible();
    await expect(other.getByLabel('Warn busy at, people')).toHaveValue('');
    await other.getByLabel('Warn nearly full at, people').fill('40');
    await form(other).getByRole('button', { name: 'Save' }).click();
    await expect(other.getByText('Nearly full at must be at least Busy at (50 people), or 0 for the default.')).toBeVisible();
    await expect(other.getByLabel('Warn busy at, people')).toHaveValue('50');
    await expect(other.getByLabel('Warn nearly full at, people')).toHaveValue('40');
    await other.screenshot({ path: `${SHOTS}/two-managers-refused.png` });

    const audits = async () => ((await bridgeCall(host.url, 'audit.list', undefined, manager)) as { value: unknown[] }).value.length;
    const before = await audits();
    await page.getByRole('tab', { name: 'Health' }).click();
    const rules = page.getByTestId('alert-rules');
    await rules.getByRole('button', { name: 'Save' }).click();
    await expect(rules.getByText('Nothing changed, so nothing was saved.')).toBeVisible();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await form(page).getByRole('button', { name: 'Save' }).click();
    await expect(form(page).getByText('Nothing changed, so nothing was saved.')).toBeVisible();
    await page.getByRole('tab', { name: 'Analytics' }).click();
    const storage = page.locator('form').filter({ has: page.getByLabel('Time zone') });
    await storage.getByRole('button', { name: 'Save' }).click();
    await expect(storage.getByText('Nothing changed, so nothing was saved.')).toBeVisible();
    await storage.screenshot({ path: `${SHOTS}/two-managers-nothing-changed.png` });
    expect(await audits()).toBe(before);
  } finally {
    await stopWebHost(host);
  }
});
