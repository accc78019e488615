import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, SHOTS, stopWebHost } from './host-fixture';
import { hostileRig, setUpDesk, signInAs, type WireMember } from './hostile-host';

// probe-hostile16 F2: one name the protocol allows (200 W's, "Z" and 196 accents, 60 × U+FDFD, emoji families) made
// the Live check-ins table 3,514 px wide, so the Card and Verdict of EVERY row were off the screen, and a stack of
// accents drew a line up over the rows above, the header and the Front desk card. Names now wrap or end in … inside
// their own cell, cells clip what they draw, and stacks of marks are cut to three.

const SAVED = `${process.env.SHOTS_DIR ?? SHOTS}/long-names`;
const SIZES = [
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1080x1920', width: 1080, height: 1920 },
];
const HOSTILE = [
  '\uFDFD'.repeat(60),
  'x\u200Dy\u200C'.repeat(50),
  'Ana\u0336'.repeat(40),
  'محمد علي 123 Smith',
  '👨\u200D👩\u200D👧\u200D👦'.repeat(25),
  '\u0E47'.repeat(150),
  'W'.repeat(200),
  `Z${'\u0301\u0302\u0303\u0304\u0306\u0307\u0308'.repeat(28)}`, // last: the newest row, right under the header
];
const member = (name: string, i: number): WireMember => ({
  id: i === 2 ? `L2${'\u0336'.repeat(20)}` : `L${i}`, // ids with stacks are shown as sent (never cut): their cells clip them
  cardId: i === 7 ? `C${'\u0301'.repeat(31)}` : `50000000${i}`,
  name,
  phone: '555-0100',
  status: 'active',
  expiresOn: '2030-01-01',
});
const MEMBERS = HOSTILE.map(member);
const PLAIN = Array.from({ length: 10 }, (_, i): WireMember => ({ id: `P${i}`, cardId: `60000000${i}`, name: `Pat Plain ${i}`, phone: '555-0101', status: 'active', expiresOn: '2030-01-01' }));

const checkin = (m: WireMember, i: number) => ({ kind: 'checkin', cardId: m.cardId, member: { id: m.id, name: m.name, status: m.status }, verdict: i % 2 ? { allowed: true, reason: 'ok' } : { allowed: false, reason: 'frozen' }, source: 'door', occupancy: i + 1 });

/** What spills: the page sideways, a Verdict cell off the screen, anything past its table, a stack of more than 3 marks. */
function spills(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    const d = document.documentElement;
    if (d.scrollWidth > d.clientWidth) out.push(`the page scrolls sideways by ${d.scrollWidth - d.clientWidth} px`);
    for (const table of Array.from(document.querySelectorAll('table'))) {
      const t = table.getBoundingClientRect();
      if (t.width === 0) continue;
      const box = table.closest('.card, section')?.getBoundingClientRect();
      if (box && t.right > box.right + 1) out.push(`a table reaches ${Math.round(t.right - box.right)} px past its card`);
      for (const el of Array.from(table.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > t.right + 1 || r.left < t.left - 1)) out.push(`<${el.tagName.toLowerCase()}> "${(el.textContent ?? '').slice(0, 20)}" outside its table`);
      }
      for (const cell of Array.from(table.querySelectorAll('td'))) if (cell.scrollWidth > cell.clientWidth + 1) out.push(`a cell's words are ${cell.scrollWidth - cell.clientWidth} px wider than it`);
    }
    for (const row of Array.from(document.querySelectorAll('[data-testid="checkin-rows"] tr'))) {
      const v = row.lastElementChild!.getBoundingClientRect();
      if (v.left < 0 || v.right > window.innerWidth || v.width < 80) out.push(`row ${row.getAttribute('data-seq')}: Verdict at ${Math.round(v.left)}–${Math.round(v.right)} of ${window.innerWidth}`);
    }
    for (const el of Array.from(document.querySelectorAll('.card, section, .verdict-banner, .members li'))) {
      if (getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1) out.push(`"${el.querySelector('h2')?.textContent ?? el.className}" spills by ${el.scrollWidth - el.clientWidth} px`);
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1)) out.push(`"${el.className}" is off the screen (${Math.round(r.left)}–${Math.round(r.right)})`);
    }
    // A stack of accents is drawn outside any box; only its length (and the boxes' clipping) keeps it in. Ids are shown
    // as sent, stacks and all (never cut): their cells clip them.
    const names = Array.from(document.querySelectorAll('.who, .shown-name, [data-testid="checkin-rows"] td:nth-child(3)'));
    const stack = Math.max(0, ...names.flatMap((el) => Array.from((el.textContent ?? '').replace(/\p{Cf}/gu, '').matchAll(/\p{M}+/gu), (m) => [...m[0]].length)));
    if (stack > 3) out.push(`a name with a stack of ${stack} combining marks is shown`);
    for (const el of names) if (getComputedStyle(el).overflowY === 'visible') out.push(`a name's box does not clip: ${el.className || el.tagName}`);
    return out;
  });
}

/** Checks nothing spills at each size, and keeps a screenshot of it. */
async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.evaluate(() => window.scrollTo(0, 0));
    // Polled: charts take a moment to fit a window that just changed size; a name that spills never stops.
    await expect.poll(() => spills(page), { message: `${name} at ${s.name}`, timeout: 10_000 }).toEqual([]);
    await page.screenshot({ path: `${SAVED}/${name}-${s.name}.png`, fullPage });
  }
}

const rig = hostileRig();

test('names with no break points or stacks of accents stay in their cells: every Verdict on the screen, nothing drawn over the rows above', async ({ page }) => {
  test.setTimeout(150_000);
  mkdirSync(SAVED, { recursive: true });
  const hb = await rig.start({ instances: 1, members: [...MEMBERS, ...PLAIN] });
  const desk = await rig.host();
  await setUpDesk(desk.url);

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(desk.url);
  await signInAs(page, 'front desk');
  await expect.poll(() => hb.subs, { timeout: 15_000 }).toBeGreaterThan(0);

  // Plain check-ins first, so the page already scrolls: what the header and the Front desk card look like.
  const rows = page.getByTestId('checkin-rows').locator('tr');
  PLAIN.forEach((m, i) => hb.emitEvent(checkin(m, i), Date.now()));
  await expect(rows).toHaveCount(PLAIN.length, { timeout: 15_000 });
  const feed = page.locator('section.feed');
  const above = [page.locator('section.desk'), feed.locator('h2'), feed.locator('thead')];
  // Both looks taken with the console link up: a loaded machine can drop it for a moment, and a stale card is drawn paler.
  const linked = () => expect(page.getByTestId('stale-note')).toHaveCount(0, { timeout: 20_000 });
  const look = async () => {
    await linked();
    return Promise.all(above.map((l: Locator) => l.screenshot()));
  };
  const before = await look();

  MEMBERS.forEach((m, i) => hb.emitEvent(checkin(m, i), Date.now()));
  await expect(rows).toHaveCount(PLAIN.length + MEMBERS.length, { timeout: 15_000 });
  await expect(rows.first()).toContainText('Z');
  await page.evaluate(() => window.scrollTo(0, 0));
  // Nothing the new rows draw reaches the header or the Front desk card above them.
  const changed = async () => (await look()).flatMap((shot, i) => (shot.equals(before[i]!) ? [] : [['the Front desk card', 'the Live check-ins title', 'the table header'][i]]));
  await expect.poll(changed, { message: 'what changed above the new rows', timeout: 20_000 }).toEqual([]);
  const wide = rows.filter({ hasText: 'WWWW' });
  await expect(wide.locator('.shown-name')).toHaveAttribute('title', 'W'.repeat(200));
  await shoot(page, 'desk-live');

  // The desk finds the long name and checks it in: the list and the verdict keep within the card.
  await page.getByLabel('Find a member').fill('wwww');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByTestId('members').locator('li')).toHaveCount(1);
  await page.getByRole('button', { name: /^Check in W/ }).click();
  await expect(page.getByTestId('verdict')).toContainText('Allowed', { timeout: 10_000 });
  await shoot(page, 'desk-verdict');

  // The manager's Overview, and the tabs that list check-ins by name.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAs(page, 'manager');
  await shoot(page, 'manager-overview');
  for (const tab of ['Connection Pools', 'Analytics', 'Health']) {
    await page.getByRole('tab', { name: tab }).click();
    await page.waitForTimeout(500);
    await shoot(page, `manager-${tab.toLowerCase().replace(/ /g, '-')}`, true);
  }
  // The Analytics event log: the 200-letter name took fifteen lines of its row. At most three now, ending in …, whole in the
  // tooltip and in the row opened, which wraps inside the log.
  await page.getByRole('tab', { name: 'Analytics' }).click();
  const log = page.getByTestId('event-log');
  const logged = log.locator('.event-row').filter({ hasText: 'WWWW' }).first();
  const said = logged.locator(':scope > span:last-child');
  await expect(said).toHaveAttribute('title', /W{200}/);
  const lines = await said.evaluate((e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)));
  expect(lines, "the name's lines in the event log").toBeLessThanOrEqual(3);
  await logged.click();
  await expect(log.locator('pre.body')).toContainText('W'.repeat(200));
  expect(await log.evaluate((e) => e.scrollWidth - e.clientWidth), 'the opened row wraps inside the log').toBeLessThanOrEqual(0);
  await log.screenshot({ path: `${SAVED}/manager-event-log-opened.png` });

  // The kiosk on the same PC: the big verdict says the first name, which here is the whole 200 letters.
  await stopWebHost(desk);
  const kiosk = await rig.host(['--kiosk'], desk.dataDir);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(kiosk.url);
  await expect(page.getByRole('heading', { name: 'Welcome! Scan your card' })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => hb.subs, { timeout: 15_000 }).toBeGreaterThan(1);
  for (const [which, m] of [['w', MEMBERS[6]!], ['fdfd', MEMBERS[0]!]] as const) {
    await page.keyboard.type(m.cardId, { delay: 6 });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('verdict')).toContainText(m.name.slice(0, 3), { timeout: 10_000 });
    await shoot(page, `kiosk-${which}`);
  }
});
