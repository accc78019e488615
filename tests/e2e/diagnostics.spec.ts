import { test, expect, SHOTS, startWebHost } from './host-fixture';

const openPools = async (page: import('@playwright/test').Page, url: string) => {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
};

test('a manager copies diagnostics to the clipboard and is told so', async ({ page, context, host }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPools(page, host.url);
  await page.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text).toMatch(/^AV Gym Console diagnostics\n/);
  expect(text).toMatch(/^mode: +DEMO/m);
  expect(text).toContain(`data dir:    ${host.dataDir}`);
  expect(text).toMatch(/^pool "gym": /m);
  // This run's only, and where the earlier ones are (readme25 W6: "none" after a restart read as a clean morning).
  expect(text).toMatch(/^recent warnings and errors since this start at \d{4}-\d\d-\d\dT[\d:.]+Z \(\d+\); earlier ones are in .*console\.log:$/m);
  await page.screenshot({ path: `${SHOTS}/pools-diagnostics-copied.png` });
});

test('where the clipboard is refused, the text is shown to copy by hand', async ({ page, host }) => {
  await openPools(page, host.url);
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } }));
  await page.getByRole('button', { name: 'Copy diagnostics' }).click();
  const box = page.getByLabel(/select the text below and copy it/);
  await expect(box).toBeVisible();
  await expect(box).toHaveValue(/^AV Gym Console diagnostics\n/);
  await expect(page.getByText('Copied', { exact: false })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/pools-diagnostics-manual.png`, fullPage: true });
});

test('front-desk staff do not get the button', async ({ page }) => {
  // Its own host: a sign-out holds for every later screen, and the shared host must stay signed in.
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    await openPools(page, host.url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('front desk', { exact: true }).check();
    await page.getByLabel('PIN', { exact: true }).fill('1357');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Connection Pools' }).click();
    await expect(page.getByRole('heading', { name: 'System health' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Copy diagnostics' })).toHaveCount(0);
    // Sent here by the README's "if something is wrong": told who can (readme25 W13).
    await expect(page.getByTestId('diagnostics-manager-only')).toHaveText("For the gym's IT, a manager can copy this console's diagnostics here (Copy diagnostics, after Manager sign-in).");
  } finally {
    host.process.kill('SIGTERM');
  }
});
