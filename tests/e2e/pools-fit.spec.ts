import { test, expect, SHOTS } from './host-fixture';
import { bridgeCall } from './bridge-client';

// A new user at 1280×800 read the last heading as "Reques se": the table ran past its card.
for (const width of [1280, 1024]) {
  test(`the pool's socket table fits its card at ${width} wide, every heading whole`, async ({ page, host }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Connection Pools' }).click();
    const card = page.getByTestId('pool-gym');
    await expect(card.getByTestId('socket-row').first()).toBeVisible();
    const box = (await card.locator('.table-scroll').boundingBox())!;
    for (const th of await card.locator('table.sockets th').all()) {
      const b = (await th.boundingBox())!;
      expect(b.x + b.width, `heading "${await th.innerText()}" ends inside the card`).toBeLessThanOrEqual(box.x + box.width + 0.5);
    }
    await card.screenshot({ path: `${SHOTS}/pools-table-${width}.png` });
  });
}

test('the demo gym\'s built-in pool offers no Destroy, a pool made beside it does', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  const gym = page.getByTestId('pool-gym');
  await expect(gym.getByTestId('socket-row').first()).toBeVisible();
  await expect(page.getByTestId('backend-connection')).toContainText('cannot be changed');
  await expect(gym.getByRole('button', { name: 'Destroy pool' })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/pools-demo-no-destroy.png`, fullPage: true });
  // Nor does the main process take it: the screen's words hold for a call too.
  expect(await bridgeCall(host.url, 'pools.destroy', { name: 'gym' })).toMatchObject({ ok: false, error: { code: 'demo-backend' } });

  const address = await page.getByTestId('backend-connection').getByRole('textbox', { name: 'Backend address 1', exact: true }).inputValue();
  await page.getByLabel('New pool name').fill('spare');
  await page.getByLabel('New pool endpoints').fill(address);
  await page.getByRole('button', { name: 'Create pool' }).click();
  const spare = page.getByTestId('pool-spare');
  await expect(spare.getByTestId('socket-row').first()).toBeVisible();
  await expect(gym.getByRole('button', { name: 'Destroy pool' })).toHaveCount(0);
  page.once('dialog', (d) => void d.accept());
  await spare.getByRole('button', { name: 'Destroy pool' }).click();
  await expect(spare).toHaveCount(0);
});

// readme21 R3: at 1280×800 New pool's CA file box read "none: the system's own certificate authoriti".
for (const width of [1280, 1024]) {
  test(`every CA file box shows its whole placeholder at ${width} wide`, async ({ page, host }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Connection Pools' }).click();
    await expect(page.getByTestId('pool-gym').getByTestId('socket-row').first()).toBeVisible();
    const boxes = page.locator('.ca-file input');
    expect(await boxes.count()).toBeGreaterThan(0);
    for (const box of await boxes.all()) {
      const fit = await box.evaluate((el: HTMLInputElement) => {
        const css = getComputedStyle(el);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = css.font;
        const room = el.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
        return { text: ctx.measureText(el.placeholder).width, room };
      });
      expect(fit.text, `"${await box.getAttribute('placeholder')}" fits its box`).toBeLessThanOrEqual(fit.room);
    }
    await page.getByRole('heading', { name: 'New pool' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/pools-ca-file-${width}.png` });
  });
}
