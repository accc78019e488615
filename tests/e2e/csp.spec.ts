import { test, expect, startWebHost } from './host-fixture';
import type { Page } from '@playwright/test';

// The CSP allows no inline styles or scripts at all: every screen must render without one violation.
const TABS = ['Overview', 'Connection Pools', 'Performance', 'Analytics', 'Health'];

async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

test('every tab renders under a CSP without inline styles, with no violation', async ({ page, host }) => {
  const violations = await watchViolations(page);
  const response = await page.goto(host.url);
  expect(response?.headers()['content-security-policy']).toMatch(/style-src 'self';/);
  for (const tab of TABS) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('main, [role="tabpanel"]').first()).toBeVisible();
  }
  // Charts draw and the live feed moves before we look.
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible();
  expect(await violations()).toEqual([]);
});

test('the kiosk screen renders with no CSP violation', async ({ page }) => {
  const host = await startWebHost(['--demo', '--kiosk']);
  try {
    const violations = await watchViolations(page);
    await page.goto(host.url);
    await expect(page.getByRole('textbox').first()).toBeVisible();
    expect(await violations()).toEqual([]);
  } finally {
    host.process.kill('SIGTERM');
  }
});
