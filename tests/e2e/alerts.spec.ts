import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test as base, expect, startWebHost, SHOTS, type RunningHost } from './host-fixture';
import { startReceiver } from '../helpers/webhook-receiver';
import { bridgeCall } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';

// Its own host: this spec takes every backend instance down and changes the alert rules.
const test = base.extend<{ own: RunningHost }>({
  own: async ({}, use) => {
    const host = await startWebHost(['--demo']);
    await use(host);
    host.process.kill('SIGTERM');
  },
});

const BRANCH_SHOTS = '/work/wt/shots/alerts';
const shot = async (page: Page, name: string) => {
  mkdirSync(BRANCH_SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  await page.screenshot({ path: `${BRANCH_SHOTS}/${name}.png`, fullPage: true });
};
const faults = async (page: Page, action: 'Kill' | 'Restore') => {
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `${action} instance ${i}` }).click();
  for (const i of [0, 1, 2]) await expect(page.getByTestId(`instance-${i}`)).toContainText(action === 'Kill' ? 'killed' : 'healthy');
};
/** The browser's Notification API, granted and recorded: what the headless host's page shows. */
const recordNotifications = (page: Page) =>
  page.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { shownNotices: string[] }).shownNotices = shown;
    class Recorder {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string) {
        shown.push(title);
      }
    }
    (window as unknown as { Notification: unknown }).Notification = Recorder;
  });
const shownNotices = (page: Page) => page.evaluate(() => (window as unknown as { shownNotices: string[] }).shownNotices);

test('every backend instance killed: one alert, acknowledged, resolved after Restore with how long it lasted; signed webhooks delivered', async ({ page, own }) => {
  test.setTimeout(120_000);
  await recordNotifications(page);
  await page.goto(own.url);
  const pill = page.getByTestId('health-pill');
  await expect(pill).toBeVisible();
  await pill.click();
  await expect(page.getByRole('tab', { name: 'Health' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('check-backend')).toContainText('All 3 backend instances answer');

  // Bad numbers are refused next to their field, and nothing is saved.
  const rules = page.getByTestId('alert-rules');
  const pending = rules.getByLabel('Backend connection: alert after, seconds');
  const keep = rules.getByLabel('Backend connection: close after, seconds');
  await pending.fill('-5');
  await keep.fill('99999');
  await rules.getByRole('button', { name: 'Save' }).click();
  await expect(pending).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`[id="${await pending.getAttribute('aria-describedby')}"]`)).toHaveText('Alert after must be between 0 and 3,600 seconds.');
  await expect(page.locator(`[id="${await keep.getAttribute('aria-describedby')}"]`)).toHaveText('Close after must be between 0 and 3,600 seconds.');
  await shot(page, 'health-rules-refused');
  // Short times so the test does not wait the gym's defaults (alert after 10 s, close after 30 s).
  await pending.fill('3');
  await keep.fill('3');
  await rules.getByRole('button', { name: 'Save' }).click();
  await expect(rules.getByText('Saved.')).toBeVisible();

  // Webhook settings refuse a non-http address and a short secret, beside each field.
  const hooks = page.getByTestId('webhooks');
  const secretField = hooks.getByLabel('Signing secret (blank keeps the saved one)');
  await hooks.getByLabel('Webhook address').fill('ftp://hooks.example.com/gym');
  await secretField.fill('whsec_tooshort');
  await hooks.getByRole('button', { name: 'Save webhook' }).click();
  await expect(hooks.getByText('The webhook address must start with http:// or https://.')).toBeVisible();
  await expect(hooks.getByText(/The signing secret must be "whsec_" followed by at least 32 base64 characters/)).toBeVisible();
  await expect(hooks.getByText('No webhook addresses')).toBeVisible();
  await shot(page, 'health-webhook-refused');

  // A good one: a loopback receiver that verifies each signature with the generated secret, and fails every first try.
  await hooks.getByRole('button', { name: 'Generate' }).click();
  const receiver = await startReceiver(await secretField.inputValue(), (_id, attempt) => (attempt === 1 ? 'fail' : 'ok'));
  try {
    await hooks.getByLabel('Webhook address').fill(receiver.url);
    await hooks.getByRole('button', { name: 'Save webhook' }).click();
    await expect(hooks.getByText(receiver.url)).toBeVisible();
    // IT's check that the address works: a signed test notice (refused once, then taken).
    await hooks.getByRole('button', { name: 'Send a test' }).click();
    await expect.poll(() => receiver.arrivals.filter((a) => a.answer === 'ok').map((a) => a.body.type), { timeout: 10_000 }).toEqual(['alert.test']);

    await faults(page, 'Kill');
    await pill.click();
    const alert = page.getByTestId('alert-backend');
    await expect(alert.locator('.alert-state')).toHaveText('Active', { timeout: 20_000 }); // not the engine's "Firing"
    await expect(alert).toContainText('No backend instance is reachable (0 of 3)');
    // One root cause, one alert: the pool's and the feed's troubles are part of it, not alerts of their own.
    await expect(page.locator('.alert-item.alert-firing:not(:has-text("Part of"))')).toHaveCount(1);
    await expect(page.locator('.alerts[role="alert"]')).toContainText('Backend connection: No backend instance is reachable');
    await expect(pill).toContainText('Failing');
    await expect.poll(() => shownNotices(page)).toEqual(['Critical: Backend connection']);
    await shot(page, 'health-alert-firing');

    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(alert).toContainText('Acknowledged by manager');
    await expect(page.locator('.alerts[role="alert"]')).toHaveCount(0); // the banner goes once someone is on it
    await shot(page, 'health-alert-acknowledged');

    await faults(page, 'Restore');
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(alert).toContainText('Resolved', { timeout: 30_000 });
    await expect(alert).toContainText(/lasted \d+ s/);
    // "since" beside "Resolved" reads as still going: it says when the trouble began.
    await expect(alert).toContainText(/Resolved\s*from \d{1,2}:\d{2}/);
    await expect(alert).not.toContainText(/since \d/);
    await expect.poll(() => shownNotices(page)).toEqual(['Critical: Backend connection', 'Resolved: Backend connection']);
    await expect(page.getByTestId('check-backend')).toContainText('All 3 backend instances answer', { timeout: 20_000 });
    await shot(page, 'health-alert-resolved');

    // The receiver got each notice exactly once, signed; the delivery log says so.
    await expect.poll(() => [...receiver.accepted.values()], { timeout: 20_000 }).toEqual([1, 1, 1]);
    expect(receiver.arrivals.every((a) => a.verified)).toBe(true);
    expect(receiver.arrivals.filter((a) => a.answer === 'ok').map((a) => a.body.type)).toEqual(['alert.test', 'alert.firing', 'alert.resolved']);
    const log = hooks.getByTestId('delivery-log');
    await expect(log.locator('tbody tr')).toHaveCount(3, { timeout: 10_000 });
    await expect(log.locator('tbody tr').filter({ hasText: 'delivered' })).toHaveCount(3, { timeout: 10_000 });

    await page.getByTestId('check-backend').getByText(/History/).click();
    await expect(page.getByTestId('check-backend').locator('.history li').first()).toContainText('All 3 backend instances answer');
    await expect(page.getByTestId('check-backend').locator('.history')).toContainText('Failing');
    await expect(page.getByTestId('availability')).toContainText('Overall', { timeout: 25_000 });
    await shot(page, 'health-view');

    // The delivery log titles each notice; no "test test" or "firing backend".
    expect((await log.locator('tbody tr .notice-title').allTextContents()).sort()).toEqual(['Alert over: Backend connection', 'Alert raised: Backend connection', 'Test notice']);
    // Each names its receiver by host, not by its whole (secret-bearing) address.
    for (const to of await log.locator('tbody tr td:nth-child(2) .muted').allTextContents()) expect(to).toMatch(/^to 127\.0\.0\.1:\d+$/);
    // Figures read as the reason beside them and the Storage card say them (size-words.ts): "850 MB", "63 GB".
    await expect(page.getByTestId('check-disk').locator('.num').first()).toHaveText(/^(\d{1,3}(,\d{3})*(\.\d)? [MG]B|–)$/);
    await hooks.scrollIntoViewIfNeeded();
    await shot(page, 'health-delivery-log');

    // The audit log names every field as the forms do, and never a key.
    await page.getByRole('tab', { name: 'Analytics' }).click();
    const audit = page.getByTestId('audit');
    await expect(audit.getByRole('button').filter({ hasText: 'Changed the alert rules' }).first()).toContainText('2 changed: Backend connection: alert after, Backend connection: close after');
    await expect(audit.getByRole('button').filter({ hasText: 'Saved a webhook address' }).first()).toContainText('4 changed: Webhook address, Signing secret, Send to this address, Timeout');
    await audit.getByRole('button').filter({ hasText: 'Saved a webhook address' }).first().click();
    await expect(page.getByRole('table', { name: 'What "Saved a webhook address" changed' }).getByRole('row', { name: /Signing secret/ })).toContainText('(hidden)');
    expect(await audit.innerText()).not.toMatch(/secretChanged|timeoutSeconds|rules\.|cardId|whsec_|\bValue\b/);
    await audit.scrollIntoViewIfNeeded();
    await shot(page, 'analytics-audit-words');
  } finally {
    await receiver.close();
  }
});

test('a generated secret says to copy it before saving; a test delivery shows as delivered without reopening the tab', async ({ page, own, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(own.url);
  await page.getByTestId('health-pill').click();
  const hooks = page.getByTestId('webhooks');
  const secretField = hooks.getByLabel('Signing secret (blank keeps the saved one)');
  await expect(hooks.getByRole('button', { name: 'Copy' })).toHaveCount(0);
  await hooks.getByRole('button', { name: 'Generate' }).click();
  const note = hooks.locator('#wh-secret-note');
  await expect(note).toContainText('Copy this secret now and give it to the receiver: once saved, the console shows only its last 4 characters.');
  await expect(secretField).toHaveAttribute('aria-describedby', 'wh-secret-note');
  await hooks.getByRole('button', { name: 'Copy' }).click();
  await expect(note).toContainText('Copied.');
  const secret = await secretField.inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  mkdirSync('/tmp/quiet-shots', { recursive: true });
  await hooks.screenshot({ path: '/tmp/quiet-shots/webhook-generated-secret.png' });

  const receiver = await startReceiver(secret, () => 'ok');
  try {
    await hooks.getByLabel('Webhook address').fill(receiver.url);
    await hooks.getByRole('button', { name: 'Save webhook' }).click();
    await expect(hooks.getByText(receiver.url)).toBeVisible();
    await expect(note).toHaveCount(0); // saved: nothing left to copy
    // Its state says what it is ("sending" read like a delivery under way).
    await expect(hooks.locator('.webhook-list li').first()).toContainText('switched on: alerts are sent here');
    await expect(hooks.locator('.webhook-list li').first()).not.toContainText('sending');
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 768 });
      await hooks.screenshot({ path: `/tmp/fix-it-shots/webhook-switched-on-${width}.png` });
    }
    await hooks.getByRole('button', { name: 'Send a test' }).click();
    await expect.poll(() => receiver.accepted.size, { timeout: 5_000 }).toBe(1);
    // Pushed by the core as the delivery finishes: no reload, no poll to wait for.
    const log = hooks.getByTestId('delivery-log');
    await expect(log.locator('tbody tr').first()).toContainText('delivered', { timeout: 2_000 });
    await expect(hooks.getByRole('heading', { name: /Delivery log/ })).not.toContainText('waiting to send');
    await hooks.screenshot({ path: '/tmp/quiet-shots/webhook-test-delivered.png' });
  } finally {
    await receiver.close();
  }
});

test('a slow but working backend (1.2 s a reply) is an amber "Health: Slow backend", not a red "Failing"; check-ins still go through', async ({ page, own }) => {
  test.setTimeout(90_000);
  const manager = { role: 'manager', pin: DEMO_PINS.manager };
  await page.goto(own.url);
  const pill = page.getByTestId('health-pill');
  await expect(pill).toContainText('All systems OK', { timeout: 20_000 });
  for (const instance of [0, 1, 2]) expect((await bridgeCall(own.url, 'demo.fault', { instance, action: 'delay', value: 1_200 }, manager)).ok).toBe(true);
  // Every socket leaves rotation for its latency; the pool still sends on them, so the desk has nothing to do.
  await expect(pill).toHaveText('Health: Slow backend', { timeout: 30_000 });
  await expect(pill).toHaveClass(/pill-degraded/);
  await page.getByLabel('Find a member').fill('Garcia');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByTestId('members').getByRole('button', { name: /^Check in / }).first().click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 15_000 });
  await expect(pill).toHaveText('Health: Slow backend'); // not red a moment later either
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `${SHOTS}/health-slow-backend-${width}.png` });
  }
  await pill.click();
  // The pool says what it does to the sockets; how slow is said once, by Backend speed.
  await expect(page.getByTestId('check-pool:gym')).toContainText(/No socket is in rotation: its \d+ open sockets answer slowly, and the console still sends check-ins on them\. How slow: see Backend speed\./);
  await expect(page.getByTestId('check-pool:gym')).not.toContainText('ms a reply');
  // How slow, for how long, what still works: not only "Slow backend" (shown once it has held 10 s).
  await expect(page.getByTestId('check-speed')).toContainText(/The gym's system has been answering slowly for \d+ s: replies take about 1\.2 s, while this console keeps up\. Check-ins still work, more slowly\./, { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/health-slow-backend-tab.png`, fullPage: true });
  mkdirSync(SLOW_SHOTS, { recursive: true });
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.getByTestId('check-speed').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SLOW_SHOTS}/health-speed-${width}.png` });
  }
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  await expect(page.getByTestId('socket-row').first()).toContainText('out of rotation: slow to answer');
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.getByTestId('socket-row').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SLOW_SHOTS}/pools-slow-${width}.png` });
  }
  // The event log blames the gym's system, not the console, once a 10 s sample has seen it.
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await expect(page.getByText("Gym's system answering slowly").first()).toBeVisible({ timeout: 30_000 });
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.getByText("Gym's system answering slowly").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SLOW_SHOTS}/eventlog-slow-${width}.png` });
  }
});

const SLOW_SHOTS = '/tmp/fix-slow-shots';
