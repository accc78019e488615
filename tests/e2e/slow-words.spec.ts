import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, startWebHost, stopWebHost, type RunningHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';
import { setFirstPins, startBackend } from './reference-backend';

// Walkthrough 14b B1: with a slow backend every socket's state read "open · out of rotation (slow to answer, still
// used if nothing faster is open)" on one line: the Pools table grew to 1261 px in a 916 px box, Why was cut
// mid-word and the last columns needed sideways scrolling. B3: Overview's Backend card said only "Degraded".
// Its own demo gym: every instance is slowed here, which no other test should see.
let host: RunningHost;
test.beforeAll(async () => {
  host = await startWebHost(['--demo']);
});
test.afterAll(async () => {
  await stopWebHost(host);
});

const SHOTS = process.env.SLOW_WORDS_SHOTS;
const SIZES = [1366, 1024] as const;

/** How far each sockets table runs past the box that holds it, in px (0: it fits). */
const overflow = (page: Page): Promise<number[]> =>
  page.locator('.table-scroll').evaluateAll((boxes) => boxes.map((b) => b.scrollWidth - b.clientWidth));

test('a slow backend: the Pools table fits at 1366 and 1024, and Overview says how slow', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await expect(page.getByTestId('health-pill')).toContainText('All systems OK', { timeout: 20_000 });
  const manager = { role: 'manager', pin: DEMO_PINS.manager };
  for (const instance of [0, 1, 2]) expect((await bridgeCall(host.url, 'demo.fault', { instance, action: 'delay', value: 1_500 }, manager)).ok).toBe(true);
  await expect(page.getByTestId('health-pill')).toHaveText('Health: Slow backend', { timeout: 40_000 });

  // Overview: the reason in words, the reply time as everywhere else.
  const slow = page.getByTestId('connection-slow');
  await expect(slow).toHaveText(/^Slow: the gym's system takes about 1\.\d s a reply\. Check-ins still work; nothing to do at the desk\.$/, { timeout: 30_000 });
  await expect(page.getByTestId('conn-endpoints')).toContainText(/\d\.\d s/);
  await expect(page.getByTestId('conn-endpoints')).not.toContainText(/\d{4} ms/);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    for (const w of SIZES) {
      await page.setViewportSize({ width: w, height: 768 });
      await page.screenshot({ path: `${SHOTS}/overview-slow-${w}.png` });
    }
  }

  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  const row = page.getByTestId('socket-row').first();
  await expect(row).toContainText('out of rotation: slow to answer', { timeout: 30_000 });
  for (const w of SIZES) {
    await page.setViewportSize({ width: w, height: 768 });
    await expect.poll(() => overflow(page), { message: `sockets table at ${w} px` }).toEqual((await overflow(page)).map(() => 0));
    if (SHOTS) {
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/pools-slow-${w}.png` });
    }
  }
});

// Walkthrough 14b I1: with the token refused, each address read "down · next try in 25 s" beside "Try now – If the
// backend is back…": waiting cannot mend a wrong token.
test('a refused token: the Backend card says what IT must fix, with no countdown and no "Try now" as if waiting helped', async ({ page }) => {
  test.setTimeout(90_000);
  const backend = await startBackend('right-token', 2, { simulate: false });
  const own = await startWebHost(['--backend', backend.urls.join(','), '--backend-token', 'wrong-token']);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(own.url);
    await setFirstPins(page);
    const rows = page.getByTestId('conn-endpoints').locator('li');
    await expect(rows.filter({ hasText: 'down' }).getByTestId('needs-fix')).toHaveText(Array(2).fill("the backend refused this PC's token: a manager must enter the right one under Backend connection"), { timeout: 30_000 });
    await expect(page.getByTestId('conn-endpoints')).not.toContainText('next try');
    await expect(page.getByRole('button', { name: 'Try now' })).toHaveCount(0);
    await expect(page.getByTestId('connection-try-now')).toContainText('Waiting will not help');
    // The sentence wraps inside the card at either width.
    for (const w of SIZES) {
      await page.setViewportSize({ width: w, height: 768 });
      const card = await page.locator('section[aria-labelledby="conn-title"]').boundingBox();
      for (const fix of await page.getByTestId('needs-fix').all()) {
        const b = (await fix.boundingBox())!;
        expect(b.x + b.width, `what IT must fix, at ${w} px`).toBeLessThanOrEqual(card!.x + card!.width);
      }
    }
    if (SHOTS) {
      for (const w of SIZES) {
        await page.setViewportSize({ width: w, height: 768 });
        await page.screenshot({ path: `${SHOTS}/overview-token-refused-${w}.png` });
      }
    }
  } finally {
    await stopWebHost(own);
    backend.process.kill('SIGTERM');
  }
});
