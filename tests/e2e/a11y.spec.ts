import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, startWebHost } from './host-fixture';

const TABS = ['Overview', 'Connection Pools', 'Performance', 'Analytics', 'Health'];

/** axe-core's WCAG 2 A/AA rules on every screen, in both themes: labels, roles, names, contrast. */
const audit = (page: Page, problems: string[]) => async (screen: string): Promise<void> => {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of violations) problems.push(`${screen}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`).join(' | ')}`);
};

for (const scheme of ['light', 'dark'] as const) {
  test(`accessibility: every tab and the kiosk, ${scheme} theme`, async ({ browser, host }) => {
    // Five tabs and the kiosk, each scanned by axe, on a shared, loaded machine: 90 s ran out once beside
    // two suites and three builds (it takes ~15 s alone). A wait, not a speed target.
    test.setTimeout(180_000);
    const ctx = await browser.newContext({ colorScheme: scheme });
    const page = await ctx.newPage();
    const problems: string[] = [];
    const check = audit(page, problems);
    try {
      await page.goto(host.url);
      for (const tab of TABS) {
        await page.getByRole('tab', { name: tab }).click();
        await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
        await page.waitForTimeout(500);
        await check(tab);
      }
      // The open page loads itself again as a kiosk screen (address-follow.ts).
      await page.goto(`${host.url}&kiosk`);
      await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
      await check('Kiosk');
      await page.getByLabel('Card or member number').fill('NOSUCHCARD42');
      await page.getByRole('button', { name: 'Check in' }).click();
      await expect(page.getByTestId('verdict')).toBeVisible();
      await check('Kiosk verdict');
      expect(problems, scheme).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
}

test('accessibility: first-run PIN setup and sign-in, live mode', async ({ page }) => {
  const host = await startWebHost(['--backend', 'ws://127.0.0.1:9', '--backend-token', 'unused']);
  try {
    const problems: string[] = [];
    const check = audit(page, problems);
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'First run: choose a PIN for each role' })).toBeVisible();
    await check('First run');
    await page.getByLabel('front desk PIN').fill('4321');
    await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
    await page.getByLabel('Repeat manager PIN').fill('8765');
    await page.getByLabel('kiosk PIN').fill('1111');
    await page.getByRole('button', { name: 'Save PINs' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await check('Sign-in');
    await page.getByLabel('PIN', { exact: true }).fill('0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await check('Sign-in, wrong PIN');
    expect(problems).toEqual([]);
  } finally {
    host.process.kill('SIGTERM');
  }
});
