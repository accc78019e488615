import { test, expect, startWebHost, stopWebHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import type { Member } from '../../src/shared/protocol';
import { DEMO_PINS } from '../../src/shared/roles';

// probe-hostile21 J14: on a kiosk PC every screen with the page address is a kiosk without a PIN, and a kiosk's
// check-in told it the member's full name, status and end date, its snapshot every staff list. A kiosk is now told
// only what its screen shows.

const manager = { role: 'manager', pin: DEMO_PINS.manager };

async function members(url: string, query: string): Promise<Member[]> {
  for (let i = 0; i < 100; i++) {
    const r = await bridgeCall(url, 'desk.lookup', { query }, manager);
    if (r.ok && (r.value as { members: Member[] }).members.length) return (r.value as { members: Member[] }).members;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no members found for "${query}"`);
}

test("a kiosk screen's check-in tells it only what the kiosk shows: the first name, never the surname, card, status or date", async () => {
  const kiosk = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    const all = [...(await members(kiosk.url, 'a')), ...(await members(kiosk.url, 'e')), ...(await members(kiosk.url, 'o'))];
    const frozen = all.find((m) => m.status === 'frozen' && m.name.includes(' '))!;
    // No sign-in: on a kiosk PC every screen with the address is a kiosk.
    const r = await bridgeCall(kiosk.url, 'desk.checkin', { cardId: frozen.cardId, source: 'kiosk' });
    expect(r).toMatchObject({ ok: true, value: { verdict: { allowed: false }, member: { name: frozen.name.split(' ')[0] } } });
    const told = JSON.stringify(r);
    for (const secret of [frozen.name.split(' ').slice(1).join(' '), frozen.id, frozen.cardId, frozen.expiresOn, 'frozen']) expect(told).not.toContain(secret);
    // Staff see the check-in in their lists; the kiosk is sent none of them.
    await expect.poll(async () => JSON.stringify(await bridgeCall(kiosk.url, 'state.snapshot', undefined, manager))).toContain(frozen.name);
    const snap = JSON.stringify(await bridgeCall(kiosk.url, 'state.snapshot'));
    expect(snap).not.toContain(frozen.cardId);
    expect(snap).not.toContain(kiosk.dataDir);
  } finally {
    await stopWebHost(kiosk);
  }
});
