import { describe, expect, it } from 'vitest';
import { ACCESS, KIOSK_REPLIES, requests, type RequestName } from '../../src/shared/contract';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { DEFAULT_DESK_SETTINGS, type CheckinResult } from '../../src/shared/desk';
import type { Role } from '../../src/shared/roles';
import { BLANK_CONNECTION, emptyFeeds, EMPTY_HEALTH, EMPTY_OUTBOX, type AnsweredCheckin, type Snapshot, type StatePatch } from '../../src/shared/state';
import { kioskCheckin, kioskSnapshot, patchFor } from '../../src/shared/kiosk-replies';

// probe-hostile21 J14: on a kiosk PC every screen holding the page address is a kiosk without a PIN, and a kiosk's
// check-in reply carried the member's full name, card, id, status and end date, its snapshot every staff list.

const tara = { id: 'M00042', cardId: '4000837832', name: 'Tara  Ito-Lindqvist', status: 'active' as const, expiresOn: '2027-03-31' };
const result = (over: Partial<CheckinResult>): CheckinResult => ({ ignored: null, verdict: { allowed: true, reason: 'ok' }, member: tara, offline: false, occupancy: 12, ...over });
const answered: AnsweredCheckin = { key: 'k1', decided: { allowed: true, reason: 'ok' }, verdict: { allowed: false, reason: 'unpaid' }, fromEvent: true, member: { ...tara, status: 'unpaid' } };

const snapshot: Snapshot = {
  seq: 7,
  gauges: {
    mode: { demo: false, review: false, dataDir: '/home/gym/.local/share/av-gym-console' },
    connection: { ...BLANK_CONNECTION, state: 'connected', endpoints: [{ url: 'wss://backend.gym.example:8443', state: 'open', rttMs: 3, primary: true, nextTryInMs: null }] },
    occupancy: { count: 12, capacity: 100 },
    demo: null,
    pools: [],
    outbox: EMPTY_OUTBOX,
    waitingCheckins: [{ key: 'w1', ts: 1, cardId: tara.cardId, name: tara.name, source: 'kiosk', decided: null }],
    answeredCheckins: [answered],
    door: null,
    exportProgress: null,
    alerts: [],
    health: EMPTY_HEALTH,
  },
  feeds: { ...emptyFeeds(), checkins: [{ seq: 1, ts: 1, cardId: tara.cardId, memberId: tara.id, name: tara.name, status: 'active', allowed: true, reason: 'ok', source: 'kiosk', note: null }] },
};

/** A handler table answering as the core would, whatever the role. */
function handlers(checkin: CheckinResult): Handlers {
  const all = Object.fromEntries(Object.keys(requests).map((k) => [k, () => null])) as unknown as Handlers;
  return Object.assign(all, {
    'desk.checkin': () => checkin,
    'state.snapshot': () => snapshot,
    'desk.settings': () => ({ ...DEFAULT_DESK_SETTINGS, rosterSize: 2400, rosterSyncedAt: 5 }),
  });
}

const ask = async (role: Role, name: RequestName, r = result({})): Promise<unknown> => {
  const reply = await dispatch(handlers(r), name, name === 'desk.checkin' ? { cardId: tara.cardId, source: 'kiosk' } : undefined, { transport: 'test', session: new Session(role) });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
};

describe("what a kiosk screen is told (only what its screen shows)", () => {
  it('a check-in: the first name and the verdict, no surname, card, member id, status, date or occupancy', async () => {
    const told = await ask('kiosk', 'desk.checkin');
    expect(told).toEqual({ ignored: null, verdict: { allowed: true }, member: { name: 'Tara' } });
    expect(JSON.stringify(told)).not.toMatch(/Lindqvist|4000837832|M00042|2027|active/);
  });

  it("a denial: the reason only when the screen says it; a membership's trouble is not sent", async () => {
    expect(await ask('kiosk', 'desk.checkin', result({ verdict: { allowed: false, reason: 'unpaid' }, member: { ...tara, status: 'unpaid' } }))).toEqual({ ignored: null, verdict: { allowed: false }, member: { name: 'Tara' } });
    expect(await ask('kiosk', 'desk.checkin', result({ verdict: { allowed: false, reason: 'duplicate' } }))).toMatchObject({ verdict: { allowed: false, reason: 'duplicate' } });
  });

  it('the end date only when the screen shows it: about to end, or ended (let in offline)', async () => {
    const soon = result({ verdict: { allowed: true, reason: 'expiring-soon' }, member: { ...tara, status: 'expiring' }, today: '2027-03-20', key: 'q1', offline: true });
    expect(await ask('kiosk', 'desk.checkin', soon)).toEqual({ ignored: null, verdict: { allowed: true, reason: 'expiring-soon' }, member: { name: 'Tara', status: 'expiring', expiresOn: '2027-03-31' }, today: '2027-03-20', key: 'q1' });
    const ended = result({ member: tara, today: '2027-04-02' });
    expect(await ask('kiosk', 'desk.checkin', ended)).toMatchObject({ member: { name: 'Tara', status: 'expired', expiresOn: '2027-03-31' } });
  });

  it('a snapshot: whether the gym system answers and late answers to its verdicts; no staff list, address or folder', async () => {
    const told = (await ask('kiosk', 'state.snapshot')) as Snapshot;
    expect(told).toEqual({ seq: 7, gauges: { mode: { demo: false, review: false, dataDir: '' }, connection: { ...BLANK_CONNECTION, state: 'connected' }, answeredCheckins: [{ key: 'k1', decided: { allowed: true }, verdict: { allowed: false }, fromEvent: true, member: { name: 'Tara' } }] }, feeds: {} });
    expect(JSON.stringify(told)).not.toMatch(/Lindqvist|4000837832|backend\.gym|av-gym-console/);
  });

  it('whether this is the demo gym: every kiosk screen on it says DEMO GYM (review22 L11: a --kiosk station on the demo said nothing)', () => {
    const onDemo: Snapshot = { ...snapshot, gauges: { ...snapshot.gauges, mode: { ...snapshot.gauges.mode, demo: true } } };
    expect(patchFor('kiosk', { seq: 9, gauges: { mode: onDemo.gauges.mode }, feeds: {} })).toEqual({ seq: 9, gauges: { mode: { demo: true, review: false, dataDir: '' } }, feeds: {} });
    expect(kioskSnapshot(onDemo).gauges.mode).toEqual({ demo: true, review: false, dataDir: '' });
  });

  it('state patches: numbered as sent (a gap asks for a snapshot), with only what the kiosk keeps', () => {
    const patch: StatePatch = { seq: 8, gauges: { occupancy: { count: 13, capacity: 100 }, answeredCheckins: [answered] }, feeds: { checkins: snapshot.feeds.checkins } };
    expect(patchFor('kiosk', patch)).toEqual({ seq: 8, gauges: { answeredCheckins: [{ key: 'k1', decided: { allowed: true }, verdict: { allowed: false }, fromEvent: true, member: { name: 'Tara' } }] }, feeds: {} });
    expect(patchFor('desk', patch)).toBe(patch);
  });

  it('desk settings: only how long a verdict stays up, and how many members this PC could decide by offline', async () => {
    expect(await ask('kiosk', 'desk.settings')).toEqual({ verdictSeconds: DEFAULT_DESK_SETTINGS.verdictSeconds, rosterSize: 2400 });
  });

  it('front-desk and manager screens are told everything, as before', async () => {
    for (const role of ['desk', 'manager'] as const) {
      expect(await ask(role, 'desk.checkin')).toEqual(result({}));
      expect(await ask(role, 'state.snapshot')).toEqual(snapshot);
    }
  });

  // review27 V3: offline, "full" is this PC's estimate: the queue is sent to the desk, which may judge it.
  it('a full gym this PC only estimated (the backend away) is "see the front desk", not "the gym is full"', () => {
    const full = { ignored: null, verdict: { allowed: false, reason: 'capacity-full' as const }, member: null };
    expect(kioskCheckin({ ...full, offline: true }).verdict).toEqual({ allowed: false });
    expect(kioskCheckin({ ...full, offline: false }).verdict).toEqual({ allowed: false, reason: 'capacity-full' });
  });

  it('shaping a shaped reply changes nothing (the kiosk screen reads every reply through it)', () => {
    for (const r of [result({}), result({ verdict: { allowed: true, reason: 'expiring-soon' }, today: '2027-03-20' }), result({ ignored: 'repeat', verdict: null, insideSince: 5 }), result({ verdict: { allowed: false, reason: 'frozen' } })]) {
      expect(kioskCheckin(kioskCheckin(r))).toEqual(kioskCheckin(r));
    }
  });
});

describe('the kiosk shapes in the contract', () => {
  it('cover every request a screen below the front desk may make', () => {
    const reachable = (Object.keys(ACCESS) as RequestName[]).filter((k) => ACCESS[k] === null || ACCESS[k] === 'kiosk');
    expect(Object.keys(KIOSK_REPLIES).sort()).toEqual(reachable.sort());
  });
});
