import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost, stopWebHost } from './host-fixture';
import { hostileRig, setUpDesk, type WireMember } from './hostile-host';
import { bridgeCall } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';

// readme21 R2: the desk's header says "DEMO GYM · simulated data", but a kiosk screen on the demo (the web host's
// address with &kiosk) said nothing of it: someone trying a kiosk PC on the demo could take it for a live site.
// Every kiosk screen on the demo says so in its corner; a live gym's never does.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/kiosk-demo-mark`;
const CARD = '4000200021';
const MEMBERS: WireMember[] = [{ id: 'M00021', cardId: CARD, name: 'Lena Berg', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' }];

const rig = hostileRig();

/** The two boxes share no pixel. */
async function apart(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = [await a.boundingBox(), await b.boundingBox()];
  return !!x && !!y && (x.x + x.width <= y.x || y.x + y.width <= x.x || x.y + x.height <= y.y || y.y + y.height <= x.y);
}

async function scanCard(page: Page, card: string): Promise<void> {
  await page.keyboard.type(card, { delay: 6 });
  await page.keyboard.press('Enter');
}

test('a kiosk screen on the demo gym says DEMO GYM in its corner: at the scan prompt and beside a verdict', async ({ page }) => {
  mkdirSync(SAVED, { recursive: true });
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    // A verdict held 30 s, so it is still up for each window size looked at.
    expect(await bridgeCall(host.url, 'desk.configure', { verdictSeconds: 30 }, { role: 'manager', pin: DEMO_PINS.manager })).toMatchObject({ ok: true });
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(`${host.url}&kiosk`);
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 15_000 });
    const mark = page.getByTestId('demo-badge');
    await expect(mark).toHaveText('DEMO GYM · simulated data');
    await expect(mark).toBeInViewport();
    await expect(page.getByRole('complementary', { name: 'Demo gym' })).toBeVisible();
    await page.screenshot({ path: `${SAVED}/demo-prompt-1080x1920.png` });

    await scanCard(page, '4999999999');
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toBeVisible({ timeout: 10_000 });
    await expect(mark).toBeInViewport();
    expect(await apart(mark, verdict), 'the demo mark sits over the verdict').toBe(true);
    await page.screenshot({ path: `${SAVED}/demo-verdict-1080x1920.png` });
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await apart(mark, verdict), 'the demo mark sits over the verdict').toBe(true);
    await page.screenshot({ path: `${SAVED}/demo-verdict-1280x720.png` });
  } finally {
    await stopWebHost(host);
  }
});

test('a kiosk on a live gym shows no demo mark, at the scan prompt or beside a verdict', async ({ page }) => {
  mkdirSync(SAVED, { recursive: true });
  await rig.start({ instances: 1, members: MEMBERS });
  const desk = await rig.host();
  await setUpDesk(desk.url);
  await stopWebHost(desk);
  const kiosk = await rig.host(['--kiosk'], desk.dataDir);
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 15_000 });
  // The console's state has come (the link dot says connected): what it says of the demo is known.
  await expect(page.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('demo-badge')).toHaveCount(0);
  await expect(page.getByText(/DEMO/)).toHaveCount(0);
  await scanCard(page, CARD);
  await expect(page.getByTestId('verdict')).toContainText('Lena', { timeout: 10_000 });
  await expect(page.getByTestId('demo-badge')).toHaveCount(0);
  await page.screenshot({ path: `${SAVED}/live-verdict-1080x1920.png` });
});

test('a kiosk station started on the demo (--kiosk, signed in as the kiosk) says DEMO GYM at its prompt too', async ({ page }) => {
  mkdirSync(SAVED, { recursive: true });
  const host = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('demo-badge')).toHaveText('DEMO GYM · simulated data');
    await page.screenshot({ path: `${SAVED}/demo-station-prompt-1080x1920.png` });
  } finally {
    await stopWebHost(host);
  }
});
