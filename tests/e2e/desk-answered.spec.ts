import { mkdirSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost, freePort } from './host-fixture';
import { setFirstPins, slowBackend, startBackend } from './reference-backend';
import { bridgeCall } from './bridge-client';

// probe-walk14 W19 / W7: a check-in the desk decided itself (the backend answering in 1.5 s or more) kept its
// "Denied … Decided on this PC … will be confirmed" for good, though the backend let the member in; and one the
// backend confirmed still said the backend "could not answer". The verdict follows the backend's answer now.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/desk-answered`;
const TOKEN = 'answered-e2e';
const SIZES = [
  { name: '1366', width: 1366, height: 768 },
  { name: '1024', width: 1024, height: 768 },
];

const stopped = (p: ChildProcess): Promise<void> => new Promise((r) => (p.exitCode !== null ? r() : (p.once('exit', () => r()), p.kill('SIGTERM'))));

async function checkIn(page: Page, who: string): Promise<void> {
  await page.getByLabel('Find a member').fill(who);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^Check in .*\\(${who}\\)$`) }).click();
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.getByTestId('verdict').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SAVED}/${name}-${s.name}.png` });
  }
}

test('a check-in the desk decided itself follows the backend: confirmed, or let in after all (backend restarted empty, then slow)', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(SAVED, { recursive: true });
  const port = await freePort();
  let backend = await startBackend(TOKEN, 1, { simulate: false, port });
  const host = await startWebHost(['--backend', backend.urls.join(','), '--backend-token', TOKEN]);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(host.url);
    await setFirstPins(page);
    const conn = page.locator('section[aria-labelledby="conn-title"]');
    await expect(conn.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 15_000 });
    const verdict = page.getByTestId('verdict');
    const note = page.getByTestId('decided-here');
    // In at the kiosk (a typed member id stands for the card): this PC sees M00006 go in.
    await expect.poll(async () => ((await bridgeCall(host.url, 'desk.checkin', { cardId: 'M00006', source: 'kiosk' }, { role: 'kiosk', pin: '1111' })) as { ok: boolean; value?: { verdict?: { allowed: boolean } } }).value?.verdict?.allowed, { timeout: 15_000 }).toBe(true);

    // Slow: decided here at 1.5 s, then confirmed by the backend's late answer.
    await slowBackend(backend, TOKEN, 4_000);
    await checkIn(page, 'M00004');
    await expect(note).toHaveText('Decided on this PC: the backend could not answer just now. It will be confirmed with the backend when it can.', { timeout: 10_000 });
    await expect(note).toHaveText("Decided on this PC, and confirmed by the gym's system since.", { timeout: 15_000 });
    await expect(verdict).toContainText('Allowed');
    await shoot(page, 'confirmed');

    // The backend restarts empty: this PC still has M00006 inside, the backend does not. Slow again.
    await stopped(backend.process);
    backend = await startBackend(TOKEN, 1, { simulate: false, port });
    await expect(conn.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 30_000 });
    await slowBackend(backend, TOKEN, 4_000);
    await page.setViewportSize({ width: 1366, height: 768 });
    await checkIn(page, 'M00006');
    await expect(verdict).toContainText('Denied: already checked in', { timeout: 10_000 });
    await expect(page.getByRole('button', { name: 'Override and let in' })).toBeVisible();
    await shoot(page, 'decided-denied');

    // The backend let them in: the verdict turns, says so, and the override is no longer offered.
    await page.setViewportSize({ width: 1366, height: 768 });
    await expect(note).toContainText("The gym's system let", { timeout: 15_000 });
    await expect(note).toContainText('in after all: they are checked in, so no override is needed.');
    await expect(verdict).toContainText('Allowed');
    await expect(verdict).not.toContainText('Denied');
    await expect(page.getByRole('button', { name: 'Override and let in' })).toHaveCount(0);
    await expect(page.getByTestId('members').getByRole('button', { name: /is checked in$/ })).toHaveCount(1);
    // The live row carries the difference.
    const flag = page.getByTestId('overruled').first();
    await expect(flag).toContainText("Turned away by the desk while the gym's system was slow or away (already checked in) — the backend says: allowed, and counts them inside. Check with the member.");
    await shoot(page, 'let-in-after-all');
    await flag.scrollIntoViewIfNeeded();
    for (const s of SIZES) {
      await page.setViewportSize({ width: s.width, height: s.height });
      await flag.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SAVED}/live-row-flag-${s.name}.png` });
    }
  } finally {
    host.process.kill('SIGTERM');
    await stopped(backend.process);
  }
});
