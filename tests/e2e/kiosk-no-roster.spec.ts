import { expect, test, freePort, startWebHost, stopWebHost, SHOTS } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { startBackend } from './reference-backend';
import { DEMO_PINS } from '../../src/shared/roles';

// readme29 K2: a kiosk PC that had never reached the gym's system (a wrong port at setup) showed "Welcome! Scan your
// card" and told every member, paying ones too, "Card not recognised": it had no copy of the members list to judge by.
test('a kiosk PC that never reached the gym system sends members to the desk, and takes scans once it answers', async ({ page }) => {
  test.setTimeout(90_000);
  const token = 'no-roster-token';
  const port = await freePort();
  const args = ['--backend', `ws://127.0.0.1:${port}`, '--backend-token', token];
  let host = await startWebHost(args);
  let backend: Awaited<ReturnType<typeof startBackend>> | null = null;
  try {
    expect(await bridgeCall(host.url, 'auth.setup', { desk: DEMO_PINS.desk, manager: DEMO_PINS.manager, kiosk: DEMO_PINS.kiosk })).toMatchObject({ ok: true });
    await stopWebHost(host);
    host = await startWebHost(['--kiosk', ...args], host.dataDir);
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'This station is not working right now' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText('Please check in at the front desk.')).toBeVisible();
    await expect(page.getByText("has never reached it since it was set up, so it has no copy of the members list")).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/kiosk-no-roster.png` });

    // The gym's system answers: the roster comes, and the station takes scans.
    backend = await startBackend(token, 1, { port, simulate: false });
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 30_000 });
  } finally {
    await stopWebHost(host);
    backend?.process.kill();
  }
});
