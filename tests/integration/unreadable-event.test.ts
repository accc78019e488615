import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/app';
import type { CheckinResult } from '../../src/shared/desk';
import type { HostileBackend, WireMember } from '../helpers/hostile-backend';
import { deskCheckin, hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// probe-hostile15 R1: one event in the backend's log the console could not read (a name of 201 characters) froze
// the feed for good. Every replay was refused again, each a new protocol error, so the backend was quarantined
// over and over and check-ins were decided on this PC against a backend that answered; the snapshot meant to
// get past it was refused whole for that one event in its `recent`, and the log said a fresh picture was taken.

const member = (n: number): WireMember => ({ id: `M0000${n}`, cardId: `400000001${n}`, name: `Member ${n}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const MEMBERS = [1, 2, 3, 4, 5, 6, 7, 8].map(member);
/** Past a bound that cannot be cut: an id is sent back, so one of 65 characters is no id at all. */
const UNREADABLE = { kind: 'checkout', memberId: 'M'.repeat(65), name: 'Someone', auto: false, occupancy: 0 };
/** A name from a roster imported elsewhere: one character past the bound, cut to it rather than refused. */
const LONG_NAME = 'Maximiliana '.repeat(17).trim(); // 203 characters
const longNamed = { kind: 'checkin', cardId: '4000000999', member: { id: 'M00999', name: LONG_NAME, status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 };

/** `before`: what is in the backend's log before the console starts. */
async function startConsole(before?: (hb: HostileBackend) => void) {
  const { hb, core: c, activity } = await hostileCore({ instances: 1, members: MEMBERS, before, dataDirPrefix: 'gym-unreadable-' });
  await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === MEMBERS.length && hb.subs > 0, 10_000);
  return { hb, c, activity };
}

const scan = async (c: Core, card: string): Promise<CheckinResult> => {
  const r = await deskCheckin(c, card);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as CheckinResult;
};

const caughtUp = (c: Core, hb: HostileBackend): Promise<unknown> => waitFor(() => c.pools.connectionView().lastSeq === hb.head, 10_000);

describe('one event the console cannot read costs that event, never the stream', () => {
  it('live: the feed goes on past it, no quarantine, every check-in answered by the backend, and the log says what happened', async () => {
    const { hb, c, activity } = await startConsole();
    hb.emit(3);
    hb.emitEvent(UNREADABLE, Date.now());
    hb.emitEvent(longNamed, Date.now());
    hb.emit(3);
    await caughtUp(c, hb);
    // Check-ins go on through several heartbeats and replays: none is decided on this PC.
    for (const m of MEMBERS) {
      const r = await scan(c, m.cardId);
      expect(r).toMatchObject({ offline: false, verdict: { allowed: true } });
    }
    hb.emit(2);
    await caughtUp(c, hb);
    const view = c.pools.connectionView();
    expect(view).toMatchObject({ state: 'connected', eventsMissed: 0, eventsUnreadable: 1, protocolErrors: 1 });
    expect(activity.filter((a) => a.type === 'quarantined' || a.type === 'continuity-lost' || a.type === 'disconnected')).toEqual([]);
    const told = activity.filter((a) => a.type === 'event-unreadable');
    expect(told).toHaveLength(1);
    expect(told[0]!.detail).toMatch(/^The gym's system sent a live event \(number \d+\) this PC cannot read, so it is missing from this PC's lists and reports; the live events after it go on\. IT: /);
    expect(told[0]!.raw).toMatch(/memberId/);
    // The long name is cut to the bound and shown, not refused.
    const shown = c.stream.feed('checkins').find((e) => e.memberId === 'M00999');
    expect(shown?.name).toHaveLength(200);
    expect(shown?.name?.endsWith('…')).toBe(true);
  });

  it("in a snapshot's recent: left out alone, the rest of the history shown and streaming resumed", async () => {
    // A console that starts now takes its first picture from a snapshot holding the unreadable event.
    const { hb, c, activity } = await startConsole((b) => {
      b.emit(2);
      b.emitEvent(UNREADABLE, Date.now());
      b.emitEvent(longNamed, Date.now());
      b.emit(2);
    });
    await caughtUp(c, hb);
    expect(c.stream.feed('checkins').some((e) => e.memberId === 'M00999')).toBe(true);
    const r = await scan(c, MEMBERS[0]!.cardId);
    expect(r).toMatchObject({ offline: false, verdict: { allowed: true } });
    hb.emit(2);
    await caughtUp(c, hb);
    expect(c.pools.connectionView()).toMatchObject({ state: 'connected', eventsUnreadable: 1, protocolErrors: 0 });
    const told = activity.filter((a) => a.type === 'event-unreadable');
    expect(told.map((a) => a.detail)).toEqual([expect.stringMatching(/^One event of the recent history the gym's system sent could not be read and is left out of this PC's list; the rest is shown\./)]);
  });

  it('a hole the backend cannot fill, with the unreadable event in the snapshot: the picture lands, and only then is it said to be taken', async () => {
    const { hb, c, activity } = await startConsole();
    hb.emit(2);
    await caughtUp(c, hb);
    hb.emitEvent(UNREADABLE, Date.now());
    hb.skip(1); // a seq no replay will ever bring: continuity is lost, and a snapshot follows
    hb.emit(2);
    await caughtUp(c, hb);
    const lost = activity.filter((a) => a.type === 'continuity-lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]!.detail).toMatch(/this PC took a fresh picture/);
    expect(activity.some((a) => a.type === 'quarantined')).toBe(false);
    hb.emit(2);
    await caughtUp(c, hb);
    expect(await scan(c, MEMBERS[1]!.cardId)).toMatchObject({ offline: false });
  });
});
