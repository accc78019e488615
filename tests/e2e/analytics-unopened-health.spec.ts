import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, SHOTS } from './host-fixture';
import { hostileRig, setUpDesk, signInAs } from './hostile-host';

// An analytics.db the console cannot open (here a folder in its place): the console starts without analytics kept,
// and Health's alert said so in one long paragraph. It says a headline and IT's one line now; the whole story is in
// the log (and so in Copy diagnostics' recent warnings).

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/analytics-unopened`;
const rig = hostileRig();

test("analytics.db that cannot be opened: Health says it in a headline and IT's one line, the details in the log", async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync(SAVED, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'gym-e2e-'));
  mkdirSync(join(dataDir, 'analytics.db'));
  await rig.start({ instances: 1 });
  const host = await rig.host([], dataDir);
  await setUpDesk(host.url);
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(host.url);
  await signInAs(page, 'manager');
  await page.getByRole('tab', { name: 'Health' }).click();

  const headline = 'Charts and exports are not being saved: analytics.db could not be opened; check-ins work as always.';
  const forIT = `For IT: move the folder analytics.db out of ${dataDir}, then restart the console. The console's log says why.`;
  const check = page.getByTestId('check-stores').locator('.check-reason');
  await expect(check).toHaveText(`${headline}\n${forIT}`);
  const alert = page.getByTestId('alert-stores').locator('.alert-reason');
  await expect(alert).toHaveText(`${headline}\n${forIT}`, { timeout: 15_000 });
  // Two lines as shown, not one paragraph.
  expect(await alert.evaluate((el) => (el as HTMLElement).innerText)).toBe(`${headline}\n${forIT}`);
  // The whole story is kept for IT: the log (stderr here) names the file and what still works.
  expect(host.stderr()).toContain(`console: the analytics database (${join(dataDir, 'analytics.db')}) could not be opened: analytics.db is a folder, not a database file. The console started without it`);
  await page.screenshot({ path: `${SAVED}/health-1366x900.png` });
  await page.getByTestId('alert-stores').screenshot({ path: `${SAVED}/health-alert.png` });
});
