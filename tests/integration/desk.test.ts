import { Session } from '../../src/main/core/auth/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import type { CheckinResult } from '../../src/shared/desk';
import type { Member } from '../../src/shared/protocol';
import { waitFor, sleep } from '../helpers/wait';
import type { StoredEvent } from '../../src/shared/analytics';
import { eventWords, REASON_WORDS, standingLine } from '../../src/shared/words';
import { gymDay } from '../../src/shared/membership-day';

const TOKEN = 'desk';
let cluster: Cluster;
let core: Core;
const ctx = { transport: 'test' as const, session: new Session('desk') };
const managerCtx = { transport: 'test' as const, session: new Session('manager') };
const call = async <T>(name: string, payload?: unknown, as = ctx): Promise<T> => {
  const r = await dispatch(core.handlers, name, payload, as);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const member = (status: Member['status'], skip = 0) => [...cluster.gym.members].filter((m) => m.status === status)[skip]!;

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-desk-')), backend: { endpoints: cluster.urls, token: TOKEN } });
  await waitFor(() => core.desk.cache.size >= 2400, 10_000);
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe('front desk', () => {
  it('looks members up by name, card, id and phone against the backend', async () => {
    const m = member('active', 3);
    for (const q of [m.name, m.cardId, m.id, m.phone.replace(/-/g, '')]) {
      const r = await call<{ members: Member[]; source: string }>('desk.lookup', { query: q });
      expect(r.source).toBe('backend');
      expect(r.members.map((x) => x.id)).toContain(m.id);
    }
    expect((await dispatch(core.handlers, 'desk.lookup', { query: '' }, ctx)).ok).toBe(false);
  });

  it('checks in, denies with a reason, and ignores the same card again within 2 s', async () => {
    const ok = await call<CheckinResult>('desk.checkin', { cardId: member('active', 5).cardId, source: 'desk' });
    expect(ok).toMatchObject({ ignored: null, offline: false, verdict: { allowed: true, reason: 'ok' } });
    const frozen = member('frozen');
    expect(await call<CheckinResult>('desk.checkin', { cardId: frozen.cardId, source: 'kiosk' })).toMatchObject({ verdict: { allowed: false, reason: 'frozen' }, member: { name: frozen.name } });
    const applied = cluster.gym.applied.size;
    expect(await call<CheckinResult>('desk.checkin', { cardId: frozen.cardId, source: 'kiosk' })).toMatchObject({ ignored: 'bounce', verdict: null });
    expect(await call<CheckinResult>('desk.checkin', { cardId: '0000000001', source: 'kiosk' })).toMatchObject({ verdict: { allowed: false, reason: 'unknown-card' } });
    expect(cluster.gym.applied.size).toBe(applied + 1);
  });

  it('"already checked in" says when this PC saw them go in, and names the member by id and card', async () => {
    const m = member('active', 7);
    const at = Date.now();
    cluster.gym.checkIn(m.cardId, 'door'); // let in at the door: the live feed shows it
    await waitFor(() => core.desk.presence.inside(m.cardId, m.id, at - 1_000));
    const r = await call<CheckinResult>('desk.checkin', { cardId: m.cardId, source: 'desk' });
    expect(r).toMatchObject({ verdict: { allowed: false, reason: 'duplicate' }, member: { id: m.id, cardId: m.cardId, name: m.name } });
    expect(r.insideSince).toBeGreaterThanOrEqual(at - 1_000);
    expect(r.insideSince).toBeLessThanOrEqual(Date.now());
    // Anything else says no time: there is none to say.
    expect(await call<CheckinResult>('desk.checkin', { cardId: member('expired').cardId, source: 'desk' })).not.toHaveProperty('insideSince');
  });

  it('refuses a malformed scan as "not read" and sends nothing', async () => {
    const applied = cluster.gym.applied.size;
    // A swipe that could not be read, a reader's error track, line noise, more than a card holds. ("12",
    // "4000/1047" and "40-1" are cards the protocol takes: they are sent, and are the backend's to judge.)
    for (const bad of [';12?', ';E?', '%B^x^?', 'x'.repeat(40), '\u0000\u0001garbage', '   ']) {
      expect(await call<CheckinResult>('desk.checkin', { cardId: bad, source: 'kiosk' })).toMatchObject({ ignored: 'not-read' });
    }
    await sleep(50);
    expect(cluster.gym.applied.size).toBe(applied);
  });

  it('lets staff override a denial with a note, and audits it', async () => {
    const expired = member('expired', 2);
    expect((await dispatch(core.handlers, 'desk.checkin', { cardId: expired.cardId, source: 'desk', override: { note: '' } }, ctx)).ok).toBe(false);
    const r = await call<CheckinResult>('desk.checkin', { cardId: expired.cardId, source: 'desk', override: { note: 'Renewed at the desk, payment pending' } });
    expect(r.verdict).toEqual({ allowed: true, reason: 'override' });
    expect(cluster.gym.overrides.at(-1)).toMatchObject({ memberId: expired.id, note: 'Renewed at the desk, payment pending', staff: 'front desk' });
    expect((await dispatch(core.handlers, 'audit.list', undefined, ctx)).ok).toBe(false); // managers only
    const audit = await call<{ action: string; subject: string; actor: string; after: string }[]>('audit.list', undefined, managerCtx);
    expect(audit[0]!.actor).toBe('front desk');
    expect(audit[0]).toMatchObject({ action: 'checkin.override', subject: `card ${expired.cardId}`, before: null });
    expect(JSON.parse(audit[0]!.after)).toEqual({ note: 'Renewed at the desk, payment pending' });
    // Live check-ins and the event log say why and who, not only "Allowed by staff override".
    const overridden = () => core.stream.snapshot().feeds.checkins.find((c) => c.reason === 'override' && c.cardId === expired.cardId);
    await waitFor(() => !!overridden(), 5_000);
    expect(overridden()).toMatchObject({ note: 'Renewed at the desk, payment pending', overriddenBy: 'front desk' });
    const events = await call<StoredEvent[]>('analytics.events', { range: { last: '1h' }, categories: ['checkin'], text: 'payment pending' }, managerCtx);
    expect(events.map(eventWords)).toEqual([{ what: 'Allowed by staff override', detail: `${expired.name} · why: Renewed at the desk, payment pending · let in by front desk` }]);
  });

  it('offline: decides from the cached roster under the policy, queues, then reconciles and flags conflicts', async () => {
    const inside = member('active', 20);
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline');
    // Let in at the door during the outage, unseen by this PC: the server will say duplicate.
    cluster.gym.checkIn(inside.cardId, 'door');

    const lookup = await call<{ members: Member[]; source: string }>('desk.lookup', { query: inside.name });
    expect(lookup.source).toBe('cache');
    expect(lookup.members.map((m) => m.id)).toContain(inside.id);

    const t0 = Date.now();
    const fresh = await call<CheckinResult>('desk.checkin', { cardId: member('active', 30).cardId, source: 'kiosk' });
    expect(Date.now() - t0).toBeLessThan(200);
    expect(fresh).toMatchObject({ offline: true, verdict: { allowed: true } });
    expect(await call<CheckinResult>('desk.checkin', { cardId: '0000000002', source: 'kiosk' })).toMatchObject({ offline: true, verdict: { allowed: false, reason: 'unknown-card' } });
    expect(await call<CheckinResult>('desk.checkin', { cardId: member('unpaid', 4).cardId, source: 'kiosk' })).toMatchObject({ offline: true, verdict: { allowed: false, reason: 'unpaid' } });
    await sleep(2_100); // past the bounce window for this card
    const conflict = await call<CheckinResult>('desk.checkin', { cardId: inside.cardId, source: 'kiosk' });
    expect(conflict).toMatchObject({ offline: true, verdict: { allowed: true } });
    // The card handed back out and shown at the desk: this PC let it in offline already, so it is inside. (At the
    // kiosk that let it in, a scan this soon is the same visit, "already in" and not sent: tests/unit/repeat-scan.)
    await sleep(2_100);
    // probe27a P6: with when, as for one the live feed saw go in: staff judge "left and came back" by it.
    const again = await call<CheckinResult>('desk.checkin', { cardId: member('active', 30).cardId, source: 'desk' });
    expect(again).toMatchObject({ offline: true, verdict: { allowed: false, reason: 'duplicate' }, insideSince: expect.any(Number) });
    expect(Math.abs(again.insideSince! - t0)).toBeLessThan(5_000);
    expect(core.outbox.view().queued).toBe(5);

    await Promise.all(cluster.instances.map((i) => i.restore()));
    await waitFor(() => core.outbox.view().queued === 0 && core.outbox.view().inFlight === 0, 10_000);
    await waitFor(() => core.stream.snapshot().feeds.activity.some((a) => a.type === 'reconcile-conflict'), 5_000);
    const flagged = core.stream.snapshot().feeds.activity.filter((a) => a.type === 'reconcile-conflict');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.detail).toMatch(new RegExp(`\\(card ${inside.cardId}\\): this PC let them in while the gym's system was slow or away; the gym's system turned this down: already checked in\\. Check with the member\\.`));
  });

  it('offline, then restarted before the backend is back: the queued check-in still arrives once and the conflict is still flagged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-desk-restart-'));
    const first = await startCore({ version: 't', dataDir: dir, backend: { endpoints: cluster.urls, token: TOKEN } });
    await waitFor(() => first.desk.cache.size >= 2400, 10_000);
    const inside = member('active', 40);
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => first.pools.connectionView().state === 'offline');
    cluster.gym.checkIn(inside.cardId, 'door'); // inside now, unseen by this PC: the server will say duplicate
    await sleep(2_100); // past the bounce window for this card
    const r = await dispatch(first.handlers, 'desk.checkin', { cardId: inside.cardId, source: 'kiosk' }, ctx);
    expect(r).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: true } } });
    await first.stop(); // the kiosk PC goes down with the check-in still queued

    await Promise.all(cluster.instances.map((i) => i.restore()));
    const again = await startCore({ version: 't', dataDir: dir, backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      await waitFor(() => again.stream.snapshot().feeds.activity.some((a) => a.type === 'reconcile-conflict'), 10_000);
      const flagged = again.stream.snapshot().feeds.activity.filter((a) => a.type === 'reconcile-conflict');
      expect(flagged).toHaveLength(1);
      expect(flagged[0]!.detail).toMatch(new RegExp(`\\(card ${inside.cardId}\\): this PC let them in while the gym's system was slow or away; the gym's system turned this down: already checked in\\. Check with the member\\.`));
      expect(again.outbox.view().queued).toBe(0);
      expect([...cluster.gym.applied.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it('offline: a member the live feed showed going in is "already checked in", also after a restart; one shown leaving is let in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-desk-presence-'));
    const first = await startCore({ version: 't', dataDir: dir, backend: { endpoints: cluster.urls, token: TOKEN } });
    await waitFor(() => first.desk.cache.size >= 2400, 10_000);
    const rosa = member('active', 50);
    const left = member('active', 51);
    // Rosa checked in at another PC: this one sees it only in the live feed. The other came and went.
    cluster.gym.checkIn(rosa.cardId, 'desk');
    cluster.gym.checkIn(left.cardId, 'desk');
    cluster.gym.checkOut(left.id);
    await waitFor(() => first.stream.current('occupancy').count === cluster.gym.occupancy);
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => first.pools.connectionView().state === 'offline');
    expect(await dispatch(first.handlers, 'desk.checkin', { cardId: rosa.cardId, source: 'kiosk' }, ctx)).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: false, reason: 'duplicate' } } });
    expect(await dispatch(first.handlers, 'desk.checkin', { cardId: left.cardId, source: 'kiosk' }, ctx)).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: true } } });
    await first.stop();

    // Restarted during the outage: it still knows who went in.
    const again = await startCore({ version: 't', dataDir: dir, backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      expect(again.pools.connectionView().state).toBe('offline');
      expect(again.desk.decideOffline(rosa.cardId).verdict).toEqual({ allowed: false, reason: 'duplicate' });
    } finally {
      await again.stop();
      await Promise.all(cluster.instances.map((i) => i.restore()));
      // The shared core's breakers may be open for up to 30 s after a long outage on a busy machine: try them now.
      core.pools.probeOpenBreakers(0);
      await waitFor(() => core.pools.connectionView().state === 'connected', 10_000);
    }
  });

  // probe-time16b #1: the copy's status is the last sync's. A membership that ended since (the backend away
  // overnight, its last day yesterday) was let in as "expires soon", the kiosk saying it "ends on" a day gone by.
  it("offline: a membership whose last day has passed on the gym's calendar is expired, denied by default, let in only by a policy that allows expired", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-desk-ended-'));
    const ended = member('expiring', 3);
    const zone = 'Pacific/Kiritimati'; // the gym's day, set on Analytics, well east of any PC
    const yesterday = gymDay(Date.now() - 86_400_000, zone);
    const kept = ended.expiresOn;
    ended.expiresOn = yesterday; // still "expiring" in the backend's roster, as at a sync the evening before
    const first = await startCore({ version: 't', dataDir: dir, backend: { endpoints: cluster.urls, token: TOKEN } });
    const as = async <T,>(name: string, payload: unknown, who = ctx): Promise<T> => {
      const r = await dispatch(first.handlers, name, payload, who);
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };
    try {
      await waitFor(() => first.desk.cache.size >= 2400, 10_000);
      await as('analytics.configure', { timezone: zone }, managerCtx);
      await Promise.all(cluster.instances.map((i) => i.kill()));
      await waitFor(() => first.pools.connectionView().state === 'offline');

      const denied = await as<CheckinResult>('desk.checkin', { cardId: ended.cardId, source: 'kiosk' });
      expect(denied).toMatchObject({ offline: true, verdict: { allowed: false, reason: 'expired' }, member: { id: ended.id, status: 'expired', expiresOn: yesterday }, today: gymDay(Date.now(), zone) });
      // The desk's words for it (the banners themselves: tests/renderer/membership-tense): the expired reason and
      // the end date in the past tense; `offline` above is what says this PC decided it.
      expect(REASON_WORDS[denied.verdict!.reason]).toBe('Denied: membership expired');
      expect(standingLine(denied.member!, 'Jul 2', denied.today)).toBe('Membership ended on Jul 2');
      // The desk's lookup from the copy lists the member as of today too.
      const found = await as<{ members: Member[]; today: string }>('desk.lookup', { query: ended.id });
      expect(found.members.find((m) => m.id === ended.id)?.status).toBe('expired');

      await as('desk.configure', { offlinePolicy: { allowStatuses: ['active', 'expiring', 'expired'], unknownCard: 'deny' } }, managerCtx);
      await sleep(2_100); // past the bounce window for this card
      const allowed = await as<CheckinResult>('desk.checkin', { cardId: ended.cardId, source: 'desk' });
      expect(allowed).toMatchObject({ offline: true, verdict: { allowed: true, reason: 'ok' }, member: { status: 'expired' } });
      expect(standingLine(allowed.member!, 'Jul 2', allowed.today)).toBe('Membership ended on Jul 2');
    } finally {
      ended.expiresOn = kept;
      await first.stop();
      await Promise.all(cluster.instances.map((i) => i.restore()));
      // The shared core's breakers may be open for up to 30 s after a long outage on a busy machine: try them now.
      core.pools.probeOpenBreakers(0);
      await waitFor(() => core.pools.connectionView().state === 'connected', 10_000);
    }
  });

  it('a front-door release (and any staff message) is in the audit log: who, when, which door', async () => {
    await call('door.release', { door: 'front' });
    // Recorded with its outcome, once the gym system confirmed it.
    await waitFor(() => core.stream.current('door')?.state === 'released');
    await call('outbox.send', { lane: 'notification', kind: 'note', data: 'towels low' });
    const audit = await call<{ action: string; subject: string; actor: string }[]>('audit.list', undefined, managerCtx);
    expect(audit.slice(0, 2)).toMatchObject([
      { action: 'staff.send', subject: 'note', actor: 'front desk' },
      { action: 'door.release', subject: 'front', actor: 'front desk' },
    ]);
  });

  it('takes a stricter offline policy, validated and audited', async () => {
    expect((await dispatch(core.handlers, 'desk.configure', { offlinePolicy: { allowStatuses: ['banana'], unknownCard: 'deny' } }, managerCtx)).ok).toBe(false);
    expect(await dispatch(core.handlers, 'desk.configure', { offlinePolicy: { allowStatuses: ['active', 'active'], unknownCard: 'deny' } }, managerCtx)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Each membership status is listed once.') },
    });
    expect(await dispatch(core.handlers, 'desk.configure', { verdictSeconds: 5 }, ctx)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await call('desk.configure', { offlinePolicy: { allowStatuses: ['active'], unknownCard: 'deny' } }, managerCtx);
    expect(core.desk.decideOffline(member('expiring').cardId).verdict).toEqual({ allowed: false, reason: 'expired' });
    const audit = await call<{ action: string; actor: string }[]>('audit.list', undefined, managerCtx);
    expect(audit[0]).toMatchObject({ action: 'desk.configure', actor: 'manager' });
  });

  it('finds "Müller" by "Muller" in the backend and in the copy on this PC, and says how many match in all', async () => {
    await waitFor(() => core.pools.connectionView().state === 'connected', 10_000); // back from the tests that killed the backend
    const all = [...cluster.gym.members].filter((m) => m.name.includes('Müller'));
    const r = await call<{ members: Member[]; source: string; total?: number }>('desk.lookup', { query: 'Muller' });
    expect(r).toMatchObject({ source: 'backend', total: all.length });
    expect(r.members).toHaveLength(20);
    expect(r.members.every((m) => m.name.includes('Müller'))).toBe(true);
    expect(core.desk.cache.search('muller')).toMatchObject({ total: all.length });
  });

  it('a typed member id checks that member in by their card', async () => {
    const m = member('frozen', 3);
    const r = await call<CheckinResult>('desk.checkin', { cardId: m.id.toLowerCase(), source: 'kiosk' });
    expect(r).toMatchObject({ ignored: null, offline: false, verdict: { allowed: false, reason: 'frozen' }, member: { id: m.id } });
  });

  it('the occupancy gauge carries the backend capacity; the desk settings move only the warnings', async () => {
    await call('desk.configure', { busyAt: 120, nearlyFullAt: 180 }, managerCtx);
    expect(core.stream.current('occupancy')).toMatchObject({ capacity: cluster.gym.capacity, busyAt: 120, nearlyFullAt: 180 });
    expect(await dispatch(core.handlers, 'desk.configure', { busyAt: 200, nearlyFullAt: 100 }, managerCtx)).toMatchObject({ ok: false, error: { code: 'warnings-order', field: 'nearlyFullAt' } });
    await call('desk.configure', { busyAt: 0, nearlyFullAt: 0 }, managerCtx);
    const cap = cluster.gym.capacity;
    expect(core.stream.current('occupancy')).toMatchObject({ capacity: cap, busyAt: Math.round(cap * 0.8), nearlyFullAt: Math.round(cap * 0.9) });
  });
});
