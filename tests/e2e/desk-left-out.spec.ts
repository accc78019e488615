import { mkdirSync } from 'node:fs';
import { test, expect, SHOTS } from './host-fixture';
import { setFirstPins } from './reference-backend';
import { hostileRig, type WireMember } from './hostile-host';

// A desk search whose reply held one member the console could not read was refused whole: the desk fell back
// to the copy on this PC (or said nothing could be searched). Now the others are shown, and staff are told plainly.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/desk-left-out`;
const rig = hostileRig();
const member = (n: number): WireMember => ({ id: `M0000${n}`, cardId: `400000001${n}`, name: `Dana Member ${n}`, phone: `555-010${n}`, status: 'active', expiresOn: '2030-01-01' });

test("a desk search shows the members it can read and says plainly that one member's record could not be", async ({ page }) => {
  test.setTimeout(60_000);
  mkdirSync(SAVED, { recursive: true });
  await rig.start({ instances: 1, members: [member(1), { ...member(2), id: 'M'.repeat(65) }, member(3)] });
  const host = await rig.host();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await setFirstPins(page);
  const conn = page.locator('section[aria-labelledby="conn-title"]');
  await expect(conn.getByRole('status', { name: 'Backend connection: Connected' })).toBeVisible({ timeout: 15_000 });
  await page.getByLabel('Find a member').fill('Dana');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByTestId('found-count')).toHaveText('2 found.');
  await expect(page.getByTestId('found-left-out')).toHaveText("1 member's record from the gym's system could not be read and is not shown; tell IT.");
  await expect(page.getByRole('button', { name: /^Check in / })).toHaveCount(2);
  for (const s of [{ name: '1366', width: 1366, height: 768 }, { name: '1024', width: 1024, height: 768 }]) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.getByTestId('found-left-out').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SAVED}/search-${s.name}.png` });
  }
});
