import { test, expect, SHOTS } from './host-fixture';

// The desktop app turns the OS's login item on and off (tests/unit/login-item.test.ts); the browser form
// has none, and says what to do instead rather than offering a switch that cannot work.
test('a manager sees "Start with this PC", and in the browser form why it is off and what to do instead', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 1200 });
  await page.goto(host.url);
  const card = page.getByRole('region', { name: 'Start with this PC' });
  await expect(card).toBeVisible();
  const box = card.getByRole('checkbox', { name: "Start the console when this PC's user logs in" });
  await expect(box).toBeDisabled();
  await expect(box).not.toBeChecked();
  await expect(card).toContainText("add it to the PC's own startup programs");
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/overview-start-at-login.png`, fullPage: true });
});
