import { test, expect, startWebHost, stopWebHost, type RunningHost } from './host-fixture';
import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

// Its own demo gym: every instance is stopped here, which no other test should see.
let host: RunningHost;
test.beforeAll(async () => {
  host = await startWebHost(['--demo']);
});
test.afterAll(async () => {
  await stopWebHost(host);
});

const SHOTS = process.env.TRY_NOW_SHOTS;
const shoot = async (page: Page, name: string): Promise<void> => {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/${name}-${w}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
};

/** Seconds until each address of the Backend card is tried next, as the card says it. */
const waits = async (page: Page): Promise<number[]> =>
  (await page.getByTestId('conn-endpoints').locator('li').allInnerTexts()).map((t) => Number(/next try in (\d+) s/.exec(t)?.[1] ?? -1));

test('the backend back: Backend card and pools say when the console tries next, and "Try now" connects at once', async ({ page }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `Kill instance ${i}` }).click();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' }).first()).toBeVisible({ timeout: 15_000 });
  // Down long enough that every address waits 10 s or more: what staff sat out before.
  await expect.poll(async () => Math.min(...(await waits(page))), { timeout: 100_000, intervals: [250] }).toBeGreaterThanOrEqual(10);
  const tryNow = page.getByTestId('connection-try-now').getByRole('button', { name: 'Try now' });
  await expect(tryNow).toBeVisible();
  await expect(page.getByTestId('connection-try-now')).toContainText('If the backend is back, this tries all 3 waiting addresses at once instead of waiting.');
  await shoot(page, 'overview-offline-next-try');
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  await expect(page.getByTestId('pool-gym')).toContainText(/next try in \d+ s|trying again now/);
  await expect(page.getByTestId('pool-gym-try-now').getByRole('button', { name: 'Try now' })).toBeVisible();
  await shoot(page, 'pools-offline-next-try');

  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `Restore instance ${i}` }).click();
  await page.getByRole('tab', { name: 'Overview' }).click();
  // From the keyboard: the button is a real one, in the tab order.
  await tryNow.focus();
  await page.keyboard.press('Enter');
  // Every address back well inside the 10 s the console would otherwise have waited (the pool then fills its other sockets).
  const items = page.getByTestId('conn-endpoints').locator('li');
  await expect.poll(async () => (await items.allInnerTexts()).filter((t) => /\bconnected\b/.test(t)).length, { timeout: 5_000, intervals: [100] }).toBe(3);
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' })).toHaveCount(0);
  await expect(page.getByTestId('connection-try-now')).toHaveCount(0);
  await expect(page.getByTestId('conn-endpoints')).not.toContainText('next try');
  await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 15_000 });
});
