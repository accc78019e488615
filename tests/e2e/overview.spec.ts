import { test, expect, SHOTS, startWebHost } from './host-fixture';

test('npm run web -- --demo, as shipped, shows check-ins within 5 s of start', async ({ page }) => {
  const t0 = Date.now();
  const fresh = await startWebHost(['--demo']);
  try {
    await page.goto(fresh.url);
    await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible({ timeout: 5_000 });
    expect(Date.now() - t0).toBeLessThan(5_000);
    await expect(page.getByTestId('occupancy')).not.toHaveText(/^0\b/); // a warm gym, not an empty one
  } finally {
    fresh.process.kill('SIGTERM');
  }
});

test('the demo console shows live check-ins on Overview', async ({ page, host }) => {
  const t0 = Date.now();
  await page.goto(host.url);
  await expect(page.getByText('DEMO GYM')).toBeVisible();
  const rows = page.getByTestId('checkin-rows').locator('tr');
  await expect(rows.first()).toBeVisible({ timeout: 5_000 });
  expect(Date.now() - t0).toBeLessThan(5_000);
  await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible();
  // Live: newer rows arrive while we watch (by sequence: once the feed shows its cap of 50, the count stays put).
  const newest = async (): Promise<number> => Number(await rows.first().getAttribute('data-seq'));
  const before = await newest();
  await expect.poll(newest, { timeout: 10_000 }).toBeGreaterThan(before);
  // Every denial says why.
  for (const text of await page.locator('tr.denied .verdict').allTextContents()) expect(text).toMatch(/^Denied: \w/);
  // Every row says where it was taken, in a word staff use.
  await expect(page.getByRole('columnheader', { name: 'Where' })).toBeVisible();
  const places = await page.getByTestId('checkin-rows').locator('td.place').allTextContents();
  expect(places.length).toBeGreaterThan(0);
  for (const p of places) expect(['door', 'desk', 'kiosk', 'this PC']).toContain(p);
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.locator('section.feed').screenshot({ path: `${SHOTS}/overview-feed-where-${width}.png` });
  }
  await page.screenshot({ path: `${SHOTS}/overview.png` });
});

test('each tab opens by click and by keyboard, and is screenshotted', async ({ page, host }) => {
  await page.goto(host.url);
  const tabs = ['Overview', 'Connection Pools', 'Performance', 'Analytics', 'Health'];
  for (const [i, name] of tabs.entries()) {
    await page.getByRole('tab', { name }).click();
    await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
    await page.screenshot({ path: `${SHOTS}/tab-${i + 1}-${name.toLowerCase().replace(/ /g, '-')}.png` });
  }
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Overview' }).press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Connection Pools' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('tab', { name: 'Health' })).toHaveAttribute('aria-selected', 'true');
  // The header's health status opens the Health tab from any other.
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('health-pill').click();
  await expect(page.getByRole('tab', { name: 'Health' })).toHaveAttribute('aria-selected', 'true');
});

test('the demo rate slider reaches the simulator through the contract', async ({ page, host }) => {
  await page.goto(host.url);
  const slider = page.getByLabel('Demo arrivals per hour at peak');
  await slider.fill('3000');
  await expect(page.getByText('Arrivals per hour at peak: 3000')).toBeVisible();
});

test('the console has an icon: the page links it and /favicon.ico is served', async ({ page, host }) => {
  await page.goto(host.url);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  const icon = await page.request.get(new URL(href!, host.url).toString());
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/svg+xml');
  expect(await icon.text()).toContain('<svg');
  const ico = await page.request.get(new URL('/favicon.ico', host.url).toString());
  expect(ico.status()).toBe(200);
  expect(await ico.text()).toBe(await icon.text());
  // Drawn at both ends of its range, to look at: a browser tab and an app icon.
  for (const size of [16, 512]) {
    await page.setContent(`<img src="data:image/svg+xml;base64,${Buffer.from(await icon.text()).toString('base64')}" width="${size}" height="${size}">`);
    await page.locator('img').screenshot({ path: `${SHOTS}/icon-${size}.png` });
  }
});

test('a page without the token gets no data and says what to do', async ({ page, host }) => {
  await page.goto(host.url.replace(/#.*/, ''));
  await expect(page.getByText('This address lacks its key (the #token=… part). Open the whole address the console printed when it started')).toBeVisible();
  await expect(page.getByText('npm run web')).toHaveCount(0);
});

test('dark theme follows the OS', async ({ browser, host }) => {
  const ctx = await browser.newContext({ colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible({ timeout: 5_000 });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(17, 22, 29)');
  await page.screenshot({ path: `${SHOTS}/overview-dark.png` });
  await ctx.close();
});

test('refuses bad flags with a clear message', async () => {
  await expect(startWebHost(['--port', 'banana'])).rejects.toThrow(/--port must be a whole number/);
  await expect(startWebHost(['--backend', 'http://x:1', '--backend-token', 't'])).rejects.toThrow(/must start with ws:\/\/ or wss:\/\//);
});

test('the backend token given once is kept in a file only this user can read, and it says so', async () => {
  const { statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const host = await startWebHost(['--backend', 'ws://127.0.0.1:9', '--backend-token', 's3cret-token']);
  try {
    expect(host.stderr()).toMatch(/backend token saved in .*backend-token \(mode 0600: readable only by this user\)/);
    expect(statSync(join(host.dataDir, 'backend-token')).mode & 0o777).toBe(0o600);
  } finally {
    host.process.kill('SIGTERM');
  }
});
