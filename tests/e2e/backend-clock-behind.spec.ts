import { test, expect, SHOTS, startWebHost, stopWebHost } from './host-fixture';
import { activeMembers, bridgeCall } from './bridge-client';
import { setFirstPins, startBackend } from './reference-backend';

// probe24 P2: a backend host booted days behind (no real-time clock, a VM restored from a snapshot) dated a check-in
// made a moment ago at this desk three days ago, with "reached the backend late, after later scans" under it.
test('Live check-ins: a backend clock days behind dates a check-in made now at now, and says what its clock said', async ({ page }) => {
  test.setTimeout(60_000);
  const token = 'behind-token';
  const backend = await startBackend(token, 1, { simulate: false, clockOffsetMs: -3 * 86_400_000 });
  const host = await startWebHost(['--backend', backend.urls[0]!, '--backend-token', token]);
  try {
    await page.goto(host.url);
    await setFirstPins(page);
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 10_000 });
    const desk = { role: 'desk', pin: '4321' };
    const active = await activeMembers(host.url, desk, 3);
    const before = Date.now();
    for (const m of active.slice(0, 3)) {
      expect(await bridgeCall(host.url, 'desk.checkin', { cardId: m.cardId, source: 'desk' }, desk)).toMatchObject({ ok: true, value: { verdict: { allowed: true } } });
    }
    const rows = page.getByTestId('checkin-rows').locator('tr');
    await expect(rows).toHaveCount(3);
    for (const ts of await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-ts'))))) {
      expect(ts).toBeGreaterThanOrEqual(before - 1_000);
      expect(ts).toBeLessThanOrEqual(Date.now());
    }
    await expect(rows.first().getByTestId('clock-said')).toHaveText(/^the backend stamped \w{3} \d/);
    await expect(page.getByTestId('arrived-late')).toHaveCount(0);
    await expect(page.getByTestId('feed-order-note')).toHaveCount(0);
    await page.locator('section.feed').screenshot({ path: `${SHOTS}/feed-backend-clock-behind.png` });
  } finally {
    await stopWebHost(host);
    backend.process.kill('SIGTERM');
  }
});
