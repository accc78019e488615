import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost, stopWebHost } from './host-fixture';

/** The console's answers to `name` replaced by `value`: what a console of another version, or a bug, could send a screen. */
/** `value` in place of every good answer to `name`; `{ result }` for the whole answer, a refusal's included. */
async function garbleReplies(page: Page, name: string, value: unknown): Promise<void> {
  await page.routeWebSocket(/\/bridge/, (ws) => {
    const server = ws.connectToServer();
    const ids = new Set<unknown>();
    ws.onMessage((m) => {
      if (typeof m === 'string' && (JSON.parse(m) as { name?: string }).name === name) ids.add((JSON.parse(m) as { id: unknown }).id);
      server.send(m);
    });
    server.onMessage((m) => {
      const frame = typeof m === 'string' ? (JSON.parse(m) as { id?: unknown; result?: { ok: boolean } }) : null;
      const whole = value !== null && typeof value === 'object' && 'result' in value ? (value as { result: unknown }).result : null;
      if (frame && ids.has(frame.id) && (frame.result?.ok || whole)) return ws.send(JSON.stringify({ id: frame.id, result: whole ?? { ok: true, value } }));
      ws.send(m);
    });
  });
}

const logOf = (dataDir: string): string => {
  try {
    return readFileSync(join(dataDir, 'logs', 'console.log'), 'utf8');
  } catch {
    return '';
  }
};

test('a tab that cannot draw says so in its place; the header and other tabs keep working, and the log says what failed', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '0']);
  try {
    // A source it knows nothing of, and none of the figures: the tab's drawing fails, its loading does not.
    await garbleReplies(page, 'analytics.view', { source: { kind: 'from another version' } });
    await page.goto(host.url);
    await expect(page.locator('.who-am-i')).toContainText('manager');
    await page.getByRole('tab', { name: 'Analytics' }).click();
    const failed = page.getByTestId('part-failed');
    await expect(failed).toContainText('The Analytics tab could not be shown');
    await expect(failed).toContainText('nothing is lost');
    await page.screenshot({ path: `${SHOTS}/screen-fault-tab.png`, fullPage: true });
    // The rest of the console: header, tabs, another tab's contents.
    await expect(page.getByTestId('health-pill')).toBeVisible();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect(page.getByRole('heading', { name: 'Front desk' })).toBeVisible();
    await expect(page.getByTestId('part-failed')).toHaveCount(0);
    await expect.poll(() => logOf(host.dataDir), { timeout: 10_000 }).toMatch(/Analytics tab stopped working \(manager\): /);
  } finally {
    await stopWebHost(host);
  }
});

test('a kiosk given an answer it cannot read tells the member to go to the desk, never leaves them waiting', async ({ page }) => {
  const host = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    await garbleReplies(page, 'desk.checkin', null);
    await page.goto(host.url);
    const box = page.getByLabel('Card or member number');
    await box.pressSequentially('M00006', { delay: 60 });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('verdict')).toContainText("could not read the console's answer");
    await expect(page.getByTestId('verdict')).toContainText('front desk');
  } finally {
    await stopWebHost(host);
  }
});

test('a kiosk screen that cannot draw sends the queue to the desk and starts again by itself', async ({ page }) => {
  const host = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    // A refusal whose words are not words: the verdict's drawing fails. (A garbled verdict no longer can: the kiosk
    // reads every check-in through its shape, kiosk-replies.ts, which keeps only reasons it says.)
    await garbleReplies(page, 'desk.checkin', { result: { ok: false, error: { code: 'from-another-version', message: { words: 'none' } } } });
    await page.goto(host.url);
    await page.getByLabel('Card or member number').pressSequentially('M00006', { delay: 60 });
    await page.keyboard.press('Enter');
    const fault = page.getByTestId('station-fault');
    await expect(fault).toContainText('Please check in at the front desk');
    // A demo kiosk says so on every screen, this one too (review22 L11).
    await expect(page.getByTestId('demo-badge')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/screen-fault-kiosk.png`, fullPage: true });
    await expect.poll(() => logOf(host.dataDir), { timeout: 10_000 }).toMatch(/kiosk stopped working/);
    // It starts again by itself, ready for the next member.
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 30_000 });
  } finally {
    await stopWebHost(host);
  }
});
