import WebSocket from 'ws';
import { test, expect, startWebHost, SHOTS } from './host-fixture';
import type { BridgeFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';
import type { Member } from '../../src/shared/protocol';
import { DEMO_PINS } from '../../src/shared/roles';
import { bridgeCall } from './bridge-client';

// probe-hostile18 F2: a program holding the page address asked for check-ins as fast as the console answered.

let made = 0;
/** One connection with the page token (a kiosk screen to the console) sending `n` made-up cards, never the same one twice, as fast as it may. */
async function flood(pageUrl: string, n: number): Promise<Result<unknown>[]> {
  const u = new URL(pageUrl);
  const ws = new WebSocket(`ws://${u.host}/bridge?token=${new URLSearchParams(u.hash.slice(1)).get('token')}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const replies = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as BridgeFrame;
    if ('id' in f) replies.get(f.id)?.(f.result);
  });
  const call = (i: number) => new Promise<Result<unknown>>((resolve) => (replies.set(i + 1, resolve), ws.send(JSON.stringify({ id: i + 1, name: 'desk.checkin', payload: { cardId: `9${String(++made).padStart(9, '0')}`, source: 'kiosk' } }))));
  const all: Result<unknown>[] = [];
  // 25 at a time: the bridge closes a connection with more than 32 calls unanswered.
  for (let at = 0; at < n; at += 25) all.push(...(await Promise.all(Array.from({ length: Math.min(25, n - at) }, (_, i) => call(at + i)))));
  ws.close();
  return all;
}

test('kiosk: while a program floods the console with made-up cards from fresh connections, a member at the kiosk is let in', async ({ page }) => {
  const host = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
    // A member the console's roster copy holds (synced from the demo gym once it connects).
    const manager = { role: 'manager', pin: DEMO_PINS.manager };
    const synced = async () => {
      const r = await bridgeCall(host.url, 'desk.settings', undefined, manager);
      return r.ok ? (r.value as { rosterSize: number }).rosterSize : 0;
    };
    await expect.poll(synced, { timeout: 15_000 }).toBeGreaterThan(0);
    const lookup = await bridgeCall(host.url, 'desk.lookup', { query: 'a' }, manager);
    const member = (lookup.ok ? (lookup.value as { members: Member[] }).members : []).find((m) => m.status === 'active')!;
    // New connections over and over, 8 at a time, each a fresh screen (3 scans at once): only the console's ceiling on unknown cards holds them.
    let flooding = true;
    const replies: Result<unknown>[] = [];
    const floods = Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(async () => {
        while (flooding) replies.push(...(await flood(host.url, 5)));
      }),
    );
    const overCeiling = () => replies.filter((r) => !r.ok && r.error.message.startsWith('Too many scans of unknown cards')).length;
    await expect.poll(overCeiling, { timeout: 20_000 }).toBeGreaterThan(20);
    // A card the console does not know, scanned at the kiosk now, is refused as the flood's are: the member is sent to the desk, staff read what to do.
    await page.keyboard.type('9999999999', { delay: 6 });
    await page.keyboard.press('Enter');
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toContainText('Check-in could not be taken');
    await expect(verdict).toContainText('Please see the front desk.');
    await expect(verdict).toContainText("Too many scans of unknown cards across this console's stations");
    await expect(verdict).not.toContainText('IT');
    await expect(page.getByTestId('staff-note')).toContainText("tell the gym's IT");
    await page.screenshot({ path: `${SHOTS}/kiosk-too-many-scans.png` });
    // A member's card, still in the flood: let in.
    const before = overCeiling();
    await page.keyboard.type(member.cardId, { delay: 6 });
    await page.keyboard.press('Enter');
    await expect(verdict).toContainText('Allowed', { timeout: 15_000 });
    await expect(page.getByTestId('staff-note')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/kiosk-member-in-during-flood.png` });
    expect(overCeiling()).toBeGreaterThan(before);
    flooding = false;
    await floods;
    // The console's ceiling let through a few a second at most, not hundreds.
    expect(replies.filter((r) => r.ok).length).toBeLessThan(replies.length / 4);
  } finally {
    host.process.kill('SIGTERM');
  }
});
