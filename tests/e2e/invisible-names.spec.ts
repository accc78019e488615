import { mkdirSync } from 'node:fs';
import { test, expect, SHOTS, stopWebHost } from './host-fixture';
import { hostileRig, setUpDesk, signInAs, type WireMember } from './hostile-host';

// probe-hostile18 F5: a name of characters nobody sees (a Hangul filler, zero-width characters) showed blank, and tag
// characters or a soft hyphen made a name look exactly like another's. Blank names now read "(no name in the gym's
// system)" beside the member's id and card; the look-alike is the same name, told apart by its id and card.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/invisible-names`;
const NO_NAME = "(no name in the gym's system)";
const wire = (id: string, cardId: string, name: string): WireMember => ({ id, cardId, name, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const BLANK = wire('N1', '700000001', '\u3164');
const ZERO = wire('N2', '700000002', '\u200b\u200b\u2060');
const ADA = wire('N3', '700000003', 'Ada Example');
const TAGGED = wire('N4', '700000004', 'Ada Exa\u00ADmple\u{E0041}\u{E0042}');
const checkin = (m: WireMember, i: number) => ({ kind: 'checkin', cardId: m.cardId, member: { id: m.id, name: m.name, status: m.status }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: i + 1 });

const rig = hostileRig();

test('a name nobody can see reads "(no name in the gym\'s system)" at the desk, in the live list and at the kiosk', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(SAVED, { recursive: true });
  const hb = await rig.start({ instances: 1, members: [BLANK, ZERO, ADA, TAGGED] });
  const desk = await rig.host();
  await setUpDesk(desk.url);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(desk.url);
  await signInAs(page, 'front desk');
  await expect.poll(() => hb.subs, { timeout: 15_000 }).toBeGreaterThan(0);

  [BLANK, ZERO, TAGGED].forEach((m, i) => hb.emitEvent(checkin(m, i), Date.now()));
  const rows = page.getByTestId('checkin-rows').locator('tr');
  await expect(rows).toHaveCount(3, { timeout: 15_000 });
  await expect(rows.filter({ hasText: NO_NAME })).toHaveCount(2);
  await expect(rows.filter({ hasText: '700000004' }).locator('.shown-name')).toHaveText('Ada Example');

  // Two members, one name as shown: their ids and cards beside it tell them apart.
  await page.getByLabel('Find a member').fill('Ada');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByTestId('members').locator('.shown-name')).toHaveText(['Ada Example', 'Ada Example']);
  await page.getByLabel('Find a member').fill(BLANK.cardId);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  // The last search's two rows stay until this one's answer: one row first (a two-row locator fails at once, unretried).
  await expect(page.getByTestId('members').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('members').locator('li')).toContainText(NO_NAME);
  await page.getByRole('button', { name: `Check in ${NO_NAME} (N1)` }).click();
  await expect(page.getByTestId('verdict')).toContainText(NO_NAME, { timeout: 10_000 });
  await expect(page.getByTestId('verdict')).toContainText('700000001');
  await page.screenshot({ path: `${SAVED}/desk.png`, fullPage: true });

  await stopWebHost(desk);
  const kiosk = await rig.host(['--kiosk'], desk.dataDir);
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => hb.subs, { timeout: 15_000 }).toBeGreaterThan(1);
  await page.keyboard.type(BLANK.cardId, { delay: 6 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toContainText('Allowed', { timeout: 10_000 });
  await expect(page.getByTestId('verdict')).not.toContainText('(no');
  await page.screenshot({ path: `${SAVED}/kiosk.png`, fullPage: true });
});
