import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, expect, SHOTS } from './host-fixture';

test('each range draws 7 days of demo history from the right tier; screenshots', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const tiers: Record<string, string> = { '1h': '10s', '6h': '10s', '24h': '10s', '7d': 'hour' };
  for (const [r, tier] of Object.entries(tiers)) {
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: r, exact: true }).click();
    const charts = page.getByTestId('charts');
    await expect(charts).toHaveAttribute('data-tier', tier, { timeout: 15_000 });
    await expect.poll(async () => Number(await charts.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(r === '7d' ? 150 : 50);
    await page.screenshot({ path: `${SHOTS}/analytics-${r}.png`, fullPage: true });
  }
  await expect(page.getByTestId('forecast')).toContainText('Next hour');
  await expect(page.getByTestId('event-log').locator('li').first()).toBeVisible();
});

test('export a range, open it read-only, see it labelled, go back to live', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '7d', exact: true }).click();
  await page.getByLabel('Export format').selectOption('sqlite');
  await page.getByRole('button', { name: 'Export this range' }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('events saved to', { timeout: 30_000 });
  const file = (await done.locator('.num').textContent())!;
  // The download link serves the file only with the token.
  const href = (await done.getByRole('link', { name: 'Download' }).getAttribute('href'))!;
  expect((await page.request.get(new URL(href, host.url).toString())).status()).toBe(200);
  expect((await page.request.get(new URL(href.replace(/token=[^&]+/, 'token=nope'), host.url).toString())).status()).toBe(401);

  // A foreign file is refused and nothing changes.
  const bogus = join(host.dataDir, 'not-an-export.json');
  writeFileSync(bogus, '{"hello":"world"}');
  const chooser = page.getByLabel('Export files to open');
  await chooser.setInputFiles(bogus);
  await expect(page.getByRole('alert').filter({ hasText: 'not-an-export.json is not an AV Gym Console export' })).toBeVisible();
  await page.locator('.export-panel').screenshot({ path: `${SHOTS}/analytics-open-export-refused.png` });
  await expect(page.getByTestId('export-banner')).toHaveCount(0);

  // Choosing the files opens them: the same export twice is a merged two-file review.
  await chooser.setInputFiles([file, file]);
  await expect(page.getByTestId('export-banner')).toContainText('Read-only export');
  await expect(page.getByTestId('export-banner')).toContainText('Demo gym + Demo gym');
  await expect(page.getByTestId('export-banner')).toContainText(`${basename(file)}, ${basename(file)}`);
  await expect(page.getByTestId('charts')).toHaveAttribute('data-tier', 'hour');
  await page.screenshot({ path: `${SHOTS}/analytics-opened-export.png`, fullPage: true });
  await page.getByRole('button', { name: 'Back to live data' }).click();
  await expect(page.getByTestId('export-banner')).toHaveCount(0);
  // Closing the review removed the uploaded copies.
  await expect.poll(() => readdirSync(join(host.dataDir, 'uploads')).length).toBe(0);
});

test('event log: filter by type and text, pause', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('checkbox', { name: 'error' }).check();
  const log = page.getByTestId('event-log');
  await expect(log.locator('li').first()).toContainText('error');
  for (const t of await log.locator('.cat').allTextContents()) expect(t).toBe('error');
  await page.getByRole('checkbox', { name: 'error' }).uncheck();
  await page.getByLabel('Filter events by text').fill('ECONNREFUSED');
  await expect(log.locator('li').first()).toContainText('ECONNREFUSED');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
});
