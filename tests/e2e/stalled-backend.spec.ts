import { WebSocketServer } from 'ws';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS, startWebHost, stopWebHost, freePort } from './host-fixture';
import { setFirstPins } from './reference-backend';

async function shots(page: Page, name: string): Promise<void> {
  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/${name}-${w}.png`, fullPage: true });
  }
}

// It takes the connection, opens the WebSocket and then says nothing (no welcome, no pong): it was called
// "cannot reach", in two codes, which sent IT to the network cable.
test('a backend that takes the connection and then says nothing: reached, not answering, in one sentence on every screen', async ({ page }) => {
  test.setTimeout(90_000);
  const port = await freePort();
  const stalled = new WebSocketServer({ port, host: '127.0.0.1', autoPong: false });
  await new Promise((r) => stalled.once('listening', r));
  const host = await startWebHost(['--backend', `ws://127.0.0.1:${port}`, '--backend-token', 'some-token', '--port', String(await freePort())]);
  const said = /The console reached the backend's address, but the backend did not answer its greeting within (a second|\d+ seconds)\./;
  try {
    await page.goto(host.url);
    await setFirstPins(page);
    const cause = page.getByTestId('connection-cause');
    await expect(cause).toContainText(said, { timeout: 15_000 });
    await expect(cause).toContainText('not another program');
    const banner = page.getByRole('alert').filter({ hasText: "The gym's system is not answering this PC" });
    await expect(banner).toContainText(said, { timeout: 45_000 });
    await expect(page.getByRole('alert')).not.toContainText('cannot reach');
    await shots(page, 'stalled-overview');

    await page.getByRole('tab', { name: 'Connection Pools' }).click();
    const screen = page.getByTestId('backend-connection');
    await screen.getByRole('button', { name: 'Test connection' }).click();
    const results = screen.getByTestId('test-results');
    await expect(results).toContainText(/within 3 seconds\./, { timeout: 15_000 });
    await expect(results).toContainText('not another program');
    await expect(results).not.toContainText('cannot reach');
    await shots(page, 'stalled-pools-test');
  } finally {
    await stopWebHost(host);
    stalled.close();
  }
});
