import type { AnalyticsView } from '../../src/shared/analytics';
import { DEMO_PINS } from '../../src/shared/roles';
import { test as base, expect, startWebHost, SHOTS, type RunningHost } from './host-fixture';
import { bridgeCall } from './bridge-client';

// Its own host: this spec takes every backend instance down.
const test = base.extend<{ own: RunningHost }>({
  own: async ({}, use) => {
    const host = await startWebHost(['--demo', '--demo-rate', '6000']);
    await use(host);
    host.process.kill('SIGTERM');
  },
});

const manager = { role: 'manager', pin: DEMO_PINS.manager };
const fault = async (url: string, action: 'kill' | 'restore'): Promise<void> => {
  for (const instance of [0, 1, 2]) expect(await bridgeCall(url, 'demo.fault', { instance, action }, manager)).toMatchObject({ ok: true });
};
const lastHour = async (url: string): Promise<AnalyticsView> => {
  const r = await bridgeCall(url, 'analytics.view', { range: { last: '1h' } }, manager);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as AnalyticsView;
};

test('a live outage is a gap in the latency chart: its samples have no reply time, none reads 0 ms', async ({ page, own }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(own.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1h', exact: true }).click();
  await expect.poll(async () => Number(await page.getByTestId('charts').getAttribute('data-points')), { timeout: 90_000 }).toBeGreaterThan(50);

  await fault(own.url, 'kill');
  // Five 10 s samples or more with nothing answering.
  await expect.poll(async () => (await lastHour(own.url)).outages.spells.at(-1)?.to ?? 0, { timeout: 120_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await lastHour(own.url)).outages.downMs, { timeout: 120_000 }).toBeGreaterThanOrEqual(50_000);
  await fault(own.url, 'restore');
  // Replies again after it: reply times in samples taken after the outage ended (two: a line, not a lone point).
  await expect
    .poll(
      async () => {
        const v = await lastHour(own.url);
        const end = v.outages.spells.at(-1)!.to;
        return v.series.filter((p) => p.ts >= end && p.v.latencyMs !== null).length;
      },
      { timeout: 90_000 },
    )
    .toBeGreaterThanOrEqual(2);

  const v = await lastHour(own.url);
  const spell = v.outages.spells.at(-1)!;
  const inside = v.series.filter((p) => p.ts >= spell.from && p.ts + 10_000 <= spell.to);
  expect(inside.length).toBeGreaterThanOrEqual(4);
  expect(inside.every((p) => p.v.latencyMs === null)).toBe(true);
  expect(v.series.filter((p) => p.v.latencyMs === 0)).toEqual([]);

  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h', exact: true }).click();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1h', exact: true }).click();
  await expect(page.getByTestId('trend-outages')).toContainText(/^⚠ 1 outage/);
  const chart = page.getByRole('figure', { name: /^Latency/ });
  await chart.scrollIntoViewIfNeeded();
  await page.getByTestId('charts').screenshot({ path: `${SHOTS}/fix-latency-live-outage.png` });
  await chart.screenshot({ path: `${SHOTS}/fix-latency-live-outage-latency.png` });
  // Close up: the minutes around it, each 10 s sample drawn.
  const local = (ms: number): string => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('Custom range from').fill(local(spell.from - 6 * 60_000));
  await page.getByLabel('Custom range to').fill(local(Date.now() + 60_000));
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Custom' }).click();
  await expect(page.getByTestId('trend-outages')).toContainText(/^⚠ 1 outage/);
  await chart.scrollIntoViewIfNeeded();
  await page.getByTestId('charts').screenshot({ path: `${SHOTS}/fix-latency-live-outage-close.png` });
});
