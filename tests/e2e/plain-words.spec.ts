import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost, stopWebHost, freePort, type RunningHost } from './host-fixture';
import { setFirstPins } from './reference-backend';

// What an IT person's walk-through found said wrongly: a review PC's Health, a never-connected PC's
// banner, and an ordinary backend restart shown as a lasting problem.

/** A reference backend on a fixed port, so a restart comes back at the same address. */
async function backendOn(port: number, token: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--instances', '1', '--port', String(port), '--token', token, '--simulate', '--rate', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`backend did not start: ${out}`)), 15_000);
    server.stdout!.on('data', (d) => {
      out += d;
      if (/listening ws:\/\//.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return server;
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const gone = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await gone;
}

/** A live console on a reference backend of its own, its PINs set and this page signed in, once it says Connected. */
async function connectedDesk(page: Page, token: string): Promise<{ port: number; server: ChildProcess; host: RunningHost }> {
  const port = await freePort();
  const server = await backendOn(port, token);
  const host = await startWebHost(['--backend', `ws://127.0.0.1:${port}`, '--backend-token', token, '--port', String(await freePort())]);
  try {
    await page.goto(host.url);
    await setFirstPins(page);
    const conn = page.locator('section[aria-labelledby="conn-title"]');
    await expect(conn.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 15_000 });
    return { port, server, host };
  } catch (e) {
    await stopWebHost(host);
    await stop(server);
    throw e;
  }
}

async function shots(page: Page, name: string): Promise<void> {
  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/${name}-${w}.png`, fullPage: true });
  }
}

test('a review PC lists only the health checks that mean something on it', async ({ page }) => {
  const host = await startWebHost(['--review-only', '--port', String(await freePort())]);
  try {
    await page.goto(host.url);
    // A review PC asks only for the manager PIN on its first run: it has no front desk or kiosk.
    await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
    await page.getByLabel('Repeat manager PIN').fill('8765');
    await page.getByRole('button', { name: 'Save PIN', exact: true }).click();
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(page.getByTestId('checks-review-pc')).toContainText('connects to no gym, so the checks of the backend connection, live event feed, roster copy, outgoing messages and clock are not used here');
    await expect(page.getByTestId('check-disk')).toBeVisible();
    for (const id of ['backend', 'feed', 'roster', 'clock', 'outbox']) await expect(page.getByTestId(`check-${id}`)).toHaveCount(0);
    await expect(page.getByTestId('check-list')).not.toContainText('fetched once the backend answers');
    await expect(page.getByTestId('availability')).toContainText('Not used on a review PC');
    // Its alert rules: those of checks it never runs are said not to be used, not offered for editing.
    const rules = page.getByTestId('alert-rules');
    for (const k of ['backend', 'pool', 'feed', 'outbox', 'roster', 'clock']) {
      await expect(rules.getByTestId(`rule-${k}`)).toContainText('Not used on a review PC');
      await expect(rules.getByTestId(`rule-${k}`).locator('input, select')).toHaveCount(0);
    }
    for (const k of ['stores', 'disk', 'process', 'signins']) await expect(rules.getByTestId(`rule-${k}`).getByRole('checkbox')).toBeVisible();
    // The badge's tooltip says what the PC is for before the flag that made it so.
    await expect(page.getByTestId('review-badge')).toHaveAttribute('title', /^This PC only opens exports \(started with --review-only\)/);
    await shots(page, 'review-pc-health');
  } finally {
    await stopWebHost(host);
  }
});

// A manager and the gym's IT read the Health tab: what they saw said in developer words, said plainly.
test('the Health tab speaks plainly: availability, alert rules and the webhook log', async ({ page }) => {
  const host = await startWebHost(['--demo']);
  try {
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Health' }).click();
    // A closed port: a delivery that fails on the network.
    const { createServer } = await import('node:net');
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const hooks = page.getByTestId('webhooks');
    await hooks.getByLabel('Webhook address').fill(`http://127.0.0.1:${port}/gym`);
    await hooks.getByRole('button', { name: 'Generate' }).click();
    await hooks.getByRole('button', { name: 'Save webhook' }).click();
    await hooks.getByRole('button', { name: 'Send a test' }).click();
    const row = hooks.getByTestId('delivery-log').locator('tbody tr').first();
    await expect(row).toContainText('nothing answers at that address: the receiver is not running there, or the port is wrong');
    await expect(row).not.toContainText(/ECONNREFUSED|could not reach it \(/);
    await expect(row).toContainText(/tries again at /);

    // Minutes of samples: how long it has measured, not "73.913 %"; the aim and the downtime allowed in words.
    const avail = page.getByTestId('availability');
    await expect(avail).toContainText(/measured for \d+ (s|min) so far/);
    await expect(avail).toContainText('the aim is 99.9 %');
    await expect(avail).toContainText('Downtime still allowed (30 days)');
    await expect(avail.getByTestId('availability-help')).toContainText('allows about 43 min without an answer in 30 days');
    await expect(avail).not.toContainText(/objective|budget|\d\.\d{3} %/i);

    const rules = page.getByTestId('alert-rules');
    await expect(rules.locator('thead')).toContainText('Alert after (seconds of trouble)');
    await expect(rules.locator('thead')).toContainText('Close after (seconds back to normal)');
    await expect(rules.getByTestId('rules-help')).toContainText('a backend that keeps dropping out and coming back is one alert, not many');
    await expect(rules).not.toContainText(/pending|keep firing|flap/i);
    await expect(page.getByTestId('check-process')).not.toContainText(/\blag\b/);
    await expect(page.getByTestId('check-stores')).not.toContainText(/WAL|checkpoint/);
    await shots(page, 'health-plain');
  } finally {
    await stopWebHost(host);
  }
});

test('a PC that never reached the backend does not tell the desk to go on from a members list it does not have', async ({ page }) => {
  test.setTimeout(60_000);
  const port = await freePort();
  const server = await backendOn(port, 'right-token');
  const host = await startWebHost(['--backend', `ws://127.0.0.1:${port}`, '--backend-token', 'WRONGtok', '--port', String(await freePort())]);
  try {
    await page.goto(host.url);
    await setFirstPins(page);
    // Refused, not out of reach: the banner says so, as it does on a PC with a copy.
    const banner = page.getByRole('alert').filter({ hasText: "The gym's system does not accept this PC's backend token" });
    await expect(banner).toContainText('this PC has no copy of the members list yet, so it cannot decide check-ins until the system has let it in once', { timeout: 30_000 });
    await expect(banner).not.toContainText('cannot reach');
    await expect(banner).toContainText("refused the console's token");
    await expect(banner).not.toContainText('Keep checking members in');
    await shots(page, 'never-connected-banner');
  } finally {
    await stopWebHost(host);
    await stop(server);
  }
});

// readme24 R6: the console stopped under an open desk, and the backend banner it had sent last still said "Keep checking
// members in", while the screen could neither find members nor check them in; nothing said what to do at the door.
test('a desk whose console stays away drops the last banner, and says what to do with members at the door meanwhile', async ({ page }) => {
  test.setTimeout(90_000);
  const { server, host } = await connectedDesk(page, 'gone-token');
  try {
    await stop(server);
    const banner = page.getByRole('alert').filter({ hasText: 'Keep checking members in' });
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await stopWebHost(host);
    const gone = page.getByTestId('console-gone');
    await expect(gone).toContainText('The console was restarted or stopped', { timeout: 20_000 });
    await expect(gone).toContainText('Until then this screen cannot find members or check them in: let members in as the gym does when its system is down, and note their card numbers.');
    await expect(page.getByText('Keep checking members in')).toHaveCount(0);
    await shots(page, 'desk-console-gone');
  } finally {
    await stopWebHost(host);
    await stop(server);
  }
});

test('a token the backend stops accepting (rotated there) tells IT now, not "if this lasts": it never fixes itself', async ({ page }) => {
  test.setTimeout(90_000);
  const desk = await connectedDesk(page, 'old-token');
  const { port, host } = desk;
  let server = desk.server;
  try {
    await stop(server);
    server = await backendOn(port, 'new-token');
    const banner = page.getByRole('alert').filter({ hasText: "does not accept this PC's backend token" });
    await expect(banner).toContainText('Keep checking members in: this PC decides from its copy of the members list', { timeout: 60_000 });
    await expect(banner).toContainText('This will not fix itself: tell IT now');
    await expect(banner).not.toContainText('if this lasts');
    await shots(page, 'token-refused-banner');
  } finally {
    await stopWebHost(host);
    await stop(server);
  }
});

test('an ordinary backend restart is news, not ten minutes of "Degraded"', async ({ page }) => {
  test.setTimeout(120_000);
  const port = await freePort();
  let server = await backendOn(port, 'restart-token');
  const host = await startWebHost(['--backend', `ws://127.0.0.1:${port}`, '--backend-token', 'restart-token', '--port', String(await freePort())]);
  try {
    await page.goto(host.url);
    await setFirstPins(page);
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible({ timeout: 15_000 });
    // Restarted without Redis: its event log starts over.
    await stop(server);
    server = await backendOn(port, 'restart-token');
    await expect(page.getByTestId('backend-restarted')).toContainText(/The gym's system was restarted at .+; this PC caught up with it\./, { timeout: 60_000 });
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('events-missed')).toHaveCount(0);
    await expect(page.getByText('Resynced')).toHaveCount(0);
    await expect(page.getByText('Health: All systems OK')).toBeVisible({ timeout: 30_000 });
    await shots(page, 'backend-restarted-overview');
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(page.getByTestId('check-feed')).toContainText(/OK.*The gym's system was restarted at .+; this PC caught up with it\./);
    await expect(page.getByTestId('check-list')).not.toContainText(/Redis|numbering|resync/i);
    await shots(page, 'backend-restarted-health');
  } finally {
    await stopWebHost(host);
    await stop(server);
  }
});

// probe-walk15 #1: the same restart, with this PC restarted while the gym's system was down, is told the same way.
test('a backend restart while this PC was off, restarting or not connected to it is told as one seen live', async ({ page }) => {
  test.setTimeout(120_000);
  const port = await freePort();
  const web = String(await freePort());
  const args = ['--backend', `ws://127.0.0.1:${port}`, '--backend-token', 'away-token', '--port', web];
  let server = await backendOn(port, 'away-token');
  let host = await startWebHost(args);
  try {
    await page.goto(host.url);
    await setFirstPins(page);
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible({ timeout: 15_000 });
    await stop(server);
    await stopWebHost(host);
    host = await startWebHost(args, host.dataDir);
    server = await backendOn(port, 'away-token'); // in memory: empty, numbering from 1 again
    await page.goto(host.url);
    await page.getByLabel('PIN', { exact: true }).fill('4321');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('backend-restarted')).toContainText("The gym's system was restarted while this PC was off, restarting or not connected to it; this PC caught up with it.", { timeout: 60_000 });
    await expect(page.getByTestId('events-missed')).toHaveCount(0);
    await shots(page, 'backend-restarted-away-overview');
    await page.getByRole('tab', { name: 'Health' }).click();
    await expect(page.getByTestId('check-feed')).toContainText("The gym's system was restarted while this PC was off, restarting or not connected to it; this PC caught up with it.");
    await shots(page, 'backend-restarted-away-health');
  } finally {
    await stopWebHost(host);
    await stop(server);
  }
});
