import { mkdirSync } from 'node:fs';
import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { setFirstPins } from './reference-backend';
import { redisMissing, startRedis } from '../helpers/redis-server';
import { startBackends } from '../helpers/backend-processes';

const SAVED = process.env.SHOTS_DIR ?? SHOTS;
const missing = redisMissing();

test('Redis down behind the backend: Overview shows a degraded backend and says why in plain words; it clears when Redis is back', async ({ page }) => {
  test.skip(!!missing, missing ?? '');
  test.setTimeout(90_000);
  mkdirSync(SAVED, { recursive: true });
  const redis = await startRedis();
  const procs = await startBackends({ redisUrl: redis.url, count: 2, token: 'redis-e2e', keyPrefix: 'e2e:' });
  const host = await startWebHost(['--backend', procs.urls.join(','), '--backend-token', 'redis-e2e']);
  try {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(host.url);
    await setFirstPins(page);
    const card = page.locator('section[aria-labelledby="conn-title"]');
    await expect(card.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 15_000 });

    await redis.stop();
    const cause = page.getByTestId('connection-cause');
    await expect(card.getByRole('status', { name: 'Backend connection: Degraded' })).toBeVisible({ timeout: 10_000 });
    await expect(cause).toContainText('The backend is running, but it cannot reach its database (Redis)');
    await expect(cause).toContainText('Nothing is lost: the console keeps each check-in');
    // probe27a P4: the count is this PC's now, and says so, as when the backend is away (readme27 W3).
    await expect(page.getByTestId('occupancy-last-known')).toContainText("Counted on this PC (the gym's system cannot record check-ins right now): the backend's last count");
    await page.screenshot({ path: `${SAVED}/overview-storage-down.png`, fullPage: true });

    // probe-walk14 W14: a check-in meanwhile is decided here; the verdict and Waiting to send blame the database, not the backend.
    await page.getByLabel('Find a member').fill('M00004');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('button', { name: /^Check in .*\(M00004\)$/ }).click();
    await expect(page.getByTestId('decided-here')).toHaveText("Decided on this PC: the gym's system is up but its database is not answering. Check-ins are kept and sent when it is back.", { timeout: 15_000 });
    await expect(page.getByTestId('outbox')).toContainText("The gym's system is up but its database is not answering: it is kept here and sent by itself when it is back."); // one check-in waits
    await expect(page.getByTestId('outbox')).not.toContainText('when the backend is back');
    for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
      await page.setViewportSize(size);
      await page.getByTestId('verdict').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SAVED}/desk-storage-down-${size.width}.png` });
    }
    await page.setViewportSize({ width: 1280, height: 1000 });

    await redis.start();
    await expect(card.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 15_000 });
    await expect(cause).toHaveCount(0);
    await expect(page.getByTestId('occupancy-last-known')).toHaveCount(0);
    await page.screenshot({ path: `${SAVED}/overview-storage-back.png`, fullPage: true });
  } finally {
    host.process.kill('SIGTERM');
    await procs.close();
    await redis.close();
  }
});
