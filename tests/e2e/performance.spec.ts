import { test, expect, SHOTS } from './host-fixture';

test('performance tab: six live charts over 5/15/60 minutes, fed once a second', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Performance' }).click();
  const now = page.getByTestId('perf-now');
  await expect(now).toContainText('Last 10 seconds: ');
  await expect(now).toContainText(/memory used by the console \d+ MB/);
  await expect(now).not.toContainText(/p50|p95|RSS|CPU|\blag\b/); // was "p50 12 ms, p95 … RSS 144 MB … CPU 0.8% · lag 14 ms"
  const first = await now.textContent();
  await expect.poll(() => now.textContent(), { timeout: 5_000 }).not.toBe(first); // live
  await expect(now).toContainText(/this screen \d+\.\d MB/); // the renderer's own heap, sampled beside main's figures
  await expect(page.getByTestId('perf-charts').locator('canvas')).toHaveCount(6);
  // The 60-minute window keeps growing for an hour, however long this worker's host has run.
  await page.getByRole('group', { name: 'Window' }).getByRole('button', { name: '60 min', exact: true }).click();
  // Each chart is fed outside React: the points it drew grow as the seconds come in.
  const points = async (title: string): Promise<number> => Number(await page.getByRole('figure', { name: new RegExp(`^${title},`) }).getAttribute('data-points'));
  const before = await points('Messages per second');
  await expect.poll(() => points('Messages per second'), { timeout: 5_000 }).toBeGreaterThan(before);
  for (const title of ['Reply time', 'Failed requests', 'Memory', 'Processor use \\(console\\)', 'Console response delay']) expect(await points(title)).toBeGreaterThan(0);
  await expect(page.getByTestId('perf-charts')).not.toContainText(/Latency|Throughput|Event-loop|p99|RSS|heap/);
  for (const w of ['15 min', '5 min', '60 min']) {
    await page.getByRole('group', { name: 'Window' }).getByRole('button', { name: w, exact: true }).click();
    await expect(page.getByRole('group', { name: 'Window' }).getByRole('button', { name: w, exact: true })).toHaveAttribute('aria-pressed', 'true');
  }
  const after = await points('Messages per second');
  await expect.poll(() => points('Messages per second'), { timeout: 5_000 }).toBeGreaterThan(after); // still live after re-creating the charts
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: `${SHOTS}/performance.png`, fullPage: true });
});

test('performance tab: charts stop drawing while the window is hidden, and catch up when shown', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Performance' }).click();
  await page.getByRole('group', { name: 'Window' }).getByRole('button', { name: '60 min', exact: true }).click();
  const figure = page.getByRole('figure', { name: /^Messages per second,/ });
  await expect(figure).toHaveAttribute('data-points', /[1-9]/);
  const setHidden = (hidden: boolean) =>
    page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  const frozen = await figure.getAttribute('data-points');
  await page.waitForTimeout(2_500); // two or three seconds of points arrive meanwhile
  expect(await figure.getAttribute('data-points')).toBe(frozen);
  await setHidden(false);
  expect(Number(await figure.getAttribute('data-points'))).toBeGreaterThan(Number(frozen)); // at once, not at the next second
});
