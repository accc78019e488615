import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, expect, SHOTS, startWebHost } from './host-fixture';
import { setFirstPins } from './reference-backend';

// review26 V12: one receiver saved in three spellings (before addresses were compared as such) got every notice
// three times, and the list gave no hint that they were one.
test('spellings of one webhook address saved long ago: the repeats say so, and which one receives', async ({ page }) => {
  test.setTimeout(60_000);
  const args = ['--backend', 'ws://127.0.0.1:9', '--backend-token', 'repeats-token'];
  // A first start makes console.db; the list is then written as an older version saved it, unchecked.
  const first = await startWebHost(args);
  const dir = first.dataDir;
  const stopped = new Promise((r) => first.process.once('exit', r));
  first.process.kill('SIGTERM');
  await stopped;
  const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  const spelt = ['http://127.0.0.1:59997/hook', 'HTTP://127.0.0.1:59997/hook', 'http://127.0.0.1:59997/./hook'];
  const db = new Database(join(dir, 'console.db'));
  db.prepare("INSERT INTO settings (key, value) VALUES ('webhooks', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ endpoints: spelt.map((url) => ({ url, secret, enabled: true, timeoutSeconds: 5 })) }));
  db.close();
  const host = await startWebHost(args, dir);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(host.url);
    await setFirstPins(page);
    await page.getByRole('tab', { name: 'Health' }).click();
    const hooks = page.getByTestId('webhooks');
    const rows = hooks.locator('li');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).not.toContainText('The same address as');
    for (const i of [1, 2]) await expect(rows.nth(i)).toContainText(`The same address as ${spelt[0]}, written another way: alerts go there, once. Remove this one.`);
    for (const i of [1, 2]) await expect(rows.nth(i)).toContainText('switched on, but no alerts are sent here');
    await hooks.scrollIntoViewIfNeeded();
    await hooks.screenshot({ path: `${SHOTS}/webhook-repeats.png` });
  } finally {
    host.process.kill('SIGTERM');
  }
});
