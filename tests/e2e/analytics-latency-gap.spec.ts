import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, SHOTS } from './host-fixture';
import { EXPORT_MAGIC, METRICS } from '../../src/shared/analytics';

const HOUR = 3_600_000;

/**
 * Three hours of a gym's figures with the middle one offline (nothing answering), as a JSON export.
 * `format` 4 writes that hour's latency as null; 3 as the consoles before it did: 0 ms, no connection open.
 */
function exportWithOutage(format: 3 | 4): string {
  const to = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const from = to - 3 * HOUR;
  const samples = Array.from({ length: 3 * 360 }, (_, i) => {
    const ts = from + i * 10_000;
    const down = ts >= from + HOUR && ts < from + 2 * HOUR;
    const v = Object.fromEntries(METRICS.map((m) => [m, m === 'errorRate' ? 0 : 1]));
    return { ts, ...v, connections: down ? 0 : 6, latencyMs: down ? (format === 4 ? null : 0) : 3 + 2 * Math.sin(i / 20) + (i % 7) / 7, occupancy: 40, allowed: 0, denied: 0 };
  });
  const uptime = [0, 1, 2].map((h) => ({ hour: from + h * HOUR, target: '', up: h === 1 ? 0 : 360, n: 360 }));
  const meta = { magic: EXPORT_MAGIC, version: format, site: `Gap gym ${format}`, timezone: 'UTC', from, to, exportedAt: to, app: 'e2e' };
  const file = join(mkdtempSync(join(tmpdir(), 'gym-gap-')), `outage-format-${format}.json`);
  writeFileSync(file, JSON.stringify({ meta, events: [], samples, uptime }));
  return file;
}

for (const format of [4, 3] as const) {
  test(`an outage in an export (format ${format}) is a gap in the latency chart, not a plunge to 0 ms`, async ({ page, host }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Analytics' }).click();
    await page.getByLabel('Export files to open').setInputFiles(exportWithOutage(format));
    await expect(page.getByTestId('export-banner')).toContainText(`Gap gym ${format}`);
    await expect(page.getByTestId('trend-outages')).toContainText(/^⚠ 1 outage: the gym system could not be reached for 1 h/);
    // The mean reply time is of the hours that had replies: the offline hour taken as 0 ms made it about 2.3 ms.
    await expect(page.getByRole('region', { name: 'Trends and forecast' })).toContainText(/Response time \w+: about 3\.\d ms/);
    const chart = page.getByRole('figure', { name: /^Latency/ });
    // Its latest figure is a reply time.
    await expect(chart).toHaveAttribute('aria-label', /^Latency: latest Mean round trip \d/);
    await chart.scrollIntoViewIfNeeded();
    await page.getByTestId('charts').screenshot({ path: `${SHOTS}/fix-latency-gap-format-${format}.png` });
    await chart.screenshot({ path: `${SHOTS}/fix-latency-latency-chart-format-${format}.png` });
    await page.getByRole('region', { name: 'Trends and forecast' }).screenshot({ path: `${SHOTS}/fix-latency-trends-format-${format}.png` });
  });
}
