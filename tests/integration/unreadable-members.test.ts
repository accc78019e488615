import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { leftOutSearchWords } from '../../src/shared/words';
import type { WireMember } from '../helpers/hostile-backend';
import { deskCheckin, hostileCore, type HostileCoreOptions } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// One member's record the console could not read (an id past its bound, a status it does not know) cost the whole
// roster page or search reply: the roster copy offline check-ins decide from was never updated again, and a desk
// search that held that member fell back to the copy (or said nothing could be searched) against a backend that answered.

const member = (n: number): WireMember => ({ id: `M0000${n}`, cardId: `400000001${n}`, name: `Member ${n}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const GOOD = [1, 2, 3, 4, 5, 6, 7].map(member);
/** An id is sent back (a check-in, a roster cursor), so one of 65 characters is not cut: it is no id at all. */
const LONG_ID: WireMember = { ...member(8), id: 'M'.repeat(65) };
/** A status this console does not know. */
const ODD_STATUS: WireMember = { ...member(9), status: 'suspended' };
// Pages of 3: the long id ends page 1 (the next page starts at it again), the odd status ends page 2 (its id is the cursor).
const ROSTER = [GOOD[0]!, GOOD[1]!, LONG_ID, GOOD[2]!, GOOD[3]!, ODD_STATUS, GOOD[4]!, GOOD[5]!, GOOD[6]!];

async function startConsole(backend: HostileCoreOptions) {
  const { hb, core: c, activity } = await hostileCore({ ...backend, dataDirPrefix: 'gym-unreadable-members-' });
  await waitFor(() => c.pools.connectionView().state === 'connected', 10_000);
  return { hb, c, activity };
}

const lookup = async (c: Core, query: string) => {
  const r = await dispatch(c.handlers, 'desk.lookup', { query }, { transport: 'test', session: new Session('desk') });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as { members: { id: string }[]; source: string; total?: number; leftOut?: number };
};

describe("a member's record the console cannot read costs that member, never the page or the search", () => {
  it('roster pages: the readable members are kept, paging goes on past the others, and each is told once, however often synced', async () => {
    const { c, activity } = await startConsole({ instances: 1, members: ROSTER, rosterPage: 3 });
    await waitFor(() => c.desk.cache.size === GOOD.length, 10_000);
    expect(GOOD.every((m) => c.desk.cache.byCardId(m.cardId)?.id === m.id)).toBe(true);
    expect(c.desk.cache.byCardId(ODD_STATUS.cardId)).toBeUndefined();
    expect(c.desk.rosterRefused).toBeNull();
    // Synced again (every 10 minutes), the same records are no news.
    await expect(c.desk.sync()).resolves.toBe(GOOD.length);
    const view = c.pools.connectionView();
    expect(view).toMatchObject({ state: 'connected', recordsUnreadable: 2, protocolErrors: 0 });
    expect(activity.filter((a) => a.type === 'quarantined' || a.type === 'roster-refused')).toEqual([]);
    const told = activity.filter((a) => a.type === 'record-unreadable');
    expect(told.map((a) => a.detail)).toEqual([
      expect.stringMatching(/^One member's record the gym's system sent could not be read; the copy of the roster on this PC keeps the record it already had of that member, .* The other members are used\. IT: /),
      expect.stringMatching(/^One member's record .* the copy of the roster on this PC keeps/),
    ]);
    // What was wrong is the log's, for IT: never shown to staff.
    expect(told.map((a) => a.raw)).toEqual([expect.stringMatching(/^roster reply: 1 member record left out: .*\bid\b/), expect.stringMatching(/^roster reply: 1 member record left out: .*\bstatus\b/)]);
  });

  it('a desk search: the readable members are shown from the backend, and staff are told plainly that one is not', async () => {
    const { c, activity } = await startConsole({ instances: 1, members: ROSTER });
    await waitFor(() => c.desk.cache.size === GOOD.length, 10_000);
    const found = await lookup(c, 'Member');
    expect(found).toMatchObject({ source: 'backend', leftOut: 2 });
    expect(found.members.map((m) => m.id)).toEqual(GOOD.map((m) => m.id));
    const one = await lookup(c, 'Member 9');
    expect(one).toMatchObject({ source: 'backend', members: [], leftOut: 1 });
    expect(leftOutSearchWords(1)).toBe("1 member's record from the gym's system could not be read and is not shown; tell IT.");
    expect(c.pools.connectionView()).toMatchObject({ state: 'connected', protocolErrors: 0, recordsUnreadable: 2 });
    // Each record is told once: the roster sync met them first, so the searches add nothing for IT (staff were told each time).
    expect(activity.filter((a) => a.type === 'record-unreadable').map((a) => a.detail)).toEqual([expect.stringMatching(/^2 members' records the gym's system sent could not be read; the copy of the roster on this PC keeps the record it already had of those members/)]);
  });

  it('a reply of 200 unreadable members is one line for IT, and the same again is none', async () => {
    const bad = Array.from({ length: 200 }, (_, i): WireMember => ({ ...member(i), id: `B${i}`, cardId: `77${i}`, name: `Broken ${i}`, status: 'gone' }));
    // A first page of nothing readable still moves on (past its last member as sent) to the page of good ones.
    const { c, activity } = await startConsole({ instances: 1, members: [...bad, ...GOOD] });
    await waitFor(() => c.desk.cache.size === GOOD.length, 10_000);
    expect(c.pools.connectionView().recordsUnreadable).toBe(200);
    const before = activity.filter((a) => a.type === 'record-unreadable');
    expect(before).toHaveLength(1);
    expect(before[0]!.detail).toMatch(/^200 members' records the gym's system sent could not be read; the copy of the roster/);
    const found = await lookup(c, 'Broken');
    expect(found).toMatchObject({ source: 'backend', members: [], leftOut: 200 });
    expect(activity.filter((a) => a.type === 'record-unreadable')).toHaveLength(1);
    expect(c.pools.connectionView().recordsUnreadable).toBe(200);
  });

  it("a check-in whose answer carries a member record it cannot read: the backend's verdict stands, with the roster copy's details", async () => {
    // The reply path writes a status the roster does not: before, the whole answer was a broken frame, the check-in
    // was sent again and again (each counting toward shutting the instance out), and the desk decided it on this PC.
    const { hb, c, activity } = await startConsole({ instances: 2, members: GOOD, replyMember: (m) => ({ ...m, status: 'on-hold' }) });
    await waitFor(() => c.desk.cache.size === GOOD.length, 10_000);
    const desk = { transport: 'test', session: new Session('desk') } as const;
    const checkin = async (cardId: string) => {
      const r = await dispatch(c.handlers, 'desk.checkin', { cardId, source: 'desk' }, desk);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { verdict: { allowed: boolean; reason: string } | null; offline: boolean; member: { id: string; name: string } | null };
    };
    for (const m of [GOOD[0]!, GOOD[1]!, GOOD[2]!]) {
      const r = await checkin(m.cardId);
      expect(r).toMatchObject({ offline: false, verdict: { allowed: true, reason: 'ok' }, member: { id: m.id, name: m.name } });
    }
    // Its own live event may have decided it first: the answer is still read when it comes, and taken.
    await waitFor(() => c.outbox.view().queued + c.outbox.view().inFlight === 0, 10_000);
    expect(c.outbox.view().dead).toBe(0);
    expect(hb.checkins).toEqual([GOOD[0]!.cardId, GOOD[1]!.cardId, GOOD[2]!.cardId]); // each sent once
    expect(c.pools.connectionView()).toMatchObject({ state: 'connected', protocolErrors: 0, recordsUnreadable: 3 });
    expect(activity.filter((a) => a.type === 'quarantined')).toEqual([]);
    const told = activity.filter((a) => a.type === 'record-unreadable');
    expect(told.map((a) => a.detail)).toEqual([
      expect.stringMatching(/^One member's record the gym's system sent with a check-in's answer could not be read; the answer is used, with this PC's roster copy of the member\. IT: /),
      expect.stringMatching(/^One member's record .* check-in's answer/),
      expect.stringMatching(/^One member's record .* check-in's answer/),
    ]);
    expect(told[0]!.raw).toMatch(/^checkin reply: 1 member record left out: .*\bstatus\b/);
  });

  it('the same when its live event cannot be read either: the answer alone decides, and names the member from the roster copy', async () => {
    const onHold = (m: WireMember) => ({ id: m.id, name: m.name, status: 'on-hold' });
    const { c } = await startConsole({ instances: 1, members: GOOD, replyMember: (m) => ({ ...m, status: 'on-hold' }), eventMember: onHold });
    await waitFor(() => c.desk.cache.size === GOOD.length, 10_000);
    const r = await deskCheckin(c, GOOD[3]!.cardId, 'kiosk', 'desk'); // the member's id and full name are staff's to know
    expect(r).toMatchObject({ ok: true, value: { offline: false, verdict: { allowed: true, reason: 'ok' }, member: { id: GOOD[3]!.id, name: GOOD[3]!.name } } });
    expect(c.pools.connectionView()).toMatchObject({ state: 'connected', protocolErrors: 0, recordsUnreadable: 1 });
  });

  it("a member whose record a later roster sync cannot read keeps the record the copy had, so a check-in while the backend is away still knows them", async () => {
    const roster = GOOD.map((m) => ({ ...m }));
    const { c, activity } = await startConsole({ instances: 1, members: roster });
    await waitFor(() => c.desk.cache.size === GOOD.length, 10_000);
    // The backend starts sending member 3 with a status this console does not know, and moves member 5's card to member 6.
    roster[2] = { ...roster[2]!, status: 'on-hold', name: 'Member 3 (changed)' };
    roster[5] = { ...roster[5]!, cardId: roster[4]!.cardId };
    roster[4] = { ...roster[4]!, status: 'on-hold' };
    await expect(c.desk.sync()).resolves.toBe(GOOD.length - 2);
    expect(c.desk.cache.byCardId(GOOD[2]!.cardId)).toMatchObject({ id: GOOD[2]!.id, name: GOOD[2]!.name, status: 'active' });
    // A kept record never takes a card back from a member this sync did read.
    expect(c.desk.cache.byCardId(GOOD[4]!.cardId)?.id).toBe(GOOD[5]!.id);
    expect(c.desk.cache.byMemberId(GOOD[4]!.id)).toBeUndefined();
    expect(c.desk.cache.size).toBe(GOOD.length - 1);
    expect(activity.filter((a) => a.type === 'record-unreadable').map((a) => a.detail)).toEqual([expect.stringMatching(/^2 members' records .* keeps the record it already had of those members/)]);
  });
});
