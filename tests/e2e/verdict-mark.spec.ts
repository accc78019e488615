import { mkdirSync } from 'node:fs';
import { test, expect, SHOTS, startWebHost, stopWebHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import type { Member } from '../../src/shared/protocol';
import { DEMO_PINS } from '../../src/shared/roles';
import { backendId } from '../../src/shared/backend-text';

// readme21 R6: the desk's verdict led with the member's initials in a big circle, and "Omar Kim" was a big OK on a red
// "Denied: payment overdue" card: a glance read OK. Desk and kiosk verdicts lead with the outcome's mark, never letters.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/verdict-mark`;
const manager = { role: 'manager', pin: DEMO_PINS.manager };

/** Two demo members whose payment is overdue: Omar Kim first if the demo roster has him so. */
async function overdue(url: string): Promise<[Member, Member]> {
  for (let i = 0; i < 100; i++) {
    const found = new Map<string, Member>();
    for (const query of ['Omar Kim', 'Kim', 'a', 'e']) {
      const r = (await bridgeCall(url, 'desk.lookup', { query }, manager)) as { ok: boolean; value?: { members: Member[] } };
      for (const m of r.value?.members ?? []) if (m.status === 'unpaid') found.set(m.id, m);
    }
    const [a, b] = [...found.values()];
    if (a && b) return [a, b];
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('no two demo members with a payment overdue');
}

test('a denial leads with ✕ on the desk and the kiosk, never the member\'s initials', async ({ page }) => {
  mkdirSync(SAVED, { recursive: true });
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    // Another member at the kiosk: the same card again moments later would be the reader's double read.
    const [m, other] = await overdue(host.url);
    const initials = m.name.split(/\s+/).map((w) => w[0]).join('');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(host.url);
    await page.getByLabel('Find a member').fill(m.id);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('button', { name: `Check in ${m.name} (${backendId(m.id)})` }).click();
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toContainText('Denied: payment overdue', { timeout: 10_000 });
    await expect(verdict).toContainText(m.name);
    await expect(page.getByTestId('verdict-mark')).toHaveText('✕');
    await expect(page.getByTestId('verdict-mark')).not.toContainText(initials);
    await verdict.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SAVED}/desk-denied-1366x768.png` });

    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(`${host.url}&kiosk`);
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 15_000 });
    await page.keyboard.type(other.cardId, { delay: 6 });
    await page.keyboard.press('Enter');
    await expect(verdict).toContainText('Not checked in', { timeout: 10_000 });
    await expect(page.getByTestId('verdict-mark')).toHaveText('✕');
    await page.screenshot({ path: `${SAVED}/kiosk-denied-1080x1920.png` });
  } finally {
    await stopWebHost(host);
  }
});
