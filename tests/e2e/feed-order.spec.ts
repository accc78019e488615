import { test, expect, SHOTS, startWebHost, stopWebHost } from './host-fixture';
import { activeMembers, bridgeCall } from './bridge-client';
import { setFirstPins, startBackend } from './reference-backend';
import WebSocket from 'ws';
import type { Member } from '../../src/shared/protocol';

// probe-walk15 #2: the list is by when check-ins reached the backend, its time column the scan's. A check-in that
// waited sits above rows scanned after it, and the list must say why, or the desk reads it as out of time order.
test('Live check-ins: a check-in that waited, listed above later scans, comes with a line saying the list is by arrival', async ({ page }) => {
  test.setTimeout(60_000);
  const token = 'order-token';
  const backend = await startBackend(token, 1, { simulate: false });
  const host = await startWebHost(['--backend', backend.urls[0]!, '--backend-token', token]);
  try {
    await page.goto(host.url);
    await setFirstPins(page);
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 10_000 });
    const desk = { role: 'desk', pin: '4321' };
    const active = await activeMembers(host.url, desk, 2);
    const [first, waited] = active as [Member, Member];
    expect(await bridgeCall(host.url, 'desk.checkin', { cardId: first.cardId, source: 'desk' }, desk)).toMatchObject({ ok: true, value: { verdict: { allowed: true } } });
    await expect(page.getByTestId('checkin-rows').locator('tr')).toHaveCount(1);
    await expect(page.getByTestId('feed-order-note')).toHaveCount(0);
    // Another PC's check-in scanned 70 s ago, kept while the backend was away, reaching it now.
    const kiosk = new WebSocket(backend.urls[0]!);
    const welcomed = new Promise<void>((resolve) => kiosk.on('message', (d) => JSON.parse(String(d)).t === 'welcome' && resolve()));
    await new Promise((resolve) => kiosk.once('open', resolve));
    kiosk.send(JSON.stringify({ t: 'hello', versions: [2], token, client: 'kiosk-pc' }));
    await welcomed;
    kiosk.send(JSON.stringify({ t: 'req', id: 'k1', op: 'checkin', body: { cardId: waited.cardId, source: 'kiosk', scannedAt: Date.now() - 70_000 } }));
    const rows = page.getByTestId('checkin-rows').locator('tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText(waited.name);
    await expect(rows.first()).toContainText('reached the backend at');
    await expect(page.getByTestId('feed-order-note')).toHaveText(/^Newest to reach the backend first: a check-in that waited while the backend was away is listed when it got there, above ones scanned after it\.$/);
    await page.locator('section.feed').screenshot({ path: `${SHOTS}/feed-order-note.png` });
    // Two inside of the reference backend's 250 (probe-walk15 #5): not "0%" beside a count and bar that are not empty.
    await expect(page.getByTestId('occupancy')).toContainText('2');
    await expect(page.getByTestId('occupancy-note')).toHaveText("under 1% of the backend's capacity");
    await expect(page.getByRole('meter', { name: 'Occupancy' }).locator('div')).toHaveAttribute('style', 'width: 1%;');
    await page.getByRole('region', { name: 'Occupancy' }).screenshot({ path: `${SHOTS}/occupancy-under-1.png` });
    kiosk.close();
  } finally {
    await stopWebHost(host);
    backend.process.kill('SIGTERM');
  }
});
