import { test, expect, shots, startWebHost, stopWebHost, type RunningHost } from './host-fixture';
import { setFirstPins } from './reference-backend';
import { startHostileBackend, type HostileBackend } from '../helpers/hostile-backend';
import { startBalancer, type Balancer } from '../helpers/balancer';

// probe-hostile18 F3: a backend program stuck behind a WebSocket layer that still answers pings (a Go or Java server
// deadlocked in its handler) was shown as "All 2 backend instances answer" and its sockets as healthy, for good.

let hb: HostileBackend | null = null;
let host: RunningHost | null = null;
let lb: Balancer | null = null;
test.afterEach(async () => {
  if (host) await stopWebHost(host);
  await lb?.close();
  await hb?.close();
  hb = host = lb = null;
});

test('a backend instance whose program is stuck is named on Overview, Health and Connection Pools', async ({ page }) => {
  test.setTimeout(90_000);
  hb = await startHostileBackend({ instances: 2 });
  hb.freezeApp(0, true); // welcomes each socket, then its program answers nothing; its WebSocket still answers pings
  host = await startWebHost(['--backend', hb.urls.join(','), '--backend-token', hb.token]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await setFirstPins(page);
  // Named by its address: with two, IT must know which to restart.
  const stuck = `At ${new URL(hb.urls[0]!).host}, the backend takes the console's connection, but the backend program itself answered nothing for more than 10 seconds: it may be stuck.`;
  // Found within its deadline (10 s) and the beat that judges it.
  await expect(page.getByTestId('connection-cause')).toContainText(stuck, { timeout: 25_000 });
  await expect(page.getByTestId('connection-cause')).toContainText("Ask the gym's IT to restart the backend.");
  await expect(page.getByTestId('conn-endpoints')).toContainText('connected · program not answering');
  await expect(page.getByTestId('connection-degraded')).toHaveText('1 of 2 backend instances answer; check-ins still work.');
  await shots(page, 'frozen-app-overview');
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page.locator('.check-reason', { hasText: `1 of 2 backend instances answer; check-ins still work. ${stuck}` })).toBeVisible();
  await shots(page, 'frozen-app-health');
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  await expect(page.getByText('out of rotation: program not answering').first()).toBeVisible({ timeout: 15_000 });
  await shots(page, 'frozen-app-pools');
});

// review19 M1: behind a load balancer one address reaches two programs; the stuck one is named, its sibling works on.
test('a stuck instance behind a load balancer is named on Overview and Health while its sibling takes check-ins', async ({ page }) => {
  test.setTimeout(90_000);
  hb = await startHostileBackend({ instances: 2 });
  hb.freezeApp(0, true);
  lb = await startBalancer(hb.urls);
  host = await startWebHost(['--backend', lb.url, '--backend-token', hb.token]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await setFirstPins(page);
  const named = `Instance "hostile-0" behind ${new URL(lb.url).host} takes the console's connection but answered nothing for more than 10 seconds: it may be stuck. Check-ins go through the others at that address.`;
  await expect(page.getByTestId('connection-cause')).toContainText(named, { timeout: 25_000 });
  await expect(page.getByTestId('connection-cause')).toContainText('Ask the gym\'s IT to restart instance "hostile-0" only.');
  await expect(page.getByTestId('conn-endpoints')).toContainText('connected · an instance not answering');
  await expect(page.getByTestId('connection-degraded')).toHaveCount(0);
  await shots(page, 'frozen-app-balancer-overview');
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page.getByTestId('check-backend')).toContainText(named);
  await shots(page, 'frozen-app-balancer-health');
});

// probe-hostile19 G1: a backend whose snapshot alone fails keeps its sockets; Health says the live list cannot start.
test("a backend whose snapshot fails is told on Health: its picture could not be had, 'try after try'", async ({ page }) => {
  test.setTimeout(60_000);
  hb = await startHostileBackend({ instances: 1 });
  hb.setAttack(0, 'snapshot-fails');
  host = await startWebHost(['--backend', hb.urls.join(','), '--backend-token', hb.token]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await setFirstPins(page);
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page.getByTestId('check-feed')).toContainText("The gym's system answers, but could not send its picture of who is in, try after try", { timeout: 20_000 });
  await expect(page.getByTestId('check-backend')).toContainText('The backend answers.');
  await shots(page, 'snapshot-fails-health');
});
