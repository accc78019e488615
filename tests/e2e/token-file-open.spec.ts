import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, SHOTS, startWebHost, stopWebHost } from './host-fixture';
import { hostileRig, setUpDesk, signInAs } from './hostile-host';

// A backend-token file other users of this PC can read (0644) was used without a word. Like ssh with a private key,
// the console says so, with the chmod to run, on Health and on the Backend connection card; and keeps using it.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/token-file-open`;
const rig = hostileRig();

test('a token file others can read: Health and the Backend card say so with the chmod, and the gym stays connected', async ({ page }) => {
  test.skip(process.platform === 'win32', 'Windows keeps no such mode bits');
  test.setTimeout(90_000);
  mkdirSync(SAVED, { recursive: true });
  await rig.start({ instances: 1 });
  const first = await rig.host();
  await setUpDesk(first.url);
  await stopWebHost(first);
  const file = join(first.dataDir, 'backend-token');
  chmodSync(file, 0o644);
  // Started as later runs are, with no token flag (one given would be saved again, 0600): the saved token is used.
  const host = await startWebHost([], first.dataDir);
  try {
    const words = `The backend token file ${file} can be read by other users of this PC (mode 0644), so anyone who can sign in here could copy the gym's backend token. The console keeps using it. To fix it, run: chmod 600 ${file}`;
    await expect.poll(() => host.stderr()).toContain(`console: the${words.slice(3)}`);

    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(host.url);
    await signInAs(page, 'manager');
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 15_000 });
    await page.getByRole('tab', { name: 'Health' }).click();
    const check = page.getByTestId('check-backend');
    await expect(check.locator('.check-reason')).toContainText(words, { timeout: 15_000 });
    await check.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SAVED}/health-1366x900.png` });

    await page.getByRole('tab', { name: 'Connection Pools' }).click();
    const card = page.getByTestId('backend-connection');
    await expect(card.getByTestId('token-open-to-others')).toHaveText(words);
    await expect(card).not.toContainText('readable only by this user');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SAVED}/backend-card-1366x900.png` });
  } finally {
    await stopWebHost(host);
  }
});
