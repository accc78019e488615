import WebSocket from 'ws';
import { test, expect, startWebHost, SHOTS } from './host-fixture';
import type { BridgeFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';

// probe-hostile18 F2: a program holding the page address asked for check-ins as fast as the console answered.

/** One connection with the page token (a kiosk screen to the console) sending `n` made-up cards as fast as it may. */
async function flood(pageUrl: string, n: number, tag: number): Promise<Result<unknown>[]> {
  const u = new URL(pageUrl);
  const ws = new WebSocket(`ws://${u.host}/bridge?token=${new URLSearchParams(u.hash.slice(1)).get('token')}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const replies = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as BridgeFrame;
    if ('id' in f) replies.get(f.id)?.(f.result);
  });
  const call = (i: number) => new Promise<Result<unknown>>((resolve) => (replies.set(i + 1, resolve), ws.send(JSON.stringify({ id: i + 1, name: 'desk.checkin', payload: { cardId: `9${tag}${String(i).padStart(7, '0')}`, source: 'kiosk' } }))));
  const all: Result<unknown>[] = [];
  // 25 at a time: the bridge closes a connection with more than 32 calls unanswered.
  for (let at = 0; at < n; at += 25) all.push(...(await Promise.all(Array.from({ length: Math.min(25, n - at) }, (_, i) => call(at + i)))));
  ws.close();
  return all;
}

test('kiosk: while a program floods the console with scans, a member at the kiosk is told in words to wait and scan again', async ({ page }) => {
  const host = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
    // New connections over and over, 4 at a time, each a fresh screen: only the console's ceiling holds them.
    let flooding = true;
    const replies: Result<unknown>[] = [];
    const floods = Promise.all([1, 2, 3, 4].map(async (tag) => {
      while (flooding) replies.push(...(await flood(host.url, 50, tag)));
    }));
    await expect.poll(() => replies.filter((r) => !r.ok && r.error.code === 'too-many-scans').length).toBeGreaterThan(100);
    await page.keyboard.type('4000000001', { delay: 6 });
    await page.keyboard.press('Enter');
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toContainText('Check-in could not be taken');
    await expect(verdict).toContainText("Too many scans at once across this console's stations");
    await page.screenshot({ path: `${SHOTS}/kiosk-too-many-scans.png` });
    flooding = false;
    await floods;
    // The console's ceiling let through a few a second at most, not hundreds.
    expect(replies.filter((r) => r.ok).length).toBeLessThan(replies.length / 4);
  } finally {
    host.process.kill('SIGTERM');
  }
});
