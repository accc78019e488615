import { test, expect, SHOTS } from './host-fixture';
import { bridgeCall } from './bridge-client';

test('offline: a door release queues safely, shows its count and age, and drains on restore', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `Kill instance ${i}` }).click();
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' }).first()).toBeVisible({ timeout: 10_000 });
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByRole('button', { name: 'Release front door' }).click();
  await page.getByRole('button', { name: 'Release front door' }).click();
  await expect(page.getByTestId('outbox')).toContainText('2 messages queued safely on this PC');
  await expect(page.getByTestId('outbox')).toContainText('oldest');
  await expect(page.getByTestId('door-status')).toContainText('waiting for the backend to confirm');
  // Nothing changes while the backend is away, yet the wait is counted on, and occupancy says it is the last known.
  const oldestSeconds = async (): Promise<number> => Number(/oldest (\d+) s/.exec((await page.getByTestId('outbox').textContent()) ?? '')?.[1] ?? -1);
  await expect.poll(oldestSeconds, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('occupancy-last-known')).toContainText(/^Last known at \d{1,2}:\d{2}.*: this PC is not connected to the backend/);
  // A check-in taken meanwhile is listed at once, with what this PC decided, until the backend has it.
  const found = await bridgeCall(host.url, 'desk.lookup', { query: 'a' });
  const active = (found.ok ? (found.value as { members: { status: string; cardId: string; name: string }[] }).members : []).find((m) => m.status === 'active')!;
  expect(await bridgeCall(host.url, 'desk.checkin', { cardId: active.cardId, source: 'desk' })).toMatchObject({ ok: true, value: { offline: true } });
  const waiting = page.getByTestId('waiting-checkin');
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText(active.name);
  await expect(waiting).toContainText('Decided on this PC; waiting to send to the backend');
  await page.screenshot({ path: `${SHOTS}/overview-offline-queue.png`, fullPage: true });
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `Restore instance ${i}` }).click();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByTestId('outbox')).toContainText('Everything has reached the backend', { timeout: 15_000 });
  await expect(waiting).toHaveCount(0);
  await expect(page.getByTestId('door-status')).toContainText('Confirmed');
  await expect(page.getByTestId('occupancy-last-known')).toHaveCount(0);
});

test('dead letters: a refused message is listed with its reason, inspected, retried and discarded', async ({ page, host }) => {
  const sent = await bridgeCall(host.url, 'outbox.send', { lane: 'system', kind: 'self-destruct', data: 'now' });
  expect(sent.ok).toBe(true);
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  const dlq = page.getByTestId('dead-letters');
  await expect(dlq).toContainText('Dead letters (1)');
  await expect(dlq).toContainText('refused by the backend (unknown-action)');
  await dlq.getByRole('button', { name: /action · system/ }).click();
  await expect(dlq.locator('pre')).toContainText('self-destruct');
  await page.screenshot({ path: `${SHOTS}/pools-dead-letter.png`, fullPage: true });
  await dlq.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('activity')).toContainText('Message could not be delivered');
  page.once('dialog', (d) => void d.accept());
  await dlq.getByRole('button', { name: 'Discard' }).click();
  await expect(dlq).toContainText('Dead letters (0)');
});
