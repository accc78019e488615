import type { Page } from '@playwright/test';
import { test as base, expect, freePort, startWebHost, stopWebHost, SHOTS, type RunningHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { scan } from './scanner';
import type { Member } from '../../src/shared/protocol';
import { DEMO_PINS } from '../../src/shared/roles';

const manager = { role: 'manager', pin: DEMO_PINS.manager };
const WELCOME = { name: 'Welcome! Scan your card' };

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

/** What the kiosk calls a member, for the whole queue to read: the first name only. */
const firstName = (m: Member): string => m.name.split(' ')[0]!;

/** Active members, once the console has its roster. */
async function actives(url: string): Promise<Member[]> {
  await expect
    .poll(async () => {
      const r = await bridgeCall(url, 'desk.lookup', { query: 'a' }, manager);
      return r.ok ? (r.value as { members: Member[] }).members.length : 0;
    })
    .toBeGreaterThan(0);
  const r = await bridgeCall(url, 'desk.lookup', { query: 'a' }, manager);
  return (r.ok ? (r.value as { members: Member[] }).members : []).filter((m) => m.status === 'active');
}

/** The admin chord, again if the page was not listening yet (right after loading). */
const openPrompt = async (page: Page): Promise<void> => {
  await expect(async () => {
    await page.keyboard.press('Control+Alt+Shift+K');
    await expect(page.getByLabel('PIN', { exact: true })).toBeVisible({ timeout: 500 });
  }).toPass();
};

test('the manager PIN prompt goes back to the scan screen after 30 s without typing', async ({ page, kiosk }) => {
  await page.clock.install();
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await openPrompt(page);
  await page.clock.fastForward(20_000);
  await expect(page.getByLabel('PIN', { exact: true })).toBeVisible(); // not yet
  await page.getByLabel('PIN', { exact: true }).press('1'); // typing restarts the wait
  await page.clock.fastForward(20_000);
  await expect(page.getByLabel('PIN', { exact: true })).toBeVisible();
  await page.clock.fastForward(11_000);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
});

test('Escape closes the manager PIN prompt: back to check-in, ready for the next scan', async ({ page, kiosk }) => {
  const member = (await actives(kiosk.url))[7]!;
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await openPrompt(page);
  await page.getByLabel('PIN', { exact: true }).fill('12'); // half-typed, then given up on
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/kiosk-admin-prompt-escaped.png` });
  await page.keyboard.type(member.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toBeVisible();
});

test('a scan while the PIN prompt is open is never a wrong PIN and never sent (a PIN typed as fast reads the same): the member scans again', async ({ page, kiosk }) => {
  const members = (await actives(kiosk.url)).slice(0, 3);
  const rows = async (): Promise<string[]> => {
    const snap = await bridgeCall(kiosk.url, 'state.snapshot', undefined, manager);
    return snap.ok ? (snap.value as { feeds: { checkins: { cardId: string }[] } }).feeds.checkins.map((c) => c.cardId) : [];
  };
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  // Three scans: as wrong PINs they would have locked the prompt; as check-ins a fast-typed PIN went out in clear.
  for (const m of members) {
    await openPrompt(page);
    await scan(page, m.cardId);
    await expect(page.getByTestId('verdict')).toContainText('Card not read');
    await expect(page.getByTestId('verdict')).toContainText('Please scan again.');
    await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
  }
  await openPrompt(page);
  await scan(page, DEMO_PINS.desk);
  await expect(page.getByTestId('verdict')).toContainText('Card not read');
  expect(await rows()).not.toContain(DEMO_PINS.desk);
  for (const m of members) expect(await rows()).not.toContain(m.cardId);
  // Scanned again with the prompt closed, the card checks in.
  await expect(page.getByRole('heading', WELCOME)).toBeVisible({ timeout: 15_000 });
  await scan(page, members[0]!.cardId);
  await expect(page.getByTestId('verdict')).toContainText(firstName(members[0]!));
  await expect.poll(rows).toContain(members[0]!.cardId);
  await openPrompt(page);
  await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.who-am-i')).toContainText('manager');
});

// probe-walk14 W17: on a loaded PC the page saw a scan's keys 20–60 ms apart, and the prompt took it as a wrong manager PIN.
test('a scan the page sees with uneven gaps (a busy PC) in the PIN prompt is still "Card not read", never a wrong PIN', async ({ page, kiosk }) => {
  const member = (await actives(kiosk.url))[4]!;
  const wrongPins = async (): Promise<number> => {
    const audit = await bridgeCall(kiosk.url, 'audit.list', undefined, manager);
    return audit.ok ? (audit.value as { action: string }[]).filter((a) => a.action === 'auth.failed').length : -1;
  };
  const before = await wrongPins();
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  for (const gaps of [[5, 5, 45, 5], [22, 38, 25, 31, 40, 21, 27]]) {
    await openPrompt(page);
    await scan(page, member.cardId, gaps);
    await expect(page.getByTestId('verdict')).toContainText('Card not read');
    await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
  }
  expect(await wrongPins()).toBe(before);
});

test('leaving the kiosk and signing out hands the station back to members', async ({ page, kiosk }) => {
  const member = (await actives(kiosk.url))[5]!;
  await page.goto(kiosk.url);
  await openPrompt(page);
  await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await page.keyboard.type(member.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toContainText(firstName(member));
});

// readme25 W1: a manager who signed in at a kiosk and walked away left member names, card numbers, member search and the
// door button on the public screen for good: nothing took the station back.
test('a staff screen left at a kiosk goes back to check-in after 2 min without use, and says so while up', async ({ page, kiosk }) => {
  const member = (await actives(kiosk.url))[6]!;
  await page.clock.install();
  await page.goto(kiosk.url);
  await openPrompt(page);
  await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByTestId('kiosk-staff-idle')).toHaveText('This kiosk goes back to check-in after 2 minutes without use.');
  await page.screenshot({ path: `${SHOTS}/kiosk-staff-idle-note.png` });
  await page.clock.fastForward(90_000);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible(); // not yet
  await page.mouse.move(200, 200); // use restarts the wait
  await page.clock.fastForward(90_000);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.clock.fastForward(31_000);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await page.keyboard.type(member.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toContainText(firstName(member));
});

test('a typed member id (M00006) checks that member in', async ({ page, kiosk }) => {
  let m: Member | undefined;
  await expect
    .poll(async () => {
      const r = await bridgeCall(kiosk.url, 'desk.lookup', { query: 'M00006' }, manager);
      m = r.ok ? (r.value as { members: Member[] }).members[0] : undefined;
      return m?.id;
    })
    .toBe('M00006');
  await page.goto(kiosk.url);
  await page.getByLabel('Card or member number').pressSequentially('M00006', { delay: 60 }); // a person typing
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toContainText(firstName(m!));
  await expect(page.getByTestId('verdict')).not.toContainText('Card not recognised');
});

test('no PIN is shown on the kiosk, and the PIN form fits its card (portrait and 1280x800)', async ({ page, kiosk }) => {
  for (const size of [
    { width: 1080, height: 1920, name: 'portrait' },
    { width: 1280, height: 800, name: '1280x800' },
  ]) {
    await page.setViewportSize(size);
    await page.goto(kiosk.url);
    await expect(page.getByRole('heading', WELCOME)).toBeVisible();
    await openPrompt(page);
    for (const pin of Object.values(DEMO_PINS)) await expect(page.locator('body')).not.toContainText(pin);
    const card = (await page.locator('.sign-in').boundingBox())!;
    for (const el of await page.locator('.sign-in input, .sign-in button, .sign-in h2, .sign-in .roles').all()) {
      const b = (await el.boundingBox())!;
      expect(b.x, 'left edge inside the card').toBeGreaterThanOrEqual(card.x);
      expect(b.x + b.width, 'right edge inside the card').toBeLessThanOrEqual(card.x + card.width + 0.5);
    }
    await page.screenshot({ path: `${SHOTS}/kiosk-admin-prompt-${size.name}.png` });
    await page.getByRole('button', { name: 'Back to check-in' }).click();
  }
});

test('a kiosk-by-address station whose sign-out leaves nobody signed in says "Station closed", even after a reload', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(`${host.url}&kiosk`);
    await expect(page.getByRole('heading', WELCOME)).toBeVisible();
    await openPrompt(page);
    await expect(page.locator('body')).not.toContainText(DEMO_PINS.manager);
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Station closed' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Station closed' })).toBeVisible();
    await expect(page.getByText('A manager can reopen it')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/kiosk-station-closed.png` });
    await page.getByRole('button', { name: 'Reopen this station' }).click();
    await page.getByRole('radio', { name: 'kiosk' }).check(); // the kiosk PIN reopens it too
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.kiosk);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  } finally {
    host.process.kill('SIGTERM');
  }
});

test('a kiosk started on a PC with no PINs tells IT at once, and its chord says how to set them, with no PIN to type', async ({ page, kiosk }) => {
  // A PC that has PINs (the demo's) is not told.
  expect(kiosk.stderr()).not.toContain('no PINs are set on this PC yet');
  const bare = await startWebHost(['--kiosk', '--backend', `ws://127.0.0.1:${await freePort()}`, '--backend-token', 'kiosk-token']);
  try {
    expect(bare.stderr()).toContain(
      'console: no PINs are set on this PC yet, so this kiosk cannot be closed or reopened (its manager PIN prompt has no PIN to take). To set them: stop the console, start it once with --desk, set the PINs there, then start it with --kiosk again.\n',
    );
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(bare.url);
    // Never reached its gym system, so no members list: members go to the desk (readme29 K2); the chord still works.
    await expect(page.getByRole('heading', { name: 'This station is not working right now' })).toBeVisible();
    await expect(async () => {
      await page.keyboard.press('Control+Alt+Shift+K');
      await expect(page.getByRole('alert')).toContainText('start it once with --desk', { timeout: 500 });
    }).toPass();
    await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
    // No PIN field, so nothing about typing a PIN at one's own pace.
    const footer = page.getByTestId('admin-prompt-footer');
    await expect(footer).toHaveText('Esc goes back too, as does 30 s without a key.');
    await page.screenshot({ path: `${SHOTS}/kiosk-no-pins-prompt-portrait.png` });
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 768 });
      await page.screenshot({ path: `${SHOTS}/kiosk-no-pins-prompt-${width}.png` });
    }
  } finally {
    await stopWebHost(bare);
  }
});

test('the manager PIN prompt still says to type the PIN at a person\'s pace where there is a PIN', async ({ page, kiosk }) => {
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await openPrompt(page);
  await expect(page.getByTestId('admin-prompt-footer')).toHaveText('Esc goes back too, as does 30 s without typing. Type the PIN at your own pace: a burst as fast as a card reader is taken as a scan.');
});

// probe-walk13b: at the hand-over the next member's verdict showed "Next member in 2 s" (the last
// verdict's count) under the new name, then jumped to 4 s: a tick of the old count, due at the same
// moment, landed after the new verdict went up and before it was drawn. That race is made certain
// here: after every timer the page runs, the countdown ticks then live run too, as if due together.
test("a verdict that follows another starts its countdown at its own full time, not the last one's", async ({ page, kiosk }) => {
  const [first, second] = (await actives(kiosk.url)).slice(10, 12);
  await page.addInitScript(() => {
    const ticks = new Map<unknown, () => void>();
    const { setInterval: every, clearInterval: stop, setTimeout: after } = window;
    window.setInterval = ((f: () => void, ms?: number, ...rest: unknown[]) => {
      const id = every(f, ms, ...rest);
      if (ms === 250) ticks.set(id, f);
      return id;
    }) as typeof window.setInterval;
    window.clearInterval = ((id?: number) => {
      ticks.delete(id);
      stop(id);
    }) as typeof window.clearInterval;
    window.setTimeout = ((f: TimerHandler, ms?: number, ...rest: unknown[]) =>
      after(() => {
        if (typeof f === 'function') (f as (...a: unknown[]) => void)(...rest);
        for (const tick of [...ticks.values()]) tick();
      }, ms)) as typeof window.setTimeout;
  });
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', WELCOME)).toBeVisible();
  await page.evaluate(() => {
    const drawn: string[] = [];
    (window as { drawn?: string[] }).drawn = drawn;
    new MutationObserver(() => drawn.push(document.querySelector('main')?.textContent ?? '')).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await scan(page, first!.cardId);
  await expect(page.getByText(firstName(first!), { exact: true })).toBeVisible();
  await scan(page, second!.cardId); // waits its turn: the first stays up 2 s
  await expect(page.getByText(firstName(second!), { exact: true })).toBeVisible({ timeout: 15_000 });
  const drawn = await page.evaluate(() => (window as { drawn?: string[] }).drawn!);
  expect(drawn.find((text) => text.includes(firstName(second!)) && text.includes('Next member in'))).toContain('Next member in 4 s');
  await page.screenshot({ path: `${SHOTS}/kiosk-next-verdict-countdown-portrait.png` });
  await expect(page.locator('.countdown')).toHaveText('Next member in 3 s'); // and it counts down from there
});

// probe-staff14 F4: "A manager can reopen it", yet the manager's PIN was "Wrong PIN." there (and a failed sign-in on
// Health); after Sign out, focus was on the page, not the button that reopens it.
test("a closed station is reopened with the manager's own PIN, from the Reopen button focused after Sign out", async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(`${host.url}&kiosk`);
    await expect(page.getByRole('heading', WELCOME)).toBeVisible();
    await openPrompt(page);
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Station closed' })).toBeVisible();
    const reopen = page.getByRole('button', { name: 'Reopen this station' });
    await expect(reopen).toBeFocused();
    await expect(page.getByText('A manager can reopen it with the manager PIN or the kiosk PIN.')).toBeVisible();
    for (const [w, h] of [[1080, 1920], [1366, 768], [1024, 768]]) {
      await page.setViewportSize({ width: w!, height: h! });
      await page.screenshot({ path: `${SHOTS}/kiosk-station-closed-${w}.png` });
    }
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Reopen this station' })).toBeVisible();
    await expect(page.getByRole('radio', { name: 'manager' })).toBeChecked();
    for (const [w, h] of [[1080, 1920], [1366, 768], [1024, 768]]) {
      await page.setViewportSize({ width: w!, height: h! });
      await page.screenshot({ path: `${SHOTS}/kiosk-station-reopen-${w}.png` });
    }
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.manager);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', WELCOME)).toBeVisible();
    // Opened for members, not as a manager's screen: the way out still asks for the manager PIN.
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    const audit = await bridgeCall(host.url, 'audit.list', undefined, manager);
    expect(audit.ok && (audit.value as { action: string }[]).filter((a) => a.action === 'auth.failed')).toEqual([]);
  } finally {
    host.process.kill('SIGTERM');
  }
});
