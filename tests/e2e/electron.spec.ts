import { test, expect, _electron as electron } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../../scripts/build-state.mjs';

const { path, reason } = electronBinary() as { path: string | null; reason: string | null };

test.describe('Electron app', () => {
  test.skip(!path, `no Electron binary here: ${reason}. The same renderer and core are covered by the browser specs.`);
  if (!path) console.log(`[electron spec] skipped: ${reason}`);

  test('opens a sandboxed window on the demo gym and shows live check-ins', async () => {
    const app = await electron.launch({
      executablePath: path!,
      args: ['.'],
      env: { ...process.env, AV_GYM_DATA_DIR: mkdtempSync(join(tmpdir(), 'gym-electron-')) },
    });
    const page = await app.firstWindow();
    await expect(page.getByText('DEMO GYM')).toBeVisible();
    await expect(page.getByTestId('checkin-rows').locator('tr').first()).toBeVisible({ timeout: 10_000 });
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    await page.screenshot({ path: 'test-results/screenshots/electron-overview.png' });
    await app.close();
  });
});
