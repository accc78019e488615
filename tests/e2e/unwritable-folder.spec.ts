import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { test, expect, SHOTS } from './host-fixture';
import { hostileRig, signInAs } from './hostile-host';

// Health's stores warning when the console's data folder can no longer be written while it runs (disk-words.ts
// folderUnwritableWords): SQLite writes on through its open files, so only this says the next start would fail.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/unwritable-folder`;
const rig = hostileRig();

/**
 * Makes `dir` refuse new files; returns the undo, or null where this machine cannot. Root is not stopped by
 * chmod, so it marks the folder immutable instead.
 */
function freeze(dir: string): (() => void) | null {
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    return () => chmodSync(dir, 0o755);
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'pipe' });
    return () => execFileSync('chattr', ['-i', dir], { stdio: 'pipe' });
  } catch {
    return null;
  }
}

test("a data folder made read-only while the console runs: Health's stores check says so, in IT's words", async ({ page }) => {
  test.setTimeout(150_000);
  mkdirSync(SAVED, { recursive: true });
  const host = await rig.openConsole(page, { instances: 1 });
  await signInAs(page, 'manager');
  await page.getByRole('tab', { name: 'Health' }).click();
  const stores = page.getByTestId('check-stores');
  await expect(stores).toContainText('Saving works');

  const undo = freeze(host.dataDir);
  test.skip(!undo, 'this machine cannot make a folder read-only for this user');
  try {
    // Probed once a minute.
    await expect(stores.locator('.check-reason')).toHaveText(unwritableWords(host.dataDir), { timeout: 90_000 });
    await stores.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SAVED}/health.png` });
    await stores.screenshot({ path: `${SAVED}/health-check.png` });
  } finally {
    undo?.();
  }
});

const unwritableWords = (dir: string): string =>
  `The console's data folder ${dir} can no longer be written. The console keeps working for now, but it will not start again until the folder is writable: tell the gym's IT to make this folder writable again. Do not start the console on another folder, or it starts without this PC's PINs and settings.`;
