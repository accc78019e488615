import { test, expect, SHOTS } from './host-fixture';

test('performance tab: six live charts over 5/15/60 minutes, fed once a second', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Performance' }).click();
  const now = page.getByTestId('perf-now');
  await expect(now).toContainText('p50');
  const first = await now.textContent();
  await expect.poll(() => now.textContent(), { timeout: 5_000 }).not.toBe(first); // live
  await expect(page.getByTestId('perf-charts').locator('canvas')).toHaveCount(6);
  // Each chart is fed outside React: the points it drew grow as the seconds come in.
  const points = async (title: string): Promise<number> => Number(await page.getByRole('figure', { name: new RegExp(`^${title},`) }).getAttribute('data-points'));
  const before = await points('Throughput');
  await expect.poll(() => points('Throughput'), { timeout: 5_000 }).toBeGreaterThan(before);
  for (const title of ['Latency', 'Error rate', 'Memory', 'CPU \\(main\\)', 'Event-loop lag \\(p99\\)']) expect(await points(title)).toBeGreaterThan(0);
  for (const w of ['15 min', '60 min', '5 min']) {
    await page.getByRole('group', { name: 'Window' }).getByRole('button', { name: w, exact: true }).click();
    await expect(page.getByRole('group', { name: 'Window' }).getByRole('button', { name: w, exact: true })).toHaveAttribute('aria-pressed', 'true');
  }
  const after = await points('Throughput');
  await expect.poll(() => points('Throughput'), { timeout: 5_000 }).toBeGreaterThan(after); // still live after re-creating the charts
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: `${SHOTS}/performance.png`, fullPage: true });
});
