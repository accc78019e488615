import type { Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, SHOTS, startWebHost, stopWebHost, freePort, type RunningHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import type { Member } from '../../src/shared/protocol';
import { DEMO_PINS } from '../../src/shared/roles';

// A console restarted (a reboot, a crash, an update) on the same data dir and --port: every screen
// left open on it comes back by itself, and says what is going on while it is away.

const WELCOME = { name: 'Welcome! Scan your card' };
const DOWN = { name: 'This station is not working right now' };

/** A review-only console on a port of its own, restarted on the same one later, with this page signed in to it. */
async function signedInReviewConsole(page: Page): Promise<{ args: string[]; host: RunningHost }> {
  const args = ['--review-only', '--port', String(await freePort())];
  const host = await startWebHost(args);
  try {
    await page.goto(host.url);
    await reviewFirstRun(page);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    return { args, host };
  } catch (e) {
    await stopWebHost(host);
    throw e;
  }
}

/** An active member, once the demo console has its roster. */
async function activeMember(url: string): Promise<Member> {
  const manager = { role: 'manager', pin: DEMO_PINS.manager };
  let found: Member | undefined;
  await expect
    .poll(async () => {
      const r = await bridgeCall(url, 'desk.lookup', { query: 'a' }, manager);
      found = r.ok ? (r.value as { members: Member[] }).members.find((m) => m.status === 'active') : undefined;
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

/** WCAG 2 A/AA, as the a11y spec checks the other screens. */
async function noViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A review PC has no front desk or kiosk: its first run sets the manager PIN only. */
async function reviewFirstRun(page: Page): Promise<void> {
  await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
  await page.getByLabel('Repeat manager PIN').fill('8765');
  await page.getByRole('button', { name: 'Save PIN', exact: true }).click(); // a review PC asks for the manager's alone
}

test('a kiosk left open across a restart sends members to the desk while the console is down, then takes check-ins again by itself', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1080, height: 1920 });
  const args = ['--demo', '--kiosk', '--demo-rate', '0', '--port', String(await freePort())];
  let host = await startWebHost(args);
  try {
    const member = await activeMember(host.url);
    await page.goto(host.url);
    await expect(page.getByRole('heading', WELCOME)).toBeVisible();
    await page.evaluate(() => void ((window as { leftOpen?: boolean }).leftOpen = true));
    // A manager had just opened the PIN prompt: it goes with the link (its scans would be sent nowhere).
    await expect(async () => {
      await page.keyboard.press('Control+Alt+Shift+K');
      await expect(page.getByLabel('PIN', { exact: true })).toBeVisible({ timeout: 500 });
    }).toPass();

    await stopWebHost(host);
    await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
    // No scan prompt for a scan that would reach nothing: members are sent to the desk, in big words.
    await expect(page.getByRole('heading', DOWN)).toBeVisible();
    await expect(page.getByText('Please check in at the front desk.')).toBeVisible();
    await expect(page.getByRole('heading', WELCOME)).toHaveCount(0);
    await expect(page.getByLabel('Card or member number')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/restart-kiosk-down.png` });
    // A card scanned now is not swallowed behind a welcome: the screen already says where to go.
    await page.keyboard.type(member.cardId);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', DOWN)).toBeVisible();
    // Down for long: staff standing at it read what to do.
    await expect(page.getByTestId('station-down')).toContainText('If it does not come back, start the console again: this screen comes back by itself.', { timeout: 15_000 });
    // Never the printed address: a kiosk's browser opens the kiosk page, so the key stays off its command line (readme24 R7).
    await expect(page.getByTestId('station-down')).not.toContainText('console ready');
    await page.screenshot({ path: `${SHOTS}/restart-kiosk-down-long.png` });
    await noViolations(page);

    host = await startWebHost(args, host.dataDir);
    await expect(page.getByRole('heading', WELCOME)).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('heading', DOWN)).toHaveCount(0);
    await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
    expect(await page.evaluate(() => (window as { leftOpen?: boolean }).leftOpen)).toBe(true); // the same page, never reopened
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 10_000 });
    await page.getByLabel('Card or member number').fill(member.cardId);
    await page.getByLabel('Card or member number').press('Enter');
    await expect(page.getByTestId('verdict')).toBeVisible();
    await expect(page.getByTestId('verdict')).not.toContainText('could not be taken');
    await page.screenshot({ path: `${SHOTS}/restart-kiosk-back.png` });
  } finally {
    await stopWebHost(host);
  }
});

test('a desk page says what to do while the console stays away, and comes back by itself to the sign-in when it restarts', async ({ page }) => {
  test.setTimeout(90_000);
  const { args, host: opened } = await signedInReviewConsole(page);
  let host = opened;
  try {

    await stopWebHost(host);
    await expect(page.getByTestId('link-lost')).toBeVisible();
    const gone = page.getByTestId('console-gone');
    await expect(gone).toBeVisible({ timeout: 15_000 });
    await expect(gone).toContainText('The console was restarted or stopped');
    await expect(gone).toContainText('the console on this PC has to be started again (whoever looks after this PC knows how: the README says)');
    await page.screenshot({ path: `${SHOTS}/restart-desk-gone.png` });
    await noViolations(page);

    const first = host.url;
    host = await startWebHost(args, host.dataDir);
    expect(host.url).toBe(first); // the address printed before is the address now
    // Its session did not survive the restart: the sign-in, saying why, and nothing stale left up.
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText('The console was restarted')).toBeVisible();
    await expect(gone).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/restart-desk-signin.png` });
    await page.getByLabel('Manager').check();
    await page.getByLabel('PIN', { exact: true }).fill('8765');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(page.getByTestId('link-lost')).toHaveCount(0);
  } finally {
    await stopWebHost(host);
  }
});

test('a desk page left open while IT restarts the PC as a kiosk becomes the kiosk: no staff sign-in offered to the queue', async ({ page }) => {
  test.setTimeout(90_000);
  const port = String(await freePort());
  let host = await startWebHost(['--demo', '--port', port]);
  try {
    await page.goto(host.url);
    await expect(page.getByRole('tab', { name: 'Overview' })).toBeVisible();
    await stopWebHost(host);
    await expect(page.getByTestId('link-lost')).toBeVisible();
    host = await startWebHost(['--demo', '--kiosk', '--port', port], host.dataDir);
    await expect(page.getByRole('heading', WELCOME)).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveCount(0);
  } finally {
    await stopWebHost(host);
  }
});

test('a desk request made while the console is down is answered at once, and the same form works when it is back', async ({ page }) => {
  test.setTimeout(60_000);
  const args = ['--demo', '--demo-rate', '0', '--port', String(await freePort())];
  let host = await startWebHost(args);
  try {
    await page.goto(host.url);
    const find = page.getByRole('button', { name: 'Find' });
    await expect(find).toBeEnabled();
    await stopWebHost(host);
    await expect(page.getByTestId('link-lost')).toBeVisible();
    await page.waitForTimeout(2_500); // past the page's first attempts to reconnect: down for a while, not a blip
    await page.getByLabel('Find a member').fill('a');
    await find.click();
    await expect(page.getByText('Not connected to the console, so nothing was sent; try again in a moment.')).toBeVisible({ timeout: 5_000 });
    await expect(find).toBeEnabled(); // not left waiting on a console that is gone

    host = await startWebHost(args, host.dataDir);
    await expect(page.getByTestId('link-lost')).toHaveCount(0, { timeout: 15_000 });
    await expect(async () => {
      await find.click();
      await expect(page.getByTestId('found-count')).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  } finally {
    await stopWebHost(host);
  }
});

test('a kiosk whose console holds the link but answers nothing still gives the member a verdict: see the desk', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1080, height: 1920 });
  const host = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    const member = await activeMember(host.url);
    await page.goto(host.url);
    await expect(page.getByRole('heading', WELCOME)).toBeVisible();
    host.process.kill('SIGSTOP'); // frozen: its sockets stay open, nothing is read or answered
    await page.getByLabel('Card or member number').fill(member.cardId);
    await page.getByLabel('Card or member number').press('Enter');
    await expect(page.getByTestId('verdict')).toContainText('Check-in not confirmed', { timeout: 15_000 });
    await expect(page.getByTestId('verdict-reason')).toContainText('did not answer in time');
    await page.screenshot({ path: `${SHOTS}/restart-kiosk-no-answer.png` });
  } finally {
    host.process.kill('SIGCONT');
    await stopWebHost(host);
  }
});

test('a page left open across an update of the console loads the updated screens, address and all', async ({ page }) => {
  test.setTimeout(60_000);
  // The update is played by the bridge: after the restart, the console answers with another version.
  let updated = false;
  await page.routeWebSocket(/\/bridge/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      const frame = JSON.parse(String(m)) as { result?: { ok: boolean; value?: Record<string, unknown> } };
      const info = frame.result?.ok && frame.result.value && 'exportPicker' in frame.result.value ? frame.result.value : null;
      if (info && updated) info.version = `${String(info.version)}-updated`;
      ws.send(info ? JSON.stringify(frame) : m);
    });
  });
  const args = ['--demo', '--demo-rate', '0', '--port', String(await freePort())];
  let host = await startWebHost(args);
  try {
    await page.goto(host.url);
    await expect(page.getByRole('banner').getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 10_000 });
    await page.evaluate(() => void ((window as { leftOpen?: boolean }).leftOpen = true));
    await stopWebHost(host);
    await expect(page.getByTestId('link-lost')).toBeVisible();
    updated = true;
    host = await startWebHost(args, host.dataDir);
    await expect.poll(() => page.evaluate(() => (window as { leftOpen?: boolean }).leftOpen ?? false).catch(() => true), { timeout: 15_000 }).toBe(false);
    expect(page.url()).toBe(host.url);
    await expect(page.getByRole('banner').getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 10_000 });
  } finally {
    await stopWebHost(host);
  }
});

// readme25 W5: after an update, a signed-in screen loaded again onto a bare sign-in: staff thought someone signed them out.
test('a signed-in screen left open across an update loads again and says why it was signed out', async ({ page }) => {
  test.setTimeout(90_000);
  let updated = false;
  await page.routeWebSocket(/\/bridge/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      const frame = JSON.parse(String(m)) as { result?: { ok: boolean; value?: Record<string, unknown> } };
      const info = frame.result?.ok && frame.result.value && 'exportPicker' in frame.result.value ? frame.result.value : null;
      if (info && updated) info.version = `${String(info.version)}-updated`;
      ws.send(info ? JSON.stringify(frame) : m);
    });
  });
  const { args, host: opened } = await signedInReviewConsole(page);
  let host = opened;
  try {
    await stopWebHost(host);
    updated = true;
    host = await startWebHost(args, host.dataDir);
    await expect(page.getByText('The console was updated (or set up as another kind of PC), so this screen loaded again and was signed out: sign in again.')).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/restart-updated-signed-out.png` });
  } finally {
    await stopWebHost(host);
  }
});

// probe-readme18 #2: an old or wrong token was told "The console does not answer this address. Check that it is
// running": the console is running and refused the token. Said as soon as the console answers so, not after 10 s.
test('an address whose token is not the console\'s says the key is old, not that the console is down', async ({ page, host }) => {
  const wrong = host.url.replace(/token=[^&]+/, `token=${'x'.repeat(32)}`);
  await page.goto(wrong);
  const gone = page.getByTestId('console-gone');
  await expect(gone).toContainText("this address's key (the #token=… part) is not this console's: it was changed, or the address is old", { timeout: 5_000 });
  await expect(gone).toContainText('Open the address the console printed when it started (console ready: http://127.0.0.1:…)');
  await expect(page.getByText('Connecting to the console…')).toHaveCount(0);
  await page.waitForTimeout(11_000); // past the 10 s after which a console that is down is said: still the key
  await expect(gone).toContainText('is not this console');
  await expect(page.getByText('does not answer')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/restart-wrong-address.png` });
  await noViolations(page);
});

// The README's "change the token": stop, delete web-token, start again. A desk left open on the old address
// used to say the console was "restarted or stopped … comes back by itself"; it never would.
test('a desk left open while the token is changed says its key is old, not that the console is away', async ({ page }) => {
  test.setTimeout(90_000);
  const { args, host: opened } = await signedInReviewConsole(page);
  let host = opened;
  try {
    await stopWebHost(host);
    rmSync(join(host.dataDir, 'web-token'));
    host = await startWebHost(args, host.dataDir);
    const gone = page.getByTestId('console-gone');
    await expect(gone).toContainText("this address's key (the #token=… part) is not this console's", { timeout: 15_000 });
    await expect(gone).not.toContainText('comes back by itself');
    await expect(page.getByTestId('link-lost')).toContainText("This address's key is old: open the one the console printed");
    await page.screenshot({ path: `${SHOTS}/restart-token-changed.png` });
    // The address the console printed works.
    // A new key on the open page's address loads it again by itself (address-follow.ts).
    await page.goto(host.url);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 15_000 });
  } finally {
    await stopWebHost(host);
  }
});
