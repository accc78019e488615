import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, startWebHost, stopWebHost, SHOTS } from './host-fixture';
import { demoMembers } from './bridge-client';

// probe-hostile21 J10: the README started a kiosk's browser with the console's address on its command line, token and
// all, where every user of the PC can read it (`ps`). Any program holding it was a kiosk screen without a PIN, and could
// open screens until the real kiosk's was closed to make room. The browser now opens a file only this PC user can read.

test("kiosk PC: the browser opens the kiosk's page, which holds the address; the token is never on its command line", async ({ page }) => {
  const kiosk = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    const token = new URLSearchParams(new URL(kiosk.url).hash.slice(1)).get('token')!;
    let href = '';
    await expect.poll(() => (href = /the kiosk's browser opens (file:\S+) /.exec(kiosk.stderr())?.[1] ?? '')).toMatch(/^file:.*kiosk-screen\.html$/);
    // What a browser started as the README says shows every user of the PC: the page's name, not the token.
    expect(href).not.toContain(token);
    if (process.platform !== 'win32') expect(statSync(fileURLToPath(href)).mode & 0o777).toBe(0o600);

    const active = (await demoMembers(kiosk.url, 'a')).find((m) => m.status === 'active')!;
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.goto(href);
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(kiosk.url).host);
    await page.keyboard.type(active.cardId, { delay: 6 });
    await page.keyboard.press('Enter');
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toHaveText(`✓${active.name.split(' ')[0]}Allowed`);
    await page.screenshot({ path: `${SHOTS}/kiosk-page-verdict.png` });
    // Reloaded (a kiosk browser restarting on the same page), it is a kiosk again, open for scans.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible();
  } finally {
    await stopWebHost(kiosk);
  }
});
