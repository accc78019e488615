import { test, expect, SHOTS } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';

const MANAGER = { role: 'manager', pin: DEMO_PINS.manager };

test('offline: staff messages queue safely, show their count and age, and drain on restore; a door release is refused at once, never queued', async ({ page, host }) => {
  await page.goto(host.url);
  // Found while the backend answers: on a host just started, the copy on this PC may not be filled yet.
  const found = await bridgeCall(host.url, 'desk.lookup', { query: 'a' });
  const active = (found.ok ? (found.value as { members: { status: string; cardId: string; name: string }[] }).members : []).find((m) => m.status === 'active')!;
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `Kill instance ${i}` }).click();
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' }).first()).toBeVisible({ timeout: 10_000 });
  await page.getByRole('tab', { name: 'Overview' }).click();
  // The person is at the door now: a release queued for later would open it whenever the backend came back.
  const release = page.getByRole('button', { name: 'Release front door' });
  await release.click();
  await expect(page.getByTestId('door-status')).toHaveText(/^Door not released \(asked at .+\): the gym system was not answering when it was pressed, so it was not sent\. Open it by hand\.$/);
  await release.click();
  await expect(page.getByTestId('outbox')).toContainText('Everything has reached the backend');
  await page.getByRole('region', { name: 'Front door' }).screenshot({ path: `${SHOTS}/door-offline.png` });
  for (const note of ['towels low', 'locker 12 jammed']) expect(await bridgeCall(host.url, 'outbox.send', { lane: 'notification', kind: 'staff.note', data: note })).toMatchObject({ ok: true });
  await expect(page.getByTestId('outbox')).toContainText('2 messages waiting on this PC');
  await expect(page.getByTestId('outbox')).toContainText('oldest');
  // Nothing changes while the backend is away, yet the wait is counted on, and occupancy says it is the last known.
  const oldestSeconds = async (): Promise<number> => Number(/oldest (\d+) s/.exec((await page.getByTestId('outbox').textContent()) ?? '')?.[1] ?? -1);
  await expect.poll(oldestSeconds, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('occupancy-last-known')).toContainText(/^Counted on this PC \(not connected to the backend\): the backend's last count \(\d+ at \d{1,2}:\d{2}/);
  // A check-in taken meanwhile is listed at once, with what this PC decided, until the backend has it.
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
  // Still not released: nothing of it was kept to send.
  await expect(page.getByTestId('door-status')).toContainText('Door not released');
  await expect(page.getByTestId('occupancy-last-known')).toHaveCount(0);
  await release.click();
  await expect(page.getByTestId('door-status')).toHaveText(/^Door released \(asked at .+; the gym system confirmed it\)\.$/);
  await page.getByRole('region', { name: 'Front door' }).screenshot({ path: `${SHOTS}/door-released.png` });
});

test('dead letters: a refused message is listed with its reason, inspected, retried and discarded', async ({ page, host }) => {
  const sent = await bridgeCall(host.url, 'outbox.send', { lane: 'system', kind: 'self-destruct', data: 'now' });
  expect(sent.ok).toBe(true);
  await page.goto(host.url);
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  const dlq = page.getByTestId('dead-letters');
  await expect(dlq).toContainText('Dead letters (1)');
  await expect(dlq).toContainText('refused by the backend (unknown-action)');
  // Named in staff words, not the outbox's own ("action · system").
  await dlq.getByRole('button', { name: /^A staff action · System · / }).click();
  await expect(dlq.locator('pre')).toContainText('self-destruct');
  await page.screenshot({ path: `${SHOTS}/pools-dead-letter.png`, fullPage: true });
  await dlq.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('activity')).toContainText('Message could not be delivered');
  page.once('dialog', (d) => void d.accept());
  await dlq.getByRole('button', { name: 'Discard' }).click();
  await expect(dlq).toContainText('Dead letters (0)');
});

test('offline, one check-in waiting: said as a check-in, and as "it"', async ({ page, host }) => {
  await page.goto(host.url);
  const found = await bridgeCall(host.url, 'desk.lookup', { query: 'a' });
  const active = (found.ok ? (found.value as { members: { status: string; cardId: string }[] }).members : []).find((m) => m.status === 'active')!;
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `Kill instance ${i}` }).click();
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' }).first()).toBeVisible({ timeout: 10_000 });
  await page.getByRole('tab', { name: 'Overview' }).click();
  expect(await bridgeCall(host.url, 'desk.checkin', { cardId: active.cardId, source: 'desk' })).toMatchObject({ ok: true, value: { offline: true } });
  const outbox = page.getByTestId('outbox');
  await expect(outbox).toContainText(/^Waiting to send1 check-in waiting on this PC \(\d+ (ms|s)\)\. It is sent by itself when the gym's system is back\./);
  await expect(outbox).not.toContainText(/message|They/);
  await outbox.screenshot({ path: `${SHOTS}/outbox-one-checkin.png` });
  // The host is the worker's: the backend back for the specs after this one.
  await page.getByRole('tab', { name: 'Connection Pools' }).click();
  for (const i of [0, 1, 2]) await page.getByRole('button', { name: `Restore instance ${i}` }).click();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(outbox).toContainText('Everything has reached the backend', { timeout: 15_000 });
});

test('a search answered from the copy on this PC while the backend was away no longer says "could not answer" as now once it is back', async ({ page, host }) => {
  await page.goto(host.url);
  const found = await bridgeCall(host.url, 'desk.lookup', { query: 'a' });
  const member = (found.ok ? (found.value as { members: { name: string; id: string }[] }).members : [])[0]!;
  // By the bridge: the list is the Overview tab's, and staff stay on it while the backend comes back.
  const fault = async (action: 'kill' | 'restore'): Promise<void> => {
    for (const instance of [0, 1, 2]) expect(await bridgeCall(host.url, 'demo.fault', { instance, action }, MANAGER)).toMatchObject({ ok: true });
  };
  await fault('kill');
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' }).first()).toBeVisible({ timeout: 10_000 });
  await page.getByLabel('Find a member').fill(member.id);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  const count = page.getByTestId('found-count');
  await expect(count).toHaveText('1 found in the copy on this PC (the backend could not answer).');
  await fault('restore');
  await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 15_000 });
  await expect(count).toHaveText('1 found in the copy on this PC, while the backend could not answer; it is back now: press Find again for its list.');
  await page.locator('section.desk').screenshot({ path: `${SHOTS}/desk-found-in-copy-back.png` });
  // probe27a P5: away again, "it is back now" stayed through the next outage.
  await fault('kill');
  await expect(page.getByRole('status', { name: 'Backend connection: Offline' }).first()).toBeVisible({ timeout: 10_000 });
  await expect(count).toHaveText('1 found in the copy on this PC (the backend could not answer).');
  await fault('restore');
  await expect(page.getByRole('status', { name: 'Backend connection: Connected' }).first()).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(count).toHaveText('1 found.');
});
