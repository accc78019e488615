import { test, expect, shots, startWebHost } from './host-fixture';
import { setFirstPins, startBackend } from './reference-backend';

/** The main pool's addresses are one list, under Backend connection; the pool card does not list them again. */
test('Connection Pools lists each backend address once, with one Remove, saved only on Save and reconnect; the last one cannot be removed', async ({ page }) => {
  test.setTimeout(90_000);
  const backend = await startBackend('pools-token', 2, { simulate: false });
  try {
    const host = await startWebHost(['--backend', backend.urls.join(','), '--backend-token', 'pools-token']);
    try {
      await page.goto(host.url);
      await setFirstPins(page);
      await page.getByRole('tab', { name: 'Connection Pools' }).click();
      const screen = page.getByTestId('backend-connection');
      await expect(screen.getByRole('textbox', { name: /^Backend address/ })).toHaveCount(2);
      await expect(page.getByTestId('pool-gym').getByTestId('socket-row').first()).toBeVisible();
      await shots(page, 'pools-addresses');

      // One Remove per address on the whole screen.
      await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(2);
      await expect(page.getByRole('list', { name: 'Endpoints of pool gym' })).toHaveCount(0);
      await expect(page.getByTestId('pool-gym')).toContainText('Its addresses are under Backend connection.');

      // Removing is a change to the form, undone by not saving; Save and reconnect applies it.
      await screen.getByRole('button', { name: 'Remove backend address 2' }).click();
      await expect(screen.getByRole('textbox', { name: /^Backend address/ })).toHaveCount(1);
      await expect(page.getByTestId('pool-gym').locator(`[data-endpoint="${backend.urls[1]}"]`)).not.toHaveCount(0);
      // The last address has no Remove: a pool needs one. It can be typed over instead.
      await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
      await shots(page, 'pools-last-address');
      await screen.getByRole('button', { name: 'Save and reconnect' }).click();
      await expect(screen.getByText('Saved; the console reconnects with it now.')).toBeVisible();
      await expect(page.getByTestId('pool-gym').locator(`[data-endpoint="${backend.urls[1]}"]`)).toHaveCount(0);
      await expect(screen.getByRole('textbox', { name: 'Backend address 1', exact: true })).toHaveValue(backend.urls[0]!);
    } finally {
      host.process.kill('SIGTERM');
    }
  } finally {
    backend.process.kill('SIGTERM');
  }
});

test("another pool's addresses are listed once on its card; Remove asks first, and its last address has none", async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  const boxes = page.getByTestId('backend-connection').getByRole('textbox', { name: /^Backend address/ });
  // The form draws once the settings arrive: read it only then.
  await expect(boxes.nth(1)).toBeVisible();
  const urls = await boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(urls.length).toBeGreaterThanOrEqual(2);
  await page.getByLabel('New pool name').fill('doors');
  await page.getByLabel('New pool endpoints').fill(`${urls[0]} ${urls[1]}`);
  await page.getByRole('button', { name: 'Create pool' }).click();
  const card = page.getByTestId('pool-doors');
  const list = card.getByRole('list', { name: 'Endpoints of pool doors' });
  await expect(list.locator('li')).toHaveCount(2);
  await expect(card.getByRole('button', { name: /^Remove endpoint/ })).toHaveCount(2);

  // Asked first; dismissed, nothing changes.
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await card.getByRole('button', { name: `Remove endpoint ${urls[1]}` }).click();
  await expect.poll(() => asked).toBe(`Remove ${urls[1]} from pool “doors”? Its sockets to that address close; the pool's other addresses carry on.`);
  await expect(list.locator('li')).toHaveCount(2);
  // Accepted: removed, and the one left has no Remove.
  page.once('dialog', (d) => void d.accept());
  await card.getByRole('button', { name: `Remove endpoint ${urls[1]}` }).click();
  await expect(list.locator('li')).toHaveCount(1);
  await expect(card.getByRole('button', { name: /^Remove endpoint/ })).toHaveCount(0);
  await card.scrollIntoViewIfNeeded();
  await shots(page, 'pools-other-pool');
  page.once('dialog', (d) => void d.accept());
  await card.getByRole('button', { name: 'Destroy pool' }).click();
  await expect(card).toHaveCount(0);
});
