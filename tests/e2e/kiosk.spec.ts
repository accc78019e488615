import type { Page } from '@playwright/test';
import { test as base, expect, startWebHost, SHOTS, type RunningHost } from './host-fixture';
import { bridgeCall, demoMembers } from './bridge-client';
import type { Member } from '../../src/shared/protocol';
import { DEMO_PINS } from '../../src/shared/roles';
import { TYPED_IDLE_MS } from '../../src/shared/wedge';

const manager = { role: 'manager', pin: DEMO_PINS.manager };

const test = base.extend<{}, { kiosk: RunningHost }>({
  kiosk: [
    async ({}, use) => {
      const h = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
      await use(h);
      h.process.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
});

/** Members matching `query`, once the console is connected (right after start it may still be syncing). */
/** What the kiosk calls a member, for the whole queue to read: the first name only. */
const firstName = (m: Member): string => m.name.split(' ')[0]!;

/**
 * Cuts the page's link to the console as its `nth` check-in goes out, as a console restart would: that call fails.
 * With `held`, the link stays down (the page's tries refused) until the returned function is called.
 */
async function dropLinkAtCheckin(page: Page, nth = 1, held = false): Promise<() => void> {
  let checkins = 0;
  let down = false;
  await page.routeWebSocket(/\/bridge/, (ws) => {
    if (down) return void ws.close();
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (typeof m === 'string' && (JSON.parse(m) as { name?: string }).name === 'desk.checkin' && ++checkins === nth) {
        down = held;
        server.close();
        return void ws.close();
      }
      server.send(m);
    });
  });
  return () => void (down = false);
}

test('kiosk: a scan whose check-in fails gets a big verdict saying so and why, then resets', async ({ page, kiosk }) => {
  const active = (await demoMembers(kiosk.url, 'a')).filter((m) => m.status === 'active')[2]!;
  await page.setViewportSize({ width: 1080, height: 1920 });
  const linkBack = await dropLinkAtCheckin(page, 1, true);
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
  await page.keyboard.type(active.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  const verdict = page.getByTestId('verdict');
  // Sent when the link dropped: it may have been taken, so it is not said as refused, nor as "retrying" (probe28a R2).
  await expect(verdict).toContainText('Check-in not confirmed');
  await expect(verdict).toContainText('Please see the front desk.');
  await expect(verdict).toContainText('The link to the console dropped while this check-in was being sent, so it may have been taken.');
  await expect(verdict).not.toContainText('retrying');
  await page.screenshot({ path: `${SHOTS}/kiosk-checkin-failed.png` });
  // review28 V6: the next member, scanning while the link is still down, was told theirs "may have been taken" too.
  const next = (await demoMembers(kiosk.url, 'a')).filter((m) => m.status === 'active')[3]!;
  await page.keyboard.type(next.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(verdict).toContainText('Check-in could not be taken', { timeout: 8_000 });
  await expect(verdict).toContainText('Not connected to the console, so nothing was sent; try again in a moment.');
  await page.screenshot({ path: `${SHOTS}/kiosk-checkin-not-sent.png` });
  linkBack();
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 8_000 });
  // The link is back: the same member scans again and gets a real verdict.
  await page.keyboard.type(active.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(verdict).toContainText(firstName(active), { timeout: 8_000 });
});

test('kiosk: a wedge scan shows a big verdict with the first name and the outcome, then resets by itself', async ({ page, kiosk }) => {
  const all = await demoMembers(kiosk.url, 'a');
  const active = all.find((m) => m.status === 'active')!;
  const expiring = (await demoMembers(kiosk.url, 'e')).find((m) => m.status === 'expiring')!;
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
  await expect(page.getByRole('tab')).toHaveCount(0); // the kiosk sees only the kiosk view
  await page.keyboard.type(active.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveText(`✓${firstName(active)}Allowed`); // the queue reads no surname and no membership date
  await page.screenshot({ path: `${SHOTS}/kiosk-verdict-allowed.png` });
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 8_000 });
  await page.screenshot({ path: `${SHOTS}/kiosk-idle.png` });
  // A membership about to end: its end, as this PC's locale writes a day ("3 Mar 2027"), not as ISO ("2027-03-03").
  await page.keyboard.type(expiring.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(verdict).toContainText(firstName(expiring));
  const [y, m, d] = expiring.expiresOn.split('-').map(Number);
  const day = await page.evaluate(([yy, mm, dd]) => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(yy!, mm! - 1, dd!)), [y, m, d]);
  await expect(verdict).toContainText(`Membership ends on ${day}`);
  await expect(verdict).not.toContainText(expiring.expiresOn);
  await page.screenshot({ path: `${SHOTS}/kiosk-verdict-expiring.png` });
});

test('kiosk: digits typed and left behind are gone before the next member scans', async ({ page, kiosk }) => {
  const active = (await demoMembers(kiosk.url, 'a')).find((m) => m.status === 'active')!;
  await page.goto(kiosk.url);
  const box = page.getByLabel('Card or member number');
  await box.pressSequentially('40002', { delay: 60 }); // someone started typing, then walked away
  await expect(box).toHaveValue('40002');
  await expect(box).toHaveValue('', { timeout: TYPED_IDLE_MS + 3_000 });
  await page.keyboard.type(active.cardId, { delay: 60 }); // even read as typing, nothing stands in front of it
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toContainText(firstName(active));
});

test("kiosk: card readers' framing is read through: a magnetic stripe ending in Tab, a barcode prefix", async ({ page, kiosk }) => {
  const [stripe, barcode] = (await demoMembers(kiosk.url, 'i')).filter((m) => m.status === 'active').slice(4, 6);
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
  // Read as a scan or, on a busy machine, as typing: either way Tab checks in.
  await page.keyboard.type(`%B${stripe!.cardId}^MEMBER/GYM^2512?;${stripe!.cardId}=2512?`, { delay: 6 });
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('verdict')).toContainText(firstName(stripe!));
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 8_000 });
  await page.keyboard.type(`]C1${barcode!.cardId}`, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toContainText(firstName(barcode!));
  // A desk looking the member up with the same reader finds them too.
  expect((await demoMembers(kiosk.url, `;${stripe!.cardId}=2512?`)).map((m) => m.id)).toEqual([stripe!.id]);
});

test("kiosk: a denial tells the queue only a first name and where to go; the desk's list has the reason; a typed ID works", async ({ page, kiosk }) => {
  const all = [...(await demoMembers(kiosk.url, 'e')), ...(await demoMembers(kiosk.url, 'a')), ...(await demoMembers(kiosk.url, 'o'))];
  const lapsed = (['unpaid', 'frozen', 'expired'] as const).map((status) => all.find((m) => m.status === status)!);
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  const verdict = page.getByTestId('verdict');
  for (const m of lapsed) {
    await page.getByLabel('Card or member number').pressSequentially(m.cardId, { delay: 60 }); // a person typing
    await page.keyboard.press('Enter');
    await expect(verdict).toHaveText(`✕${firstName(m)}Not checked inPlease see the front desk.`);
    await page.screenshot({ path: `${SHOTS}/kiosk-verdict-denied-${m.status}.png` });
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 8_000 });
  }
  // Staff still read who and why: the live check-ins this console lists.
  const snap = await bridgeCall(kiosk.url, 'state.snapshot', undefined, manager); // staff's lists: a kiosk is sent none
  const rows = snap.ok ? (snap.value as { feeds: { checkins: { name: string | null; reason: string }[] } }).feeds.checkins : [];
  for (const m of lapsed) expect(rows).toContainEqual(expect.objectContaining({ name: m.name, reason: m.status }));
  // A card nobody has says so: there is no member to give away.
  await page.keyboard.type('9999000111', { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(verdict).toHaveText('✕Card not recognisedPlease see the front desk.');
  await page.screenshot({ path: `${SHOTS}/kiosk-verdict-unknown-card.png` });
});

test('kiosk: a short typed number goes to the backend like any card; what is no card at all is only "not read"', async ({ page, kiosk }) => {
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  const box = page.getByLabel('Card or member number');
  const verdict = page.getByTestId('verdict');
  const welcome = page.getByRole('heading', { name: 'Welcome! Scan your card' });
  // Cards as short as 1234 exist: the backend, not the kiosk, says whether it knows one.
  await expect(welcome).toBeVisible({ timeout: 8_000 });
  await box.pressSequentially('123', { delay: 60 }); // a person typing
  await page.keyboard.press('Enter');
  await expect(verdict).toHaveText('✕Card not recognisedPlease see the front desk.');
  // Longer than any card, or a stripe's framing left over: never sent, and told nothing more.
  for (const junk of ['9'.repeat(40), ';E?']) {
    await expect(welcome).toBeVisible({ timeout: 8_000 });
    await page.keyboard.type(junk, { delay: 6 });
    await page.keyboard.press('Enter');
    await expect(verdict).toHaveText('!Card not readPlease scan again.');
  }
  await page.screenshot({ path: `${SHOTS}/kiosk-card-not-read.png` });
});

test('kiosk offline: kill every instance, scan, accepted offline, restore, reconciled', async ({ page, kiosk }) => {
  // Not one the tests before this scanned (from their 'a' and 'i' lists): offline, this PC would call them already inside.
  const scanned = new Set([...(await demoMembers(kiosk.url, 'a')), ...(await demoMembers(kiosk.url, 'i'))].map((m) => m.cardId));
  const active = (await demoMembers(kiosk.url, 'o')).filter((m) => m.status === 'active' && !scanned.has(m.cardId))[0]!;
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  for (const i of [0, 1, 2]) await bridgeCall(kiosk.url, 'demo.fault', { instance: i, action: 'kill' }, manager);
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' })).toBeVisible({ timeout: 10_000 });
  // A word staff walking past can read, not a dot's colour alone: a kiosk has no mouse for its tooltip (readme23 R3).
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' })).toHaveText('Offline');
  await page.keyboard.type(active.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  const verdict = page.getByTestId('verdict');
  // Let in, and told nothing about PCs, systems or confirming later: it reads as any other welcome.
  await expect(verdict).toHaveText(`✓${firstName(active)}Allowed`);
  await page.screenshot({ path: `${SHOTS}/kiosk-offline.png` });
  const queued = await bridgeCall(kiosk.url, 'state.snapshot', undefined, manager);
  expect((queued.ok && (queued.value as { gauges: { outbox: { queued: number } } }).gauges.outbox.queued) || 0).toBeGreaterThanOrEqual(1);
  for (const i of [0, 1, 2]) await bridgeCall(kiosk.url, 'demo.fault', { instance: i, action: 'restore' }, manager);
  await expect
    .poll(async () => {
      const s = await bridgeCall(kiosk.url, 'state.snapshot', undefined, manager);
      return s.ok ? (s.value as { gauges: { outbox: { queued: number; inFlight: number } } }).gauges.outbox.queued : -1;
    }, { timeout: 15_000 })
    .toBe(0);
});

test('front desk: look a member up, a denial shows its reason, override with a note', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    const denied = (await demoMembers(host.url, 'an')).find((m) => m.status === 'expired')!;
    await page.goto(host.url);
    await page.getByLabel('Find a member').fill(denied.name);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('button', { name: `Check in ${denied.name}` }).first().click();
    await expect(page.getByTestId('verdict')).toContainText('Denied: membership expired');
    await page.getByRole('button', { name: 'Override and let in' }).click();
    await expect(page.getByRole('alert')).toContainText('An override needs a note');
    await page.getByLabel('Override note').fill('Paid cash at the desk');
    await page.getByRole('button', { name: 'Override and let in' }).click();
    await expect(page.getByTestId('verdict')).toContainText('Allowed by staff override');
    // Live check-ins say why, not only "Allowed by staff override".
    const row = page.getByTestId('checkin-rows').locator('tr').filter({ hasText: 'Allowed by staff override' }).first();
    await expect(row).toContainText(denied.name);
    await expect(row.getByTestId('checkin-note')).toHaveText('· why: Paid cash at the desk');
    await page.screenshot({ path: `${SHOTS}/desk-override.png`, fullPage: true });
    const audit = await bridgeCall(host.url, 'audit.list');
    expect(audit.ok && (audit.value as { action: string }[])[0]!.action).toBe('checkin.override');
    // So do the event log and the audit log.
    await page.getByRole('tab', { name: 'Analytics' }).click();
    await expect(page.getByTestId('event-log')).toContainText(`${denied.name} · why: Paid cash at the desk`, { timeout: 15_000 });
    await expect(page.getByTestId('audit').getByRole('button').first()).toContainText(`Let a member in past a denial card ${denied.cardId} Why: “Paid cash at the desk”`);
    await page.screenshot({ path: `${SHOTS}/analytics-override-note.png`, fullPage: true });
  } finally {
    host.process.kill('SIGTERM');
  }
});

test('front desk: a check-in that fails says why, in place of the last verdict', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    const [first, second] = (await demoMembers(host.url, 'an')).filter((m) => m.status === 'active');
    await dropLinkAtCheckin(page, 2);
    await page.goto(host.url);
    const desk = page.locator('section.desk');
    await page.getByLabel('Find a member').fill('an');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('button', { name: `Check in ${first!.name}` }).first().click();
    await expect(desk.getByTestId('verdict')).toContainText(first!.name);
    // The next check-in goes out as the link drops: it fails and says why, and the last verdict is gone.
    await page.getByRole('button', { name: `Check in ${second!.name}` }).first().click();
    await expect(desk.getByRole('alert')).toContainText('Lost the connection to the console');
    await expect(desk.getByTestId('verdict')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/desk-checkin-failed.png`, fullPage: true });
  } finally {
    host.process.kill('SIGTERM');
  }
});

test('kiosk: the main process refuses anything but check-in; the admin chord and the manager PIN are the way out', async ({ page, kiosk }) => {
  expect(await bridgeCall(kiosk.url, 'pools.list')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await bridgeCall(kiosk.url, 'desk.lookup', { query: 'Ava' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
  // The chord's listener is set up just after the first paint: a press before it is pressed again, as a person would.
  await expect(async () => {
    await page.keyboard.press('Control+Alt+Shift+K');
    await expect(page.getByLabel('PIN', { exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await page.getByLabel('PIN', { exact: true }).fill('0000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong PIN');
  await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('tab', { name: 'Connection Pools' })).toBeVisible();
  await expect(page.locator('.who-am-i')).toContainText('manager');
});
