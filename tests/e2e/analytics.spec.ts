import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, expect, SHOTS } from './host-fixture';

test('each range draws 7 days of demo history from the right tier; screenshots', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const tiers: Record<string, string> = { '1h': '10s', '6h': '10s', '24h': '10s', '7d': 'hour' };
  // Bars sized to the range: 720 two-minute buckets over 24h were hairlines.
  const bars: Record<string, string> = { '1h': '2 minutes', '6h': '10 minutes', '24h': 'hour', '7d': '6 hours' };
  for (const [r, tier] of Object.entries(tiers)) {
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: r, exact: true }).click();
    const charts = page.getByTestId('charts');
    await expect(charts).toHaveAttribute('data-tier', tier, { timeout: 15_000 });
    // The title, then a note on the bar still under way ("· pale bars are incomplete; the last: so far (37 s)").
    await expect(charts.locator('figcaption').first()).toHaveText(new RegExp(`^Check-ins per ${bars[r]}( · |$)`));
    await expect.poll(async () => Number(await charts.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(r === '7d' ? 150 : 50);
    await page.screenshot({ path: `${SHOTS}/analytics-${r}.png`, fullPage: true });
  }
  await expect(page.getByTestId('forecast')).toContainText('Next full hour');
  await expect(page.getByTestId('event-log').locator('li').first()).toBeVisible();
});

test('export a range, open it read-only, see it labelled, go back to live', async ({ page, host }) => {
  await page.clock.install(); // time runs as usual; the review below moves the PC's clock on
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '7d', exact: true }).click();
  await page.getByLabel('Export format').selectOption('sqlite');
  await page.getByRole('button', { name: 'Export this range' }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('events saved as', { timeout: 30_000 });
  // Walkthrough 14b M1: "67087 events" here beside "67,087 events" in the event log; a week of demo is thousands.
  await expect(done).toContainText(/^\d{1,3}(,\d{3})+ events saved as/);
  const file = (await done.locator('.num').getAttribute('data-path'))!;
  // Download asks the bridge for a single-use ticket first: the page token alone (a kiosk's too) serves nothing.
  const saving = page.waitForEvent('download');
  await done.getByRole('button', { name: 'Download' }).click();
  const downloaded = await saving;
  expect(downloaded.suggestedFilename()).toBe(basename(file));
  expect(readFileSync((await downloaded.path())!).equals(readFileSync(file))).toBe(true);
  await expect(page.getByRole('alert')).toHaveCount(0);
  const token = new URL(host.url).hash.slice('#token='.length);
  expect((await page.request.get(new URL(`/exports/${basename(file)}?token=${token}`, host.url).toString())).status()).toBe(403);

  // A foreign file is refused and nothing changes.
  const bogus = join(host.dataDir, 'not-an-export.json');
  writeFileSync(bogus, '{"hello":"world"}');
  const chooser = page.getByLabel('Export files to open');
  await chooser.setInputFiles(bogus);
  await expect(page.getByRole('alert').filter({ hasText: 'not-an-export.json is not an AV Gym Console export' })).toBeVisible();
  await page.locator('.export-panel').screenshot({ path: `${SHOTS}/analytics-open-export-refused.png` });
  await expect(page.getByTestId('export-banner')).toHaveCount(0);

  // Choosing a file opens it (the same file twice is counted once: see the test below).
  await chooser.setInputFiles(file);
  await expect(page.getByTestId('export-banner')).toContainText('Read-only export');
  await expect(page.getByTestId('export-banner')).toContainText('Demo gym');
  await expect(page.getByTestId('export-simulated')).toContainText('these visits are made up');
  await expect(page.getByTestId('export-real')).toHaveCount(0);
  // This PC's demo badge and audit log sit around the export's figures: each says whose it is.
  await expect(page.getByTestId('export-not-this-pc')).toHaveText("The trends, charts and event log below are the export's; the DEMO GYM badge above is about this PC, not the export.");
  await expect(page.getByRole('heading', { name: 'Audit log of this PC' })).toBeVisible();
  await expect(page.getByTestId('audit-this-pc')).toHaveText('Changes made on this PC, not at the gym whose export is open: exports carry no audit log.');
  await expect(page.getByTestId('export-banner')).toContainText(basename(file));
  await expect(page.getByTestId('charts')).toHaveAttribute('data-tier', 'hour');
  // The PC's clock has moved on since the export was made: a preset still counts back from the
  // export's end, in the date fields as in the banner (they used to disagree by that much).
  await page.clock.setSystemTime(Date.now() + 10 * 60_000);
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '24h', exact: true }).click();
  const fields = [await page.getByLabel('Custom range from').inputValue(), await page.getByLabel('Custom range to').inputValue()];
  const shown = await page.evaluate((fs) => fs.map((v) => new Date(v).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })), fields);
  await expect(page.getByTestId('export-banner')).toContainText(`${shown[0]} – ${shown[1]}`);
  await page.screenshot({ path: `${SHOTS}/analytics-opened-export.png`, fullPage: true });
  await page.getByRole('button', { name: 'Back to live data' }).click();
  await expect(page.getByTestId('export-banner')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Audit log', exact: true })).toBeVisible();
  await expect(page.getByTestId('audit-this-pc')).toHaveCount(0);
  // Closing the review removed the uploaded copies.
  await expect.poll(() => readdirSync(join(host.dataDir, 'uploads')).length).toBe(0);
});

test('a 7-day export opens on all 7 days, and the banner says what the file covers and what is shown', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const ranges = page.getByRole('group', { name: 'Time range' });
  await ranges.getByRole('button', { name: '7d', exact: true }).click();
  await page.getByLabel('Export format').selectOption('sqlite');
  await page.getByRole('button', { name: 'Export this range' }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('events saved as', { timeout: 30_000 });
  const file = (await done.locator('.num').getAttribute('data-path'))!;
  // Looking at the last 24 h when the export is opened: it still opens on all it covers.
  await ranges.getByRole('button', { name: '24h', exact: true }).click();
  await page.getByLabel('Export files to open').setInputFiles(file);
  const span = page.getByTestId('export-span');
  await expect(span).toContainText(/^This file covers .+ – .+ \(7 days\); all of it is shown\.$/);
  await expect(page.getByTestId('charts')).toHaveAttribute('data-tier', 'hour');
  await expect(ranges.getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  const fields = [await page.getByLabel('Custom range from').inputValue(), await page.getByLabel('Custom range to').inputValue()];
  expect(new Date(fields[1]!).getTime() - new Date(fields[0]!).getTime()).toBe(7 * 86_400_000);
  await page.screenshot({ path: `${SHOTS}/analytics-review-whole-span.png` });
  // A shorter range of it says both: what the file covers, and what is shown.
  await ranges.getByRole('button', { name: '24h', exact: true }).click();
  await expect(span).toContainText(/\(7 days\); shown: .+ – .+ \(24 hours\)\./);
  await page.getByTestId('export-banner').screenshot({ path: `${SHOTS}/analytics-review-part-shown.png` });
  await span.getByRole('button', { name: 'Show all of it' }).click();
  await expect(span).toContainText('all of it is shown.');
  // Back to live data: the range shown before the export was opened.
  await page.getByRole('button', { name: 'Back to live data' }).click();
  await expect(page.getByTestId('export-banner')).toHaveCount(0);
  await expect(ranges.getByRole('button', { name: '24h', exact: true })).toHaveAttribute('aria-pressed', 'true');
});

test('a custom range in the future, or before the records, says so plainly', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const pick = async (from: number, to: number): Promise<void> => {
    const local = (ms: number): string => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('Custom range from').fill(local(from));
    await page.getByLabel('Custom range to').fill(local(to));
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Custom' }).click();
  };
  const trends = page.getByRole('region', { name: 'Trends and forecast' });
  const DAY = 86_400_000;
  await pick(Date.now() + DAY, Date.now() + 2 * DAY);
  await expect(page.getByTestId('trend-not-enough')).toHaveText('This range is in the future: nothing has been recorded in it yet.');
  await expect(page.getByTestId('forecast')).toHaveText('No forecast for a range in the future: forecasts are for the next hour; pick 1h, 6h, 24h or 7d.');
  await trends.screenshot({ path: `${SHOTS}/analytics-range-future.png` });
  // The demo keeps 7 days: a day a month ago holds nothing, and that is said, with when the records start.
  await pick(Date.now() - 30 * DAY, Date.now() - 29 * DAY);
  await expect(page.getByTestId('trend-not-enough')).toHaveText(/^There is no data in this range: the records start .+\.$/);
  await expect(trends).not.toContainText('Not enough data');
  await trends.screenshot({ path: `${SHOTS}/analytics-range-before-data.png` });
});

test('event log: filter by type and text, pause', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await expect(page.getByTestId('category-hint')).toHaveText('None ticked: all are shown.');
  await page.getByRole('checkbox', { name: 'Problem' }).check();
  await expect(page.getByTestId('category-hint')).toHaveText('Only the ticked types are shown.');
  const log = page.getByTestId('event-log');
  await expect(log.locator('li').first()).toContainText('Problem');
  for (const t of await log.locator('.cat').allTextContents()) expect(t).toBe('Problem');
  await page.getByRole('checkbox', { name: 'Problem' }).uncheck();
  await page.getByLabel('Filter events by text').fill('Nothing is listening');
  await expect(log.locator('li').first()).toContainText('Could not connect');
  await expect(log.locator('li').first()).toContainText("Nothing is listening at the backend's address");
  // readme21 R13: a reason cut to three lines keeps its whole text on hover, and the screen says a click opens it.
  const reason = log.locator('li').first().locator('.event-row > span:last-child');
  expect(await reason.getAttribute('title')).toBe(await reason.textContent());
  await expect(page.getByText('Click a row to read all of it.')).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await log.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/analytics-event-log-1280.png` });
  // An error code is the log file's, never the event log's.
  await page.getByLabel('Filter events by text').fill('ECONNREFUSED');
  await expect(log.locator('li')).toHaveCount(0);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
});

test('rows brought in with "Load older" stay while the live log refreshes above them', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('checkbox', { name: 'Check-in' }).check();
  const log = page.getByTestId('event-log');
  await expect(log.locator('li')).toHaveCount(100, { timeout: 15_000 });
  await expect(log.locator('.cat').filter({ hasNotText: 'Check-in' })).toHaveCount(0); // the filter's answer is in
  await page.getByRole('button', { name: 'Load older' }).click();
  await expect(log.locator('li')).toHaveCount(200);
  const oldest = await log.locator('li').nth(150).textContent();
  const top = await log.locator('li').first().textContent();
  // The demo checks members in all the time: a new top row is the 5-second refresh having run.
  await expect.poll(async () => log.locator('li').first().textContent(), { timeout: 30_000 }).not.toBe(top);
  await expect(log.locator('li')).toHaveCount(200);
  await expect(log.locator('li', { hasText: oldest! }).first()).toBeVisible();
});

test('the event log and trends speak staff words: no verdict or event codes, no percentages from tiny numbers', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('checkbox', { name: 'Check-in' }).check();
  const log = page.getByTestId('event-log');
  await expect(log.locator('li').first()).toContainText(/Allowed|Denied/);
  const text = (await log.innerText()) + (await page.getByRole('region', { name: 'Trends and forecast' }).innerText());
  expect(text).not.toMatch(/\b(unknown-card|expiring-soon|capacity-full|ok|allowed|denied|checkin)\b/);
  expect(text).not.toMatch(/σ/);
  await page.getByRole('checkbox', { name: 'Check-in' }).uncheck();
  await page.getByRole('checkbox', { name: 'Connection', exact: true }).check();
  await expect(log.locator('li').first()).toContainText('Connection');
  expect(await log.innerText()).not.toMatch(/\b(connected|disconnected|breaker-open|failover)\b/);
  // Read as text, a row's columns stay apart: "05:04:20 PM Connection Connected 127.0.0.1:44993 instance-2".
  expect(await log.locator('li').first().textContent()).toMatch(/^\S+ (AM|PM)? ?Connection \S/);
  expect(await log.locator('li').first().textContent()).toMatch(/:\d+ \S/);
  await page.screenshot({ path: `${SHOTS}/analytics-words.png`, fullPage: true });
});

test('presets move the date fields to the span they show', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const span = async (): Promise<number> => {
    const from = new Date(await page.getByLabel('Custom range from').inputValue()).getTime();
    const to = new Date(await page.getByLabel('Custom range to').inputValue()).getTime();
    expect(Math.abs(to - Date.now())).toBeLessThan(5 * 60_000); // ends now
    return (to - from) / 3_600_000;
  };
  expect(await span()).toBe(24); // the 24h it opens on
  for (const [r, hours] of [['1h', 1], ['7d', 168], ['6h', 6], ['24h', 24]] as const) {
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: r, exact: true }).click();
    await expect.poll(span).toBe(hours);
  }
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1h', exact: true }).click();
  await page.getByRole('group', { name: 'Time range' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/analytics-preset-1h.png` });
});

// probe-time16b #4: a custom range to midnight drew the hour under way as a whole bar, with no "so far".
test('a custom range reaching past now marks the bar under way as so far; screenshot', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const local = (ms: number): string => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('Custom range from').fill(local(Date.now() - 20 * 3_600_000));
  await page.getByLabel('Custom range to').fill(local(Date.now() + 4 * 3_600_000));
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Custom' }).click();
  const caption = page.getByTestId('charts').locator('figcaption').first();
  await expect(caption).toHaveText(/^Check-ins per hour · pale bars are incomplete; the last: so far \(/, { timeout: 15_000 });
  await page.screenshot({ path: `${SHOTS}/analytics-custom-past-now.png`, fullPage: true });
});

test('a past custom range shows no "next hour" forecast, and says why', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await expect(page.getByTestId('forecast')).toContainText('Next full hour'); // 24h ends now: forecast
  const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('Custom range from').fill(local(Date.now() - 3 * 86_400_000));
  await page.getByLabel('Custom range to').fill(local(Date.now() - 2 * 86_400_000));
  await page.getByRole('button', { name: 'Custom', exact: true }).click();
  await expect(page.getByTestId('forecast')).toHaveText(/^No forecast: this range is in the past\./);
  await expect(page.getByTestId('forecast')).not.toContainText('Next full hour');
  await page.screenshot({ path: `${SHOTS}/analytics-past-range.png` });
});

test('the same export opened twice is shown once, with a note, and its figures are not doubled', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 1200 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h', exact: true }).click();
  await page.getByLabel('Export format').selectOption('json');
  await page.getByRole('button', { name: 'Export this range' }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('events saved as', { timeout: 30_000 });
  const file = (await done.locator('.num').getAttribute('data-path'))!;
  const pie = page.getByRole('figure', { name: /^Events by type/ });
  const openThese = async (paths: string[]): Promise<void> => {
    await page.getByLabel('Export files to open').setInputFiles(paths);
    await expect(page.getByTestId('export-banner')).toBeVisible();
  };

  await openThese([file]);
  await expect(page.getByTestId('export-duplicate')).toHaveCount(0);
  const once = await pie.getAttribute('aria-label');
  await page.getByRole('button', { name: 'Back to live data' }).click();
  await expect(page.getByTestId('export-banner')).toHaveCount(0);

  await openThese([file, file]);
  const name = file.split(/[\\/]/).pop()!;
  await expect(page.getByTestId('export-duplicate')).toHaveText(`${name} was opened twice; it is shown once, so no figure counts twice.`);
  await expect(page.getByTestId('export-banner')).not.toContainText(`${name}, ${name}`);
  expect(await pie.getAttribute('aria-label')).toBe(once); // the same counts as the file on its own
  await page.getByTestId('export-banner').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/analytics-export-twice.png` });
  await page.getByRole('button', { name: 'Back to live data' }).click();
});

test('the time zone field says what it changes and what it does not, and offers the zone names', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 1200 });
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const zone = page.getByLabel('Gym time zone');
  const before = await zone.inputValue();
  // Saving New York moved nothing on screen, and nothing said why; now the Analytics tab follows it, and says so.
  await expect(zone).toHaveAccessibleDescription("Used for daily totals, the Analytics charts and times, and the local-time column of exports; the other tabs show this PC's clock.");
  const names = await page.locator(`datalist#${await zone.getAttribute('list')} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(names).toEqual(expect.arrayContaining(['UTC', 'America/New_York', 'Europe/Berlin']));
  await zone.fill('Berlin');
  await page.locator('.storage').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#timezone-error')).toBeVisible();
  await expect(zone).toHaveAccessibleDescription(/Used for daily totals/);
  await zone.fill('America/New_York');
  await page.locator('.storage').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#timezone-error')).toHaveCount(0);
  await page.locator('.storage').scrollIntoViewIfNeeded();
  await page.locator('.storage').screenshot({ path: `${SHOTS}/analytics-timezone.png` });
  await zone.fill(before); // the other tests share this host
  await page.locator('.storage').getByRole('button', { name: 'Save' }).click();
});

test('the export line names the file, not the console PC folder, and goes when the choice changes', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Analytics' }).click();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1h', exact: true }).click();
  await page.getByLabel('Export format').selectOption('sqlite');
  await page.getByRole('button', { name: 'Export this range' }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('events saved as', { timeout: 30_000 });
  const path = (await done.locator('.num').getAttribute('title'))!;
  expect(path.startsWith(host.dataDir)).toBe(true); // the full path only in the tooltip
  await expect(done.locator('.num')).toHaveText(path.split(/[\\/]/).pop()!);
  await expect(done).not.toContainText(host.dataDir);
  await expect(done).toContainText('on the console PC · Download');
  for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
    await page.setViewportSize(size);
    await page.getByTestId('export-done').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/analytics-export-done-${size.width}.png` });
  }
  // Another format: the .sqlite line and its Download (which gave the old file) go.
  await page.getByLabel('Export format').selectOption('json');
  await expect(done).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/analytics-export-format-changed-1024.png` });
  await page.getByRole('button', { name: 'Export this range' }).click();
  await expect(done.locator('.num')).toHaveText(/\.json$/, { timeout: 30_000 });
  // Another range: gone too.
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h', exact: true }).click();
  await expect(done).toHaveCount(0);
});
