import { test, expect, SHOTS, startWebHost } from './host-fixture';

// A PC in New York showing a gym set to Kathmandu (+05:45, no DST): the Analytics tab draws and says every
// time on the gym's clock, as the day rollups are stamped at the gym's midnight.
test.use({ timezoneId: 'America/New_York' });

test('with the gym\u2019s time zone not this PC\u2019s, bars, ticks and range fields follow the gym; screenshots', async ({ page }) => {
  test.setTimeout(120_000); // the demo's week of history takes a loaded machine a minute or more to write
  const host = await startWebHost(['--demo', '--demo-rate', '6000']);
  try {
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Analytics' }).click();
    const zone = page.getByLabel('Gym time zone');
    await expect(zone).toHaveAccessibleDescription(/Analytics charts and times/);
    await zone.fill('Asia/Kathmandu');
    await page.locator('.storage').getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#timezone-error')).toHaveCount(0);
    const range = page.getByRole('group', { name: 'Time range' });
    await expect(range.getByTestId('range-zone')).toHaveText(/Times in Asia\/Kathmandu \(the gym.s time zone\)/, { timeout: 15_000 });

    // The 7-day preset's fields read on the gym's clock (Kathmandu is +05:45 all year): its end is now there, not 9 h 45 min off.
    await range.getByRole('button', { name: '7d', exact: true }).click();
    const end = Date.parse(`${await range.getByLabel('Custom range to').inputValue()}:00+05:45`);
    expect(Math.abs(end - Date.now())).toBeLessThan(5 * 60_000);
    const charts = page.getByTestId('charts');
    await expect(charts.locator('figcaption').first()).toHaveText(/^Check-ins per 6 hours/, { timeout: 15_000 });
    // The demo's week of history is written just after it starts, oldest hour first: shots once it is all in,
    // an hourly point for each of the 7 × 24 h (Kathmandu has no DST) and one for the hour under way. "More
    // than 150" let a loaded machine's shots through with the last hours unwritten: bars tailing off, and an
    // Event log that jumped from the first live rows to 01:25, or in the 90-day range began at 03:25.
    await expect.poll(async () => Number(await charts.getAttribute('data-points')), { timeout: 90_000 }).toBeGreaterThanOrEqual(7 * 24 + 1);
    await expect(page.getByTestId('trend-not-enough')).toHaveCount(0, { timeout: 20_000 });
    await page.screenshot({ path: `${SHOTS}/analytics-gym-zone-7d.png`, fullPage: true });

    // 90 days back from now, typed in the gym's clock: day rollups, weekly bars from Monday.
    const to = await range.getByLabel('Custom range to').inputValue();
    const from = new Date(Date.parse(`${to}:00Z`) - 90 * 86_400_000).toISOString().slice(0, 16);
    await range.getByLabel('Custom range from').fill(from);
    await range.getByRole('button', { name: 'Custom' }).click();
    await expect(charts).toHaveAttribute('data-tier', 'day', { timeout: 15_000 });
    const caption = charts.locator('figcaption').first();
    await expect(caption).toHaveText(/^Check-ins per week · weeks run Monday to Sunday/);
    await expect(caption).not.toContainText(/\(\d{2,} h\)/); // "so far (150 h)" is said in days
    // The Event log runs up to the range's end: its newest row is in the minute before the "to" typed (the
    // demo scans at least 28 cards a minute), on the gym's clock.
    await expect(page.getByTestId('event-log').locator('li .num').first()).toHaveText(new RegExp(`^${clock12(Date.parse(`${to}:00Z`) - 60_000)}:\\d\\d [AP]M$`));
    await page.screenshot({ path: `${SHOTS}/analytics-gym-zone-90d.png`, fullPage: true });
  } finally {
    host.process.kill('SIGTERM');
  }
});

/** "hh:mm" on a 12-hour clock for a wall time held as UTC, as the Event log writes the gym's times (06:24:58 AM). */
function clock12(wallAsUtc: number): string {
  const d = new Date(wallAsUtc);
  return `${String(d.getUTCHours() % 12 || 12).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

test('a custom range typed while the gym\u2019s zone arrives or changes stays as typed; a preset still moves the fields', async ({ page }) => {
  const host = await startWebHost(['--demo']);
  try {
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Analytics' }).click();
    const range = page.getByRole('group', { name: 'Time range' });
    await expect(page.getByTestId('charts')).toBeVisible({ timeout: 15_000 });
    // Typed, not yet applied: the zone's arrival (the tab's first answer, or a new setting) used to remount the fields, clearing them.
    await range.getByLabel('Custom range from').fill('2026-01-05T10:00');
    await range.getByLabel('Custom range to').fill('2026-01-06T10:00');
    await page.getByLabel('Gym time zone').fill('Asia/Kathmandu');
    await page.locator('.storage').getByRole('button', { name: 'Save' }).click();
    await expect(range.getByTestId('range-zone')).toHaveText(/Times in Asia\/Kathmandu/, { timeout: 15_000 });
    await expect(range.getByLabel('Custom range from')).toHaveValue('2026-01-05T10:00');
    await expect(range.getByLabel('Custom range to')).toHaveValue('2026-01-06T10:00');
    // A preset moves them to its span on the gym's clock.
    await range.getByRole('button', { name: '7d', exact: true }).click();
    const end = Date.parse(`${await range.getByLabel('Custom range to').inputValue()}:00+05:45`);
    expect(Math.abs(end - Date.now())).toBeLessThan(5 * 60_000);
  } finally {
    host.process.kill('SIGTERM');
  }
});
