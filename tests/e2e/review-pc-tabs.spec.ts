import type { Page } from '@playwright/test';
import { test, expect, shots, startWebHost } from './host-fixture';

/** A screen opened again signs in again: who was signed in is not kept. */
async function signIn(page: Page): Promise<void> {
  await page.getByLabel('PIN', { exact: true }).fill('8765');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A manager's review PC has no backend, no pools and no live traffic: it offers no tab for them, by click, key or address. */
test('a review PC shows only the tabs it has something true to show on, by click, Alt+number, arrows and address', async ({ page }) => {
  const review = await startWebHost(['--review-only']);
  try {
    await page.goto(review.url);
    await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
    await page.getByLabel('Repeat manager PIN').fill('8765');
    await page.getByRole('button', { name: 'Save PIN', exact: true }).click();
    await expect(page.getByTestId('review-pc')).toBeVisible();
    await shots(page, 'review-pc-nav');

    await expect(page.getByRole('tab')).toHaveText(['Overview', 'Analytics', 'Health']);
    // Alt+number counts the tabs shown: Alt+2 is Analytics here, and a number past the last does nothing.
    await page.keyboard.press('Alt+2');
    await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('title', 'Alt+2');
    await expect(page.getByTestId('review-no-export')).toBeVisible();
    await page.keyboard.press('Alt+5');
    await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+3');
    await expect(page.getByRole('tab', { name: 'Health' })).toHaveAttribute('aria-selected', 'true');
    // Copy diagnostics, which lived on Connection Pools, is on Health here.
    await expect(page.getByRole('button', { name: 'Copy diagnostics' })).toBeVisible();
    await shots(page, 'review-pc-health');
    // Arrows go round the tabs shown, never onto a hidden one.
    await page.getByRole('tab', { name: 'Health' }).press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    await page.getByRole('tab', { name: 'Overview' }).press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
    await shots(page, 'review-pc-nav-analytics');

    // An address naming a hidden tab opens on Overview, which says what this PC is for.
    for (const tab of ['pools', 'performance']) {
      await page.goto(`${review.url}&tab=${tab}`);
      await page.reload();
      await signIn(page);
      await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('review-pc')).toBeVisible();
      await expect(page.getByRole('tab')).toHaveText(['Overview', 'Analytics', 'Health']);
    }
    // And one naming a shown tab opens it.
    await page.goto(`${review.url}&tab=analytics`);
    await page.reload();
    await signIn(page);
    await expect(page.getByRole('tab', { name: 'Analytics' })).toHaveAttribute('aria-selected', 'true');
  } finally {
    review.process.kill('SIGTERM');
  }
});

test("a gym's console keeps every tab; an address names one to open", async ({ page, host }) => {
  await page.goto(`${host.url}&tab=performance`);
  await expect(page.getByRole('tab')).toHaveText(['Overview', 'Connection Pools', 'Performance', 'Analytics', 'Health']);
  await expect(page.getByRole('tab', { name: 'Performance' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('tab', { name: 'Connection Pools' })).toHaveAttribute('aria-selected', 'true');
  // Typed onto the open page's address (only the `#…` changes, so the browser loads nothing): followed at once.
  await page.evaluate(() => (location.hash += '&tab=health'));
  await expect(page.getByRole('tab', { name: 'Health' })).toHaveAttribute('aria-selected', 'true');
  await page.evaluate(() => (location.hash += '&kiosk'));
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
});
