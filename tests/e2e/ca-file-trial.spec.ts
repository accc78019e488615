import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, SHOTS, shots } from './host-fixture';
import { hostileRig, signInAs } from './hostile-host';
import { hasOpenssl, makeTestCa } from '../helpers/test-ca';

// The line said under the CA file box once a CA file is saved on a wss:// pool (ca-file-trial.ts): the file is
// tried at once on one address, so a wrong one is found now, not at the next reconnect hours later.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/ca-file-trial`;
/** Said for another authority's file: which file it must be, and that working connections are kept. */
const NOT_TRUSTED =
  "Saved, but the backend's certificate is not signed by the authority in this file, so it is still not trusted. Check that this is the gym's own CA certificate, the one that signed the backend's certificate (the gym's IT has it). Connections already open stay open until they drop; new ones will fail until the file is right.";
const rig = hostileRig();

test('a CA file saved on a wss:// pool says at once whether the backend is trusted with it', async ({ page }) => {
  test.skip(!hasOpenssl(), 'needs openssl to make a test CA');
  test.setTimeout(90_000);
  mkdirSync(SAVED, { recursive: true });
  const ca = makeTestCa();
  try {
    await rig.openConsole(page, { instances: 1, tls: { key: ca.key, cert: ca.cert } });
    await signInAs(page, 'manager');
    await page.getByRole('tab', { name: 'Connection Pools' }).click();

    const pool = page.getByTestId('pool-gym');
    const box = page.getByLabel('CA file of pool gym');
    const trial = page.getByTestId('pool-gym-ca-trial');
    // Another CA's certificate (a real one, not the backend's): saved, and said not trusted, with why and what happens now.
    const wrong = join(ca.dir, 'other-ca.pem');
    writeFileSync(wrong, readFileSync(join(import.meta.dirname, '../fixtures/tls/gym-test-ca.pem')));
    await box.fill(wrong);
    await page.getByRole('button', { name: 'Save CA file' }).click();
    await expect(trial).toHaveText(NOT_TRUSTED, { timeout: 15_000 });
    await pool.locator('.ca-file-form').scrollIntoViewIfNeeded();
    await pool.screenshot({ path: `${SAVED}/not-trusted.png` });

    // The gym's own CA: trusted.
    await box.fill(ca.caFile);
    await page.getByRole('button', { name: 'Save CA file' }).click();
    await expect(trial).toHaveText("Saved. The backend's certificate is trusted with this file.", { timeout: 15_000 });
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 20_000 });
    await pool.locator('.ca-file-form').scrollIntoViewIfNeeded();
    await pool.screenshot({ path: `${SAVED}/trusted.png` });
  } finally {
    rmSync(ca.dir, { recursive: true, force: true });
  }
});

// A renewal forgotten: IT reads on Health, two weeks ahead, which address's certificate runs out and when.
test("a backend certificate running out within two weeks is told on Health", async ({ page }) => {
  test.skip(!hasOpenssl(), 'needs openssl to make a test CA');
  test.setTimeout(90_000);
  const ca = makeTestCa(undefined, 5, 85);
  try {
    await rig.openConsole(page, { instances: 1, tls: { key: ca.key, cert: ca.cert } });
    await signInAs(page, 'manager');
    await page.getByRole('tab', { name: 'Connection Pools' }).click();
    await page.getByLabel('CA file of pool gym').fill(ca.caFile);
    await page.getByRole('button', { name: 'Save CA file' }).click();
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(page.getByTestId('check-backend')).toContainText(/The backend's certificate at 127\.0\.0\.1:\d+ runs out on \d{1,2} \w{3} \d{4}, in 5 days: after that this PC cannot connect to it\. Ask the gym's IT to renew it before then\./, { timeout: 15_000 });
    await shots(page, 'certificate-runs-out-health');
  } finally {
    rmSync(ca.dir, { recursive: true, force: true });
  }
});
