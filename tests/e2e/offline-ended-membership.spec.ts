import { mkdirSync } from 'node:fs';
import { test, expect, SHOTS, stopWebHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { setFirstPins } from './reference-backend';
import { hostileRig, PINS, type WireMember } from './hostile-host';

// probe-time16b #1: offline, a membership whose last day had passed since the last roster sync was let in as
// "expires soon", the kiosk telling the member "Membership ends on <a day gone by>". Now it is expired as of today
// on the gym's calendar: turned away under the default offline policy, let in only by one that allows expired,
// and its date is said "ended on".

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/offline-ended-membership`;
const DAY = 86_400_000;
// Two days back on UTC's calendar: before today on any gym's (this host's zone is the default Time zone).
const ENDED = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
const [y, m, d] = ENDED.split('-').map(Number);
const SAID = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(y!, m! - 1, d!));
const UMAR: WireMember = { id: 'M00021', cardId: '4007749946', name: 'Umar Okafor', phone: '555-0121', status: 'expiring', expiresOn: ENDED };
// "active" at the last sync, its last day since passed too (let in at the kiosk: Umar is inside by then).
const VERA: WireMember = { id: 'M00022', cardId: '4000000022', name: 'Vera Varga', phone: '555-0122', status: 'active', expiresOn: ENDED };
const manager = { role: 'manager' as const, pin: PINS.manager };
const rig = hostileRig();

test('offline, a membership whose last day has passed is expired: denied at the desk by default, "ended on" at the desk and the kiosk when the policy lets expired in', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(SAVED, { recursive: true });
  await rig.start({ instances: 1, members: [UMAR, VERA] });
  const desk = await rig.host();
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(desk.url);
  await setFirstPins(page);
  await expect.poll(async () => ((await bridgeCall(desk.url, 'desk.settings', undefined, manager)) as { ok: boolean; value?: { rosterSize: number } }).value?.rosterSize, { timeout: 15_000 }).toBe(2);
  await bridgeCall(desk.url, 'desk.configure', { verdictSeconds: 30 }, manager);

  // The backend goes away (overnight): the desk decides from its copy, which still says "expires soon".
  await rig.closeBackend();
  await expect(page.locator('section[aria-labelledby="conn-title"]').getByRole('status', { name: 'Backend connection: Offline' })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Find a member').fill('Umar');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  const row = page.getByTestId('members').locator('li').first();
  await expect(row).toContainText(`ended ${SAID}`);
  await expect(row).toContainText('expired');
  await page.getByRole('button', { name: /^Check in Umar/ }).click();
  const banner = page.getByTestId('verdict');
  await expect(banner).toContainText('Denied: membership expired');
  await expect(banner).toContainText(`Membership ended on ${SAID}`);
  await expect(banner).not.toContainText('ends on');
  await expect(page.getByTestId('decided-here')).toContainText('Decided on this PC');
  await banner.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SAVED}/desk-denied.png` });

  // A policy that lets expired members in while offline: let in, and still "ended on".
  expect(await bridgeCall(desk.url, 'desk.configure', { offlinePolicy: { allowStatuses: ['active', 'expiring', 'expired'], unknownCard: 'deny' } }, manager)).toMatchObject({ ok: true });
  await page.waitForTimeout(2_100); // past the 2 s bounce for this card
  await page.getByRole('button', { name: /^Check in Umar/ }).click();
  await expect(banner).toContainText('Allowed');
  await expect(banner).toContainText(`Membership ended on ${SAID}`);
  await banner.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SAVED}/desk-allowed-by-policy.png` });
  await stopWebHost(desk);

  // The kiosk PC on the same copy, the backend still away: Umar is inside (let in above), Vera scans.
  const kiosk = await rig.host(['--kiosk'], desk.dataDir);
  await page.setViewportSize({ width: 1080, height: 1600 });
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 15_000 });
  await page.keyboard.type(VERA.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('Vera', { timeout: 10_000 });
  await expect(verdict).toContainText('Allowed');
  await expect(verdict).toContainText(`Membership ended on ${SAID}`);
  await expect(verdict).not.toContainText('ends on');
  await page.screenshot({ path: `${SAVED}/kiosk-allowed-by-policy.png` });
});
