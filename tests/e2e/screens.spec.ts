import { test, expect, SHOTS } from './host-fixture';

const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: 'portrait-1080x1920', width: 1080, height: 1920 },
];
const TABS = ['Overview', 'Connection Pools', 'Performance', 'Analytics', 'Health'];

for (const scheme of ['light', 'dark'] as const) {
  test(`every tab at three sizes, ${scheme} theme`, async ({ browser, host }) => {
    // Five tabs (and, here, the kiosk) on a shared, loaded machine: more than the default 30 s.
    test.setTimeout(90_000);
    const ctx = await browser.newContext({ colorScheme: scheme });
    const page = await ctx.newPage();
    await page.goto(host.url);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const tab of TABS) {
        await page.getByRole('tab', { name: tab }).click();
        await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
        await page.waitForTimeout(400);
        // Nothing spills sideways: the page never needs a horizontal scrollbar.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${tab} at ${size.name} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SHOTS}/sizes/${scheme}-${size.name}-${tab.toLowerCase().replace(/ /g, '-')}.png` });
      }
    }
    await ctx.close();
  });
}
