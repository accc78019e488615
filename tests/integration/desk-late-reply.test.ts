import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/app';
import type { CheckinResult } from '../../src/shared/desk';
import type { WireMember } from '../helpers/hostile-backend';
import { deskCheckin, hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// probe-hostile13b L1: a backend that applied a check-in at once, sent its live event, and answered 20 s later
// had the desk decide on its own after its 1.5 s wait: the live event of that very check-in said the member was
// already inside, so a member the backend let in was told "already checked in" (offline).

const member = (n: number): WireMember => ({ id: `M0000${n}`, cardId: `400000001${n}`, name: `Member ${n}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const MEMBERS = [1, 2, 3, 4].map(member);

async function rig(verdictWaitMs?: number) {
  const { hb, core: c } = await hostileCore({ instances: 1, members: MEMBERS, core: { verdictWaitMs }, dataDirPrefix: 'gym-late-reply-' });
  await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === MEMBERS.length && hb.subs > 0, 10_000);
  return { c, hb };
}

const scan = async (c: Core, card: string, source: 'desk' | 'kiosk'): Promise<CheckinResult> => {
  // Signed in at the desk either way: what this PC decided, and why, is staff's to know (a kiosk is told its verdict).
  const r = await deskCheckin(c, card, source, 'desk');
  if (!r.ok) throw new Error(r.error.message);
  return r.value as CheckinResult;
};

describe('a check-in the backend applies at once and answers late', () => {
  it.each(['kiosk', 'desk'] as const)('at the %s: its own live event is the backend saying yes, never "already checked in"', async (source) => {
    const { c, hb } = await rig();
    hb.lateCheckins(3_000); // past the desk's 1.5 s wait, inside the request's own time limit
    const m = MEMBERS[source === 'kiosk' ? 0 : 1]!;
    const r = await scan(c, m.cardId, source);
    expect(r.verdict).toEqual({ allowed: true, reason: 'ok' });
    expect(r).toMatchObject({ ignored: null, offline: false, member: { id: m.id, name: m.name, expiresOn: m.expiresOn } });
    expect(r.insideSince).toBeUndefined();
    // Its event counts once it is decided: the member is inside as far as this PC knows.
    expect(c.desk.presence.inside(m.cardId, m.id, 0)).toBe(true);
    await waitFor(() => c.outbox.view().queued + c.outbox.view().inFlight === 0, 10_000);
  }, 30_000);

  it.each(['kiosk', 'desk'] as const)('at the %s: a member the feed showed inside before the scan is still told "already checked in" offline', async (source) => {
    const { c, hb } = await rig();
    const m = MEMBERS[source === 'kiosk' ? 2 : 3]!;
    // In at the door a minute ago, as the live feed showed; then the backend stops answering requests.
    hb.emitEvent({ kind: 'checkin', cardId: m.cardId, member: { id: m.id, name: m.name, status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source, occupancy: 1 }, Date.now() - 60_000);
    await waitFor(() => c.desk.presence.inside(m.cardId, m.id, 0), 10_000);
    hb.setAttack(0, 'silent-requests');
    const r = await scan(c, m.cardId, source);
    expect(r).toMatchObject({ ignored: null, offline: true, verdict: { allowed: false, reason: 'duplicate' } });
    expect(r.insideSince).toBeLessThan(Date.now() - 30_000);
  }, 30_000);

  // probe-hostile14b S1: the event came within 1 ms, yet the desk waited out its whole wait before using it.
  it('its own live event decides at once: the desk does not wait out the rest of its wait', async () => {
    const { c, hb } = await rig(10_000); // a long wait, so waiting it out cannot pass for answering at once
    hb.lateCheckins(20_000);
    const m = MEMBERS[0]!;
    const t0 = Date.now();
    const r = await scan(c, m.cardId, 'desk');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r).toMatchObject({ ignored: null, offline: false, verdict: { allowed: true, reason: 'ok' }, member: { id: m.id, name: m.name, expiresOn: m.expiresOn } });
  }, 40_000);
});
