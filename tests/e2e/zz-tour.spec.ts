import { test, expect } from './host-fixture';
const OUT = '/work/wt/shots/live-gym/before';
test('tour', async ({ page, host }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(host.url);
  await page.waitForTimeout(5000);
  await page.screenshot({ path: `${OUT}/overview.png`, fullPage: true });
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}/pools.png`, fullPage: true });
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `${OUT}/analytics.png`, fullPage: true });
  await page.getByRole('tab', { name: 'Performance' }).click();
  await page.waitForTimeout(1000);
  await page.screenshot({ path: `${OUT}/performance.png`, fullPage: true });
  expect(1).toBe(1);
});
