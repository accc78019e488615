import type { Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { DEMO_PINS } from '../../src/shared/roles';

const NEW_DESK = '4321';

async function signIn(page: Page, role: 'front desk' | 'manager', pin: string): Promise<void> {
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a manager changes the front desk PIN: bad input is said at its field, the desk screen is signed out, the old PIN is refused and the new one accepted', async ({ context }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    // The front desk's screen: signed in with the desk PIN.
    const desk = await context.newPage();
    await desk.goto(host.url);
    await desk.getByRole('button', { name: 'Sign out' }).click();
    await signIn(desk, 'front desk', DEMO_PINS.desk);
    await expect(desk.locator('.who-am-i')).toContainText('front desk');
    await expect(desk.getByRole('heading', { name: 'Change PINs' })).toHaveCount(0); // not offered to front desk

    // The manager's screen: after a sign-out the demo starts screens signed out.
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(host.url);
    await signIn(page, 'manager', DEMO_PINS.manager);
    await expect(page.locator('.who-am-i')).toContainText('manager');
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Change PINs' }) });
    const current = card.getByLabel('Current manager PIN');
    const newDesk = card.getByLabel('New front desk PIN');
    for (const f of [current, newDesk, card.getByLabel('New manager PIN', { exact: true }), card.getByLabel('Repeat new manager PIN'), card.getByLabel('New kiosk PIN')]) {
      await expect(f).toHaveAttribute('type', 'password');
      await expect(f).toHaveAttribute('inputmode', 'numeric');
    }
    const submit = card.getByRole('button', { name: 'Change PINs' });

    // Too short: said at its field, in its label's words, and what was typed stays.
    await current.fill(DEMO_PINS.manager);
    await newDesk.fill('12');
    await submit.click();
    await expect(card.locator('#pins-desk-error')).toHaveText('New front desk PIN must be 4 to 12 digits, numbers only.');
    await expect(newDesk).toHaveAttribute('aria-describedby', 'pins-desk-error');
    await expect(newDesk).toHaveValue('12');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/pins-bad-input.png`, fullPage: true });

    // The kiosk's PIN: only main knows it; still said at the field.
    await newDesk.fill(DEMO_PINS.kiosk);
    await submit.click();
    await expect(card.locator('#pins-desk-error')).toHaveText('New front desk PIN must differ from the kiosk PIN.');

    // A wrong current PIN: said at that field, nothing changed.
    await current.fill('0000');
    await newDesk.fill(NEW_DESK);
    await submit.click();
    await expect(card.locator('#pins-current-error')).toContainText('Current manager PIN is wrong; nothing was changed. After 2 more wrong manager PINs');
    await expect(current).toHaveValue('0000');
    await expect(newDesk).toHaveValue(NEW_DESK);
    await page.screenshot({ path: `${SHOTS}/pins-wrong-current.png`, fullPage: true });

    await current.fill(DEMO_PINS.manager);
    await submit.click();
    await expect(card.getByRole('status')).toHaveText('Front desk PIN changed. 1 other screen was signed out and must sign in with the new PIN.');
    await expect(current).toHaveValue('');
    await expect(card.locator('.error-text')).toHaveCount(0);
    await expect(page.locator('.who-am-i')).toContainText('manager'); // the manager who changed it stays
    await page.screenshot({ path: `${SHOTS}/pins-changed.png`, fullPage: true });

    // The desk screen is back at the sign-in, saying why; the old PIN no longer works, the new one does.
    await expect(desk.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(desk.getByRole('status')).toHaveText('A manager changed the front desk PIN. Sign in with the new one.');
    await desk.screenshot({ path: `${SHOTS}/pins-desk-signed-out.png` });
    await signIn(desk, 'front desk', DEMO_PINS.desk);
    await expect(desk.locator('#signin-error')).toHaveText('Wrong PIN.');
    await signIn(desk, 'front desk', NEW_DESK);
    await expect(desk.locator('.who-am-i')).toContainText('front desk');

    // In the audit log: which PIN, never the PIN.
    await page.getByRole('tab', { name: 'Analytics' }).click();
    await expect(page.getByTestId('audit')).toContainText(/Changed PINs\s+front desk/);
    await expect(page.getByTestId('audit')).not.toContainText(NEW_DESK);
  } finally {
    host.process.kill('SIGTERM');
  }
});
