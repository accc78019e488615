import { test, expect, SHOTS } from './host-fixture';
import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const openPools = async (page: Page, url: string) => {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  await expect(page.getByTestId('pool-gym').getByTestId('socket-row').first()).toBeVisible();
};

/** The main pool's first address, as Backend connection lists it (the pool card does not list it again). */
const mainAddress = (page: Page): Promise<string> => page.getByTestId('backend-connection').getByRole('textbox', { name: 'Backend address 1', exact: true }).inputValue();

const feedTop = (page: Page) => page.getByTestId('checkin-rows').locator('tr').first().getAttribute('data-seq');

test('kill an instance from the UI: the pool shows it, events fail over, check-ins keep flowing', async ({ page, host }) => {
  await openPools(page, host.url);
  await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/pools.png`, fullPage: true });

  // Kill the instance that carries the event subscription.
  const subscribed = page.locator('[data-testid="socket-row"]', { has: page.locator('.tag') }).first();
  const endpoint = (await subscribed.getAttribute('data-endpoint'))!;
  const port = endpoint.split(':').pop()!;
  const rows = await page.locator('[data-testid^="instance-"]').allTextContents();
  const victim = rows.findIndex((t) => t.includes(`:${port}`));
  expect(victim).toBeGreaterThanOrEqual(0);
  await page.getByRole('button', { name: `Kill instance ${victim}` }).click();
  await expect(page.getByTestId(`instance-${victim}`)).toContainText('killed');
  await expect(page.getByTestId('activity')).toContainText('Connection lost');
  await expect(page.getByRole('status', { name: 'Backend connection: Degraded' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/pools-instance-killed.png`, fullPage: true });

  // Connection events say why in words: no error codes, no instance ids.
  expect(await page.getByTestId('activity').innerText()).not.toMatch(/ECONN|socket error|instance-\d|pool stopped/);

  // Traffic continues while the instance is down, and the Backend card says so in a sentence.
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByTestId('connection-degraded')).toHaveText('2 of 3 backend instances answer; check-ins still work.');
  await page.screenshot({ path: `${SHOTS}/overview-one-instance-down.png`, fullPage: true });
  const before = Number(await feedTop(page));
  await expect.poll(async () => Number(await feedTop(page)), { timeout: 10_000 }).toBeGreaterThan(before);

  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  await page.getByRole('button', { name: `Restore instance ${victim}` }).click();
  await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 15_000 });
});

test('bad endpoint input gets a clear error and changes nothing', async ({ page, host }) => {
  await openPools(page, host.url);
  // The main pool's addresses are edited under Backend connection; another pool's on its own card.
  await page.getByLabel('New pool name').fill('spare');
  await page.getByLabel('New pool endpoints').fill(await mainAddress(page));
  await page.getByRole('button', { name: 'Create pool' }).click();
  const endpoints = page.getByRole('list', { name: 'Endpoints of pool spare' }).locator('li');
  await expect(endpoints).toHaveCount(1);
  const input = page.getByLabel('New endpoint for pool spare');
  const spareAlerts = page.getByTestId('pool-spare').getByRole('alert');
  // The message the control points at (aria-describedby), i.e. the one shown beside it.
  const messageOf = async (control: typeof input) => page.locator(`[id="${await control.getAttribute('aria-describedby')}"]`);
  await input.fill('http://10.0.0.9:9100');
  await page.getByTestId('pool-spare').getByRole('button', { name: 'Add endpoint' }).click();
  await expect(spareAlerts).toHaveCount(1); // one bad URL, one message
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(await messageOf(input)).toHaveText('"http://10.0.0.9:9100" must start with ws:// or wss://.');
  await expect(input).toHaveValue('http://10.0.0.9:9100'); // kept, to correct
  await page.screenshot({ path: `${SHOTS}/pools-bad-endpoint.png`, fullPage: true });
  await input.fill('ws://10.0.0.9:99999');
  await page.getByTestId('pool-spare').getByRole('button', { name: 'Add endpoint' }).click();
  await expect(spareAlerts).toHaveCount(1);
  await expect(await messageOf(input)).toContainText('use 1 to 65535');
  await input.fill('');
  await expect(endpoints).toHaveCount(1);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('pool-spare').getByRole('button', { name: 'Destroy pool' }).click();
  await expect(page.getByTestId('pool-spare')).toHaveCount(0);

  const alerts = page.getByTestId('pool-gym').getByRole('alert');
  const maxSockets = page.getByLabel('Max sockets of pool gym');
  const healthCheck = page.getByLabel('Health check of pool gym');
  const keptCheck = await healthCheck.inputValue();
  await maxSockets.fill('0');
  await page.getByRole('button', { name: 'Apply' }).first().click();
  await expect(alerts).toHaveCount(1);
  await expect(maxSockets).toHaveAttribute('aria-invalid', 'true'); // the endpoint's alert may still be the one counted above
  await expect(await messageOf(maxSockets)).toHaveText('Max sockets must be between 1 and 64.');
  await expect(maxSockets).toHaveValue('0');
  await expect(healthCheck).not.toHaveAttribute('aria-invalid', 'true');
  // The message sits right under its field, not at the foot of the card.
  const fieldBox = (await maxSockets.boundingBox())!;
  const msgBox = (await (await messageOf(maxSockets)).boundingBox())!;
  expect(msgBox.y - (fieldBox.y + fieldBox.height)).toBeLessThan(30);
  expect(Math.abs(msgBox.x - fieldBox.x)).toBeLessThan(250);
  await page.screenshot({ path: `${SHOTS}/pools-bad-input.png`, fullPage: true });
  // Two bad fields: two messages, one beside each; nothing is applied.
  await healthCheck.fill('');
  await page.getByRole('button', { name: 'Apply' }).first().click();
  await expect(alerts).toHaveCount(2);
  await expect(await messageOf(healthCheck)).toHaveText('Health check must be a whole number between 100 and 60,000 ms.');
  await expect(page.getByTestId('pool-gym').getByText('Max sockets must be', { exact: false })).toHaveCount(1);
  await healthCheck.fill(keptCheck);
});

test('switch strategy, create a pool and destroy it', async ({ page, host }) => {
  await openPools(page, host.url);
  await page.getByLabel('Strategy of pool gym').selectOption('round-robin');
  await expect(page.getByTestId('activity')).toContainText('Pool changed');
  await expect(page.getByLabel('Strategy of pool gym')).toHaveValue('round-robin');

  const firstEndpoint = await mainAddress(page);
  // A bad address is said once, under the endpoints field; what was typed stays.
  await page.getByLabel('New pool name').fill('kiosks');
  await page.getByLabel('New pool endpoints').fill(`${firstEndpoint} http://10.0.0.9:9100`);
  await page.getByRole('button', { name: 'Create pool' }).click();
  await expect(page.locator('#create-endpoints-error')).toHaveText('"http://10.0.0.9:9100" must start with ws:// or wss://.');
  await expect(page.getByLabel('New pool endpoints')).toHaveAttribute('aria-describedby', 'create-endpoints-error');
  await expect(page.getByLabel('New pool name')).toHaveValue('kiosks');
  await expect(page.getByRole('heading', { name: 'New pool' }).locator('..').getByRole('alert')).toHaveCount(1);
  await page.getByRole('heading', { name: 'New pool' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/pools-create-bad-endpoint.png` });
  await page.getByLabel('New pool endpoints').fill(firstEndpoint);
  await page.getByRole('button', { name: 'Create pool' }).click();
  await expect(page.getByTestId('pool-kiosks').getByTestId('socket-row').first()).toHaveAttribute('data-state', 'open');
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('pool-kiosks').getByRole('button', { name: 'Destroy pool' }).click();
  await expect(page.getByTestId('pool-kiosks')).toHaveCount(0);
});

test('each socket shows how long a silence the console allows, learned from the link, and the instance load', async ({ page, host }) => {
  await openPools(page, host.url);
  const deadlines = page.getByTestId('pool-gym').getByTestId('deadline');
  await expect(deadlines.first()).toBeVisible();
  // Learned within a few seconds of replies: shorter than the pool's 1.0 s limit (4 × 250 ms) on loopback.
  await expect
    .poll(async () => (await deadlines.allTextContents()).filter((t) => /^Gives up after 0\.\d s of silence$/.test(t)).length, { timeout: 15_000 })
    .toBeGreaterThan(0);
  await expect(page.getByTestId('pool-gym').getByText(/Instance: \d+ console sockets · [\d.]+ ms lag/).first()).toBeVisible();
  await page.getByTestId('pool-gym').getByTestId('socket-row').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/pools-deadline.png`, fullPage: true });
  await page.getByTestId('pool-gym').locator('table.sockets').screenshot({ path: `${SHOTS}/pools-deadline-table.png` });
});

test("the pool's CA file: set where a manager edits and creates a pool; a path that cannot be read is refused beside its box", async ({ page, host }) => {
  await openPools(page, host.url);
  const box = page.getByLabel('CA file of pool gym');
  await expect(box).toHaveValue('');
  // The hint says what it is for, in words, and the box points at it.
  const hint = page.locator('#pool-gym-caFile-hint');
  await expect(hint).toHaveText("Only for wss:// addresses with the gym's own certificate authority: the PEM file's full path on this PC. Leave it empty otherwise.");
  await expect(box).toHaveAttribute('aria-describedby', 'pool-gym-caFile-hint');

  const dir = mkdtempSync(join(tmpdir(), 'gym-e2e-ca-'));
  const missing = join(dir, 'gym-ca.pem');
  await box.fill(missing);
  await page.getByRole('button', { name: 'Save CA file' }).click();
  const refusal = page.locator('#pool-gym-caFile-error');
  await expect(refusal).toHaveText(`Cannot read the CA file ${missing}: there is no file there. Check the path.`);
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await expect(box).toHaveValue(missing); // kept, to correct
  await expect(page.getByTestId('pool-gym').getByRole('alert')).toHaveCount(1); // said once, not again at the card's foot
  const boxAt = (await box.boundingBox())!;
  const refusalAt = (await refusal.boundingBox())!;
  expect(refusalAt.y - (boxAt.y + boxAt.height)).toBeLessThan(30);
  await page.getByTestId('pool-gym').locator('.pool-settings').screenshot({ path: `${SHOTS}/pools-ca-file-refused.png` });

  // The file is there now: saved, and shown as the pool's setting.
  writeFileSync(missing, readFileSync(join(import.meta.dirname, '../fixtures/tls/gym-test-ca.pem')));
  await page.getByRole('button', { name: 'Save CA file' }).click();
  await expect(refusal).toHaveCount(0);
  await expect(page.getByTestId('activity')).toContainText('CA file');
  await expect(page.getByLabel('CA file of pool gym')).toHaveValue(missing);
  // Emptied: back to the system's own certificate authorities.
  await page.getByLabel('CA file of pool gym').fill('');
  await page.getByRole('button', { name: 'Save CA file' }).click();
  await expect(page.getByTestId('activity').getByText(/changed: CA file/)).toHaveCount(2);
  await expect(page.getByLabel('CA file of pool gym')).toHaveValue('');

  // A new pool takes one too, checked the same way before the pool is made.
  const firstEndpoint = await mainAddress(page);
  await page.getByLabel('New pool name').fill('secure');
  await page.getByLabel('New pool endpoints').fill(firstEndpoint);
  await page.getByLabel('New pool CA file').fill(join(dir, 'other.pem'));
  await page.getByRole('button', { name: 'Create pool' }).click();
  await expect(page.locator('#create-caFile-error')).toHaveText(`Cannot read the CA file ${join(dir, 'other.pem')}: there is no file there. Check the path.`);
  await expect(page.getByLabel('New pool CA file')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('pool-secure')).toHaveCount(0);
  await page.getByRole('heading', { name: 'New pool' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/pools-create-ca-file-refused.png` });
});
