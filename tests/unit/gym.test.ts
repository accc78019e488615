import { describe, expect, it } from 'vitest';
import { Gym } from '../../src/server/gym';
import { EventLog } from '../../src/server/event-log';
import { seedRoster } from '../../src/server/roster';
import { LIMITS, MEMBER_STATUSES } from '../../src/shared/protocol';

const T0 = Date.UTC(2026, 10, 23, 8);

function gymAt(opts: ConstructorParameters<typeof Gym>[0] = {}) {
  let now = T0;
  const gym = new Gym({ now: () => now, ...opts });
  const byStatus = (s: string) => [...gym.members].find((m) => m.status === s)!;
  return { gym, byStatus, tick: (ms: number) => (now += ms) };
}

describe('roster', () => {
  it('is deterministic, at least 2,000 strong, with every status and unique cards', () => {
    const a = seedRoster(2400, 42, T0);
    const b = seedRoster(2400, 42, T0);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThanOrEqual(2000);
    expect(new Set(a.map((m) => m.cardId)).size).toBe(a.length);
    for (const s of MEMBER_STATUSES) expect(a.filter((m) => m.status === s).length).toBeGreaterThan(50);
  });
});

describe('check-in verdicts', () => {
  it('gives every denial its reason', () => {
    const { gym, byStatus } = gymAt();
    expect(gym.checkIn('0000', 'door').verdict).toEqual({ allowed: false, reason: 'unknown-card' });
    for (const s of ['expired', 'frozen', 'unpaid'] as const) {
      expect(gym.checkIn(byStatus(s).cardId, 'door').verdict).toEqual({ allowed: false, reason: s });
    }
    expect(gym.checkIn(byStatus('expiring').cardId, 'door').verdict).toEqual({ allowed: true, reason: 'expiring-soon' });
    const active = byStatus('active');
    expect(gym.checkIn(active.cardId, 'door').verdict).toEqual({ allowed: true, reason: 'ok' });
    expect(gym.checkIn(active.cardId, 'door').verdict).toEqual({ allowed: false, reason: 'duplicate' });
  });

  it('denies a second visit within the duplicate window even after leaving, and allows it after', () => {
    const { gym, byStatus, tick } = gymAt({ duplicateWindowMs: 60_000 });
    const m = byStatus('active');
    gym.checkIn(m.cardId, 'door');
    gym.checkOut(m.id);
    tick(30_000);
    expect(gym.checkIn(m.cardId, 'door').verdict.reason).toBe('duplicate');
    tick(31_000);
    expect(gym.checkIn(m.cardId, 'door').verdict.allowed).toBe(true);
  });

  it('denies at capacity', () => {
    const { gym } = gymAt({ capacity: 2 });
    const actives = [...gym.members].filter((m) => m.status === 'active');
    gym.checkIn(actives[0]!.cardId, 'door');
    gym.checkIn(actives[1]!.cardId, 'door');
    expect(gym.checkIn(actives[2]!.cardId, 'door').verdict).toEqual({ allowed: false, reason: 'capacity-full' });
    expect(gym.occupancy).toBe(2);
  });

  // probe27a P2: a frozen, unpaid or expired member's denial was its status, so an override let them into a full gym,
  // while an active member was turned away "not even by override".
  it('lets nobody past capacity by override, whatever their membership; one already inside adds nobody', () => {
    const { gym, byStatus } = gymAt({ capacity: 2 });
    const actives = [...gym.members].filter((m) => m.status === 'active');
    gym.checkIn(actives[0]!.cardId, 'door');
    gym.checkIn(actives[1]!.cardId, 'door');
    const override = { note: 'paid at the desk', staff: 'desk' };
    for (const s of ['expired', 'frozen', 'unpaid'] as const) {
      expect(gym.checkIn(byStatus(s).cardId, 'desk', undefined, { override }).verdict).toEqual({ allowed: false, reason: 'capacity-full' });
    }
    expect(gym.checkIn(actives[0]!.cardId, 'desk', undefined, { override }).verdict).toEqual({ allowed: true, reason: 'override' });
    expect(gym.occupancy).toBe(2);
  });

  it('applies a request id once; a resend gets the first reply', () => {
    const { gym, byStatus } = gymAt();
    const m = byStatus('active');
    const first = gym.checkIn(m.cardId, 'kiosk', 'req-1');
    const again = gym.checkIn(m.cardId, 'kiosk', 'req-1');
    expect(again).toBe(first);
    expect(gym.applied.get('req-1')).toBe(1);
    expect(gym.log.lastSeq).toBe(1);
  });

  it('keeps what it remembers of actions bounded by the idempotency window, tally included', () => {
    const { gym } = gymAt();
    const n = LIMITS.idempotencyWindow * 1.5;
    for (let i = 0; i < n; i++) gym.action(`a-${i}`, 'sync', '');
    expect(gym.applied.size).toBeLessThanOrEqual(LIMITS.idempotencyWindow * 1.1);
    expect(gym.action(`a-${n - 1}`, 'sync', '')).toEqual({ ok: true, applied: false }); // recent keys still dedup
    expect(gym.applied.get(`a-${n - 1}`)).toBe(1);
  });

  it('checks members out automatically after the maximum visit', () => {
    const { gym, byStatus, tick } = gymAt({ maxVisitMs: 3_600_000 });
    gym.checkIn(byStatus('active').cardId, 'door');
    tick(3_599_000);
    expect(gym.sweep()).toBe(0);
    tick(2_000);
    expect(gym.sweep()).toBe(1);
    expect(gym.occupancy).toBe(0);
    expect(gym.log.recent(1)[0]!.body).toMatchObject({ kind: 'checkout', auto: true });
  });

  it('looks members up by id, card, phone digits and name', () => {
    const { gym } = gymAt();
    const m = [...gym.members][10]!;
    expect(gym.lookup(m.id)[0]).toEqual(m);
    expect(gym.lookup(m.cardId)[0]).toEqual(m);
    expect(gym.lookup(m.phone.replace(/-/g, ''))).toContainEqual(m);
    expect(gym.lookup(m.name.toLowerCase())).toContainEqual(m);
  });
});

describe('event log replay', () => {
  const body = { kind: 'checkout', memberId: 'm', name: 'n', auto: false, occupancy: 0 } as const;
  it('replays from a sequence, and says when it no longer can', () => {
    const log = new EventLog(5, () => 0);
    for (let i = 0; i < 8; i++) log.append(body);
    expect(log.since(5)).toMatchObject({ gap: false });
    expect(log.since(5).events.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(log.since(3).gap).toBe(false); // 4..8 still held
    expect(log.since(2).gap).toBe(true);
    expect(log.since(2).events.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(log.since(8).events).toEqual([]);
    expect(log.since(99).gap).toBe(true); // client ahead: the server's log was reset
  });
});

describe('the in-memory store behind the GymStore seam', () => {
  it('replays with its head, and a roster change decides the next verdict and shows in lookups', () => {
    const { gym, byStatus } = gymAt();
    const m = byStatus('active');
    gym.checkIn('nobody', 'door');
    expect(gym.replay(0)).toMatchObject({ head: 1, gap: false, events: [{ seq: 1 }] });
    expect(gym.setMemberStatus(m.id, 'unpaid')).toBe(true);
    expect(gym.setMemberStatus('M99999', 'unpaid')).toBe(false);
    expect(gym.checkIn(m.cardId, 'desk').verdict).toEqual({ allowed: false, reason: 'unpaid' });
    expect(gym.search(m.id).members[0]).toMatchObject({ id: m.id, status: 'unpaid' });
    expect(gym.head()).toBe(2);
  });
});
