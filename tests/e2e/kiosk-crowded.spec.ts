import WebSocket from 'ws';
import { test, expect, startWebHost, stopWebHost, shots } from './host-fixture';
import { MAX_SCREENS } from '../../src/shared/web-bridge';

// probe-hostile18 F1: a kiosk closed to make room for other screens says so to staff, and comes back by itself.
/**
 * Takes every other screen place, then more until `closed` says the page was closed to make room: the place given up
 * is the one unused longest, and a page still making its first calls while the others opened (CI, a loaded machine)
 * is newer than some of them, so those go first. The page is idle after its first calls, so it goes within a second round.
 */
async function crowdOut(pageUrl: string, closed: () => Promise<boolean>): Promise<WebSocket[]> {
  const u = new URL(pageUrl);
  const bridge = `ws://${u.host}/bridge?token=${new URLSearchParams(u.hash.slice(1)).get('token')}`;
  const others: WebSocket[] = [];
  const open = async (): Promise<void> => {
    const ws = new WebSocket(bridge);
    ws.on('error', () => {});
    await new Promise((r) => ws.once('open', r));
    others.push(ws);
  };
  for (let i = 0; i < MAX_SCREENS; i++) await open();
  for (let i = 0; i < MAX_SCREENS && !(await closed()); i++) {
    await open();
    await new Promise((r) => setTimeout(r, 150));
  }
  return others;
}

test('a kiosk closed to make room for another screen says why, then comes back by itself', async ({ page }) => {
  const host = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  let others: WebSocket[] = [];
  try {
    await page.goto(host.url);
    await expect(page.getByLabel('Card or member number')).toBeVisible();
    const down = page.getByTestId('station-down');
    others = await crowdOut(host.url, async () => (await down.count()) > 0);
    await expect(down).toContainText('Please check in at the front desk');
    await expect(down).toContainText(`The console closed this screen to make room for another: ${MAX_SCREENS} screens (browser windows or tabs) were open to it`);
    // A kiosk has no tabs for staff to close (review18 L6): it names who can look.
    await expect(down).toContainText("If it keeps happening, tell the gym's IT");
    await expect(down).not.toContainText('Close the console');
    await shots(page, 'kiosk-crowded');
    // It tries again by itself; the connection unused longest makes room for it, and members can scan again.
    await expect(page.getByLabel('Card or member number')).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => host.stderr()).toMatch(/a screen was closed to make room for new ones/);
  } finally {
    for (const ws of others) ws.terminate();
    await stopWebHost(host);
  }
});

test('a staff screen closed to make room says why at once, and comes back by itself', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  let others: WebSocket[] = [];
  try {
    await page.goto(host.url);
    await expect(page.locator('.who-am-i')).toContainText('manager');
    const said = page.getByTestId('console-crowded');
    others = await crowdOut(host.url, async () => (await said.count()) > 0);
    await expect(said).toContainText(`The console closed this screen to make room for another: ${MAX_SCREENS} screens (browser windows or tabs) were open to it`);
    await expect(said).toContainText('tries again by itself within 10 seconds');
    await expect(said).toContainText("Close the console's windows and tabs that are not needed on this PC.");
    await shots(page, 'desk-crowded');
    await expect(said).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('health-pill')).toBeVisible();
  } finally {
    for (const ws of others) ws.terminate();
    await stopWebHost(host);
  }
});
