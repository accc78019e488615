import { test, expect, SHOTS, startWebHost } from './host-fixture';

test('when the console process dies, the header says so and every card shows how old its figures are', async ({ page }) => {
  const host = await startWebHost(['--demo', '--demo-rate', '600']);
  try {
    await page.goto(host.url);
    await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 10_000 });
    await expect(page.getByText('Everything has reached the backend.')).toBeVisible();
    host.process.kill('SIGKILL'); // no goodbye: the page only sees its socket drop
    await expect(page.getByTestId('link-lost')).toContainText(/Not connected to the console, reconnecting….*as of \d{1,2}:\d{2}:\d{2}/);
    // Occupancy, waiting to send, check-ins, demo traffic: each says its figures are old.
    await expect.poll(() => page.getByTestId('stale-note').count()).toBeGreaterThanOrEqual(4);
    for (const note of await page.getByTestId('stale-note').allTextContents()) expect(note).toMatch(/^As of \d{1,2}:\d{2}:\d{2}/);
    await expect(page.getByText('Everything has reached the backend.')).toHaveCount(0);
    await expect(page.getByRole('status', { name: /Backend connection: (Connected|Degraded|Offline)/ })).toHaveCount(0);
    await expect(page.getByText('Connected', { exact: true })).toHaveCount(0);
    // The Backend card's instances are last known states, said as such.
    const backend = page.getByRole('region', { name: 'Backend' });
    await expect(backend.getByTestId('stale-note')).toBeVisible();
    await expect(backend.locator('.endpoints li')).toHaveCount(3);
    for (const row of await backend.locator('.endpoints li').allTextContents()) expect(row).toMatch(/ was (connected|connecting…|down) /);
    await page.screenshot({ path: `${SHOTS}/stale-console-link-lost.png`, fullPage: true });
    // Health too (readme25 W7: an alert's "35 s so far" frozen, with Acknowledge and Silence offered as if they worked).
    await page.getByRole('tab', { name: 'Health' }).click();
    for (const id of ['alert-list', 'check-list']) await expect(page.getByTestId(id).getByTestId('stale-note')).toHaveText(/^As of \d{1,2}:\d{2}:\d{2}/);
    await expect(page.getByRole('button', { name: /^(Acknowledge|Silence 1 h)$/ })).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/stale-health.png`, fullPage: true });
  } finally {
    host.process.kill('SIGTERM');
  }
});
