import { test, expect, startWebHost, stopWebHost } from './host-fixture';
import { bridgeCall, demoMembers } from './bridge-client';
import { DEMO_PINS } from '../../src/shared/roles';

// probe-hostile21 J14: on a kiosk PC every screen with the page address is a kiosk without a PIN, and a kiosk's
// check-in told it the member's full name, status and end date, its snapshot every staff list. A kiosk is now told
// only what its screen shows.

const manager = { role: 'manager', pin: DEMO_PINS.manager };

test("a kiosk screen's check-in tells it only what the kiosk shows: the first name, never the surname, card, status or date", async () => {
  const kiosk = await startWebHost(['--demo', '--kiosk', '--demo-rate', '0']);
  try {
    const all = [...(await demoMembers(kiosk.url, 'a')), ...(await demoMembers(kiosk.url, 'e')), ...(await demoMembers(kiosk.url, 'o'))];
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
