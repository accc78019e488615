import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, expect, SHOTS } from './host-fixture';
import { hostileRig, PINS } from './hostile-host';

// The words the sign-in screen shows when console.db is damaged while the console runs (dispatch's db-damaged):
// a bad sector met only now, after the start's check passed.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/db-damaged`;
const rig = hostileRig();

/**
 * The settings table's pages (the PINs) overwritten in console.db, as a bad sector would, while the console has it
 * open; then one write of the header from here, so the console's cached pages are dropped and the damage is met.
 */
function damageSettings(file: string): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const size = db.pragma('page_size', { simple: true }) as number;
  const pages = (db.prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'settings'").all() as { rootpage: number }[]).map((r) => r.rootpage);
  db.close();
  const fd = openSync(file, 'r+');
  for (const p of pages) writeSync(fd, Buffer.alloc(size, 0xff), 0, size, (p - 1) * size);
  closeSync(fd);
  const touch = new Database(file);
  touch.pragma('user_version = 7');
  touch.close();
}

test("console.db damaged while running: the sign-in screen says what happened and what IT does", async ({ page }) => {
  test.setTimeout(60_000);
  mkdirSync(SAVED, { recursive: true });
  const host = await rig.openConsole(page, { instances: 1 }, { width: 1366, height: 768 });

  // A wrong PIN is the typist's: its box is marked so.
  const pin = page.getByLabel('PIN', { exact: true });
  await page.getByRole('radio', { name: 'front desk' }).check();
  await pin.fill('0000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong PIN.' })).toBeVisible();
  await expect(pin).toHaveAttribute('aria-invalid', 'true');

  damageSettings(join(host.dataDir, 'console.db'));
  await pin.fill(PINS.desk);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const said = page.getByRole('alert').filter({ hasText: 'database' });
  await expect(said).toHaveText(DAMAGED_WORDS);
  // Not the PIN's fault: its box is not marked wrong (staff would type it again and again).
  await expect(pin).not.toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `${SAVED}/sign-in.png` });
});

const DAMAGED_WORDS = "The console's database file is damaged: part of it cannot be read (a bad disk sector, or a copy taken while the console was using it), so nothing was done, and trying again will not help. Tell the gym's IT: restart the console; at start it checks its files and says which one is damaged and what to do. The details are in logs/console.log in the console's data folder.";
