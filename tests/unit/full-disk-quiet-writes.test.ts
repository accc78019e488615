import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { LastKnown } from '../../src/main/core/state/last-known';
import { PRESENCE_CAP, Presence } from '../../src/main/core/desk/presence';
import { RosterCache } from '../../src/main/core/desk/roster-cache';
import { QuietWrites } from '../../src/main/core/store/quiet-writes';
import { FakeClock } from '../helpers/fake-clock';

// A full disk where SQLite says it: the one statement throws what better-sqlite3 throws (no root, no tmpfs).
const FULL = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
function fill(stmt: unknown, method: 'run' | 'get'): () => void {
  const s = stmt as Record<string, unknown>;
  const real = s[method];
  s[method] = () => {
    throw FULL();
  };
  return () => (s[method] = real);
}
const priv = (o: unknown) => o as { s: Record<string, unknown> };

function setup() {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  const lines: string[] = [];
  return { db, clock: new FakeClock(), lines, quiet: new QuietWrites((l) => lines.push(l)) };
}

describe('console.db writes a full disk refuses (J12, J14)', () => {
  it('the gym as last shown: said once in one line, tried again, and a stop does not throw', () => {
    const { db, clock, lines, quiet } = setup();
    const now = { occupancy: { count: 9, capacity: 250, at: clock.now() }, checkins: [] };
    const kept = new LastKnown(db, clock, () => now, quiet);
    const room = fill(priv(kept).s.put, 'run');
    kept.changed();
    clock.advance(2_000);
    clock.advance(30_000); // tried again: still full, not said again
    expect(lines).toEqual([expect.stringMatching(/^the gym as last shown .* could not be saved in console\.db: this PC's disk is full\. It is kept in memory meanwhile/)]);
    expect(lines[0]).not.toContain('\n');
    expect(() => kept.stop()).not.toThrow(); // the stop printed a stack and "could not stop the core" (J14)
    room();
    kept.changed();
    clock.advance(2_000);
    expect(kept.restore().occupancy).toMatchObject({ count: 9 });
    expect(lines[1]).toMatch(/is saved in console\.db again/);
  });

  it('who is inside: answered from memory while the disk refuses, written once it takes', () => {
    const { db, clock, lines, quiet } = setup();
    const presence = new Presence(db, clock, 4 * 3_600_000, quiet);
    const room = fill(priv(presence).s.enter, 'run');
    presence.seen({ seq: 1, ts: clock.now(), body: { kind: 'checkin', cardId: '4000000001', member: { id: 'M1', name: 'Member 1', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'desk', occupancy: 1 } });
    clock.advance(1_000);
    expect(presence.inside('4000000001', 'M1', clock.now() - 60_000)).toBe(true);
    expect(() => presence.stop()).not.toThrow();
    expect(lines).toHaveLength(1);
    room();
    presence.flush();
    expect(db.prepare('SELECT member_id FROM presence').pluck().all()).toEqual(['M1']);
  });

  // review21 K7: memory laid over the disk as a write would lay it, whatever the lookup and however much piles up.
  it('who is inside, from memory over the disk: a replay never makes an entry older, a leaving found by card, kept past the cap', () => {
    const { db, clock, quiet } = setup();
    const presence = new Presence(db, clock, 4 * 3_600_000, quiet);
    const checkin = (seq: number, member: string, card: string, ts: number) =>
      presence.seen({ seq, ts, body: { kind: 'checkin', cardId: card, member: { id: member, name: member, status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'desk', occupancy: 1 } });
    const entered = clock.now();
    checkin(1, 'M1', '4000000001', entered);
    clock.advance(1_000); // written
    const room = fill(priv(presence).s.enter, 'run');
    const roomToo = fill(priv(presence).s.leave, 'run');
    checkin(2, 'M1', '4000000001', entered - 600_000); // a replay of an older visit, not written
    expect(presence.since('4000000001', 'M1', entered - 3_600_000)).toBe(entered);
    presence.seen({ seq: 3, ts: clock.now(), body: { kind: 'checkout', memberId: 'M1', name: 'M1', auto: false, occupancy: 0 } });
    expect(presence.inside('4000000001', undefined, entered - 3_600_000)).toBe(false); // by card alone: gone
    for (let i = 0; i < PRESENCE_CAP + 10; i++) checkin(10 + i, `N${i}`, `41${String(i).padStart(8, '0')}`, clock.now() - i);
    clock.advance(31_000); // tried again: still full, past the cap
    expect(presence.inside('4000000001', 'M1', entered - 3_600_000)).toBe(false);
    room();
    roomToo();
    presence.flush();
    expect(db.prepare("SELECT count(*) FROM presence WHERE member_id = 'M1'").pluck().get()).toBe(0);
    // Entries are capped on their own (a leaving kept in memory pushes none out); the longest inside went first.
    expect(db.prepare('SELECT count(*) FROM presence').pluck().get()).toBe(PRESENCE_CAP);
    expect(db.prepare("SELECT member_id FROM presence WHERE member_id IN ('N0', 'N5009')").pluck().all()).toEqual(['N0']);
  });

  // review22 L3/L4: a card changed while the disk refuses is laid over the disk's row as the write would lay it; and a
  // refused write is tried again on its timer, not by every lookup (each retried up to 5,000 rows: 20 ms a check-in).
  it('who is inside from memory: a new card moves the member, and a refused write is not retried by each lookup', () => {
    const { db, clock, quiet } = setup();
    const presence = new Presence(db, clock, 4 * 3_600_000, quiet);
    const checkin = (seq: number, card: string, ts: number) =>
      presence.seen({ seq, ts, body: { kind: 'checkin', cardId: card, member: { id: 'M1', name: 'M1', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'desk', occupancy: 1 } });
    const t = clock.now();
    checkin(1, 'A', t);
    clock.advance(1_000); // written: M1 on card A
    let tries = 0;
    const enter = priv(presence).s.enter as { run: (...a: unknown[]) => unknown };
    const real = enter.run.bind(enter);
    enter.run = () => {
      tries++;
      throw FULL();
    };
    const onB = clock.now();
    checkin(2, 'B', onB); // a new card, not written
    clock.advance(1_000);
    expect(tries).toBe(1);
    expect(presence.since('A', undefined, t - 3_600_000)).toBeNull(); // the old card alone: moved to B
    expect(presence.since('B', undefined, t - 3_600_000)).toBe(onB);
    expect(tries).toBe(1); // answered from memory, not tried again by the lookups
    clock.advance(30_000);
    expect(tries).toBe(2); // tried again on its timer
    // A replay of an older visit on card B: the write would keep the disk's later time under card B.
    enter.run = real;
    presence.flush();
    enter.run = () => {
      throw FULL();
    };
    checkin(3, 'C', t - 2 * 3_600_000);
    clock.advance(1_000);
    expect(presence.since('C', undefined, t - 3_600_000)).toBe(onB);
  });

  it("the roster copy's statuses: kept in memory and written with the next that takes", () => {
    const { db, lines, quiet } = setup();
    db.prepare("INSERT INTO members (id, card_id, name, phone, status, expires_on, synced_at) VALUES ('M1', '4000000001', 'Member 1', '', 'active', '2099-01-01', 1)").run();
    db.prepare("INSERT INTO members (id, card_id, name, phone, status, expires_on, synced_at) VALUES ('M2', '4000000002', 'Member 2', '', 'active', '2099-01-01', 1)").run();
    const cache = new RosterCache(db, quiet);
    const room = fill(priv(cache).s.status, 'run');
    expect(() => cache.status('M1', 'frozen')).not.toThrow();
    expect(cache.byMemberId('M1')?.status).toBe('frozen');
    room();
    cache.status('M2', 'expired');
    expect(db.prepare('SELECT status FROM members ORDER BY id').pluck().all()).toEqual(['frozen', 'expired']);
    expect(lines).toHaveLength(2);
  });
});
