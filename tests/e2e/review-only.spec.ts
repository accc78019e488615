import { spawn } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { type Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost } from './host-fixture';

/** WCAG 2 A/AA, as the a11y spec checks the demo's screens. */
async function noViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function firstRunPins(page: Page): Promise<void> {
  await page.getByLabel('front desk PIN').fill('4321');
  await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
  await page.getByLabel('Repeat manager PIN').fill('8765');
  await page.getByLabel('kiosk PIN').fill('1111');
  await page.getByRole('button', { name: 'Save PINs' }).click();
}

/** Screens a review PC shows, at both widths the gym's PCs have, saved to look at. */
async function shots(page: Page, name: string): Promise<void> {
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A manager's PC for exports only: no demo gym around a real gym's figures, and Overview says what the PC is for. */
test('a review-only console opens a live gym\'s export with no demo running, and says whose figures are whose', async ({ page }) => {
  test.setTimeout(120_000);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--instances', '1', '--port', '0', '--token', 'review-token', '--simulate', '--rate', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('backend did not start')), 15_000);
      server.stdout!.on('data', (d) => {
        out += d;
        const m = /listening (ws:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    // The gym's own console makes an export.
    const live = await startWebHost(['--backend', url, '--backend-token', 'review-token']);
    let file: string;
    let csv: string;
    try {
      await page.goto(live.url);
      await firstRunPins(page);
      await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible({ timeout: 10_000 });
      await page.getByRole('tab', { name: 'Analytics' }).click();
      await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1h', exact: true }).click();
      // A few 10 s samples, so the export has figures to chart (a sliver of its hour).
      await expect(page.getByTestId('charts')).not.toHaveAttribute('data-points', '0', { timeout: 30_000 });
      // Beside the format: which ones open on a review PC.
      await page.getByLabel('Export format').selectOption('csv');
      await expect(page.getByTestId('export-format-note')).toHaveText('For a spreadsheet: check-ins and events only. It does not open on a review PC; for that, choose SQLite or JSON.');
      await page.getByRole('button', { name: 'Export this range' }).click();
      await expect(page.getByTestId('export-done')).toContainText('.csv', { timeout: 30_000 });
      csv = (await page.getByTestId('export-done').locator('.num').getAttribute('data-path'))!;
      await page.getByLabel('Export format').selectOption('sqlite');
      await expect(page.getByTestId('export-format-note')).toHaveText('Opens on a review PC (Open export), with the charts and trends. For a spreadsheet, choose CSV.');
      await page.screenshot({ path: `${SHOTS}/review-only-export-format.png` });
      await page.getByRole('button', { name: 'Export this range' }).click();
      await expect(page.getByTestId('export-done')).toContainText('.sqlite', { timeout: 30_000 });
      file = (await page.getByTestId('export-done').locator('.num').getAttribute('data-path'))!;
    } finally {
      live.process.kill('SIGTERM');
    }

    // Another PC, started for reviewing: no demo gym, and Overview says what it is for.
    const review = await startWebHost(['--review-only']);
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(review.url);
      // It has no front desk or kiosk: its first run asks for the manager PIN only.
      await expect(page.getByRole('heading', { name: 'First run: choose the manager PIN' })).toBeVisible();
      await expect(page.getByLabel('front desk PIN')).toHaveCount(0);
      await expect(page.getByLabel('kiosk PIN')).toHaveCount(0);
      await shots(page, 'review-only-first-run');
      await noViolations(page);
      await page.getByLabel('Manager PIN', { exact: true }).fill('8765');
      await page.getByLabel('Repeat manager PIN').fill('8765');
      // One PIN asked for: the button says so.
      await expect(page.getByRole('button', { name: 'Save PINs' })).toHaveCount(0);
      await page.getByRole('button', { name: 'Save PIN', exact: true }).click();
      await expect(page.getByTestId('review-pc')).toContainText('This PC is for reviewing exports');
      await expect(page.getByTestId('review-badge')).toHaveText('REVIEW PC · no gym connected');
      await expect(page.getByText('DEMO GYM')).toHaveCount(0);
      await page.screenshot({ path: `${SHOTS}/review-only-overview.png` });
      await noViolations(page);
      // Change PINs offers the one PIN this PC has: no front desk or kiosk fields, no "all three different".
      const change = page.getByRole('region', { name: 'Change manager PIN' });
      await expect(change.getByLabel('New manager PIN', { exact: true })).toBeVisible();
      await expect(change.getByLabel('Repeat new manager PIN')).toBeVisible();
      await expect(change.getByLabel('New front desk PIN')).toHaveCount(0);
      await expect(change.getByLabel('New kiosk PIN')).toHaveCount(0);
      await expect(change).not.toContainText(/front desk|kiosk|all three/);
      await change.getByLabel('Current manager PIN').fill('8765');
      await change.getByRole('button', { name: 'Change manager PIN' }).click();
      await expect(change).toContainText('Type the new manager PIN, and again under Repeat new manager PIN.');
      await shots(page, 'review-only-change-pins');

      // No backend, pools or live traffic: no Connection Pools or Performance tab (review-pc-tabs.spec.ts covers keys and addresses).
      await expect(page.getByRole('tab')).toHaveText(['Overview', 'Analytics', 'Health']);
      await expect(page.getByRole('button', { name: /create pool|save and reconnect/i })).toHaveCount(0);
      await expect(page.getByText('Offline')).toHaveCount(0);

      await page.getByRole('tab', { name: 'Analytics' }).click();
      // No export open: no empty charts, storage, event log or export of a gym it does not have; what to do instead.
      const noExport = page.getByTestId('review-no-export');
      await expect(noExport).toContainText('No export is open');
      await expect(noExport).toContainText("on that gym's console, Analytics tab, choose SQLite (or JSON) and press Export this range");
      await expect(page.getByTestId('charts')).toHaveCount(0);
      await expect(page.getByRole('heading', { name: 'Storage' })).toHaveCount(0);
      await expect(page.getByRole('heading', { name: 'Event log' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Export this range' })).toHaveCount(0);
      await expect(page.getByRole('group', { name: 'Time range' })).toHaveCount(0);
      await shots(page, 'review-only-no-export');
      await noViolations(page);
      // The gym's CSV: said to be the spreadsheet export, with the one to make instead; not "damaged".
      await page.getByLabel('Export files to open').setInputFiles(csv);
      const refused = page.locator('.export-panel .error-text');
      await expect(refused).toContainText("is this console's spreadsheet (CSV) export: it holds check-ins and events only, for a spreadsheet, so it does not open for review. To review this range here, export it again on the gym's console as SQLite or JSON");
      await expect(refused).not.toContainText('damaged');
      await shots(page, 'review-only-csv-refused');

      await page.getByLabel('Export files to open').setInputFiles(file);
      const banner = page.getByTestId('export-banner');
      await expect(banner).toContainText('Read-only export');
      // The gym's name was never set: not "This gym", which here would read as this PC's.
      await expect(banner).toContainText('Read-only export · A gym with no name set · ');
      await expect(banner).not.toContainText('This gym');
      await expect(page.getByTestId('export-unnamed')).toContainText('Its console had no gym name set');
      // A few seconds of figures in an hour's export: the charts say where they are, and show only that on request.
      const drawn = page.getByTestId('drawn-note');
      await expect(drawn).toContainText(/^The charts have figures only from .+ to .+ on .+; the rest of this range has none/);
      await shots(page, 'review-only-export-sliver');
      await expect(page.getByTestId('export-real')).toHaveText('Recorded by that gym’s console from its gym system, not by the console\'s demo.');
      await expect(page.getByTestId('export-simulated')).toHaveCount(0);
      await expect(page.getByTestId('export-not-this-pc')).toHaveText("The trends, charts and event log below are the export's; this PC runs no gym of its own.");
      await expect(page.getByRole('heading', { name: 'Audit log of this PC' })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/review-only-export.png`, fullPage: true });
      await noViolations(page);
      await drawn.getByRole('button', { name: 'Show only that time' }).click();
      await expect(drawn).toHaveCount(0);
      await expect(page.getByTestId('export-span')).toContainText('; shown: ');
      await shots(page, 'review-only-export-zoomed');
      await expect(page.getByTestId('charts')).toBeVisible();
      await expect(noExport).toHaveCount(0);
      await banner.getByRole('button', { name: 'Close the export' }).click();
      await expect(banner).toHaveCount(0);
      await expect(noExport).toBeVisible();
    } finally {
      review.process.kill('SIGTERM');
    }
  } finally {
    server.kill('SIGTERM');
  }
});
