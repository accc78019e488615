import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { PRESENCE_CAP, Presence } from '../../src/main/core/desk/presence';
import type { GymEvent, SequencedEvent } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

const HOUR = 3_600_000;
let seq = 0;
const ev = (ts: number, body: GymEvent): SequencedEvent => ({ seq: ++seq, ts, body });
const checkin = (ts: number, n: number, allowed = true, scannedAt?: number): SequencedEvent =>
  ev(ts, {
    kind: 'checkin',
    cardId: `400000${String(n).padStart(4, '0')}`,
    member: { id: `M${n}`, name: `Member ${n}`, status: 'active' },
    verdict: allowed ? { allowed: true, reason: 'ok' } : { allowed: false, reason: 'frozen' },
    source: 'desk',
    occupancy: 1,
    ...(scannedAt !== undefined && { scannedAt }),
  });
const card = (n: number): string => `400000${String(n).padStart(4, '0')}`;

function setup() {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  const clock = new FakeClock();
  return { db, clock, presence: new Presence(db, clock, 4 * HOUR) };
}

describe('who the live feed showed inside', () => {
  // probe22 K1: written a second late, a member let in just before a power cut was let in again offline after it.
  it('is on disk within a quarter of a second of the event', () => {
    const { db, clock, presence } = setup();
    presence.seen(checkin(clock.now(), 1));
    clock.advance(250);
    expect(db.prepare('SELECT member_id FROM presence').pluck().all()).toEqual(['M1']);
  });

  it('an allowed check-in is inside from its scan, a denied one is not, a checkout is out; known by card or member', () => {
    const { clock, presence } = setup();
    const now = clock.now();
    presence.seen(checkin(now, 1, true, now - HOUR));
    presence.seen(checkin(now, 2, false));
    presence.seen(checkin(now, 3));
    presence.seen(ev(now, { kind: 'checkout', memberId: 'M3', name: 'Member 3', auto: false, occupancy: 1 }));
    expect(presence.inside(card(1), undefined, now - 2 * HOUR)).toBe(true);
    expect(presence.inside('other', 'M1', now - 2 * HOUR)).toBe(true);
    expect(presence.inside(card(1), 'M1', now - HOUR + 1)).toBe(false); // went in at the scan, before this
    expect(presence.inside(card(2), 'M2', 0)).toBe(false);
    expect(presence.inside(card(3), 'M3', 0)).toBe(false);
  });

  it('writes once a second, not per event, and a new console on the same file knows it', () => {
    const { db, clock, presence } = setup();
    presence.seen(checkin(clock.now(), 1));
    expect(db.prepare('SELECT COUNT(*) AS n FROM presence').get()).toEqual({ n: 0 });
    clock.advance(1_000);
    expect(db.prepare('SELECT COUNT(*) AS n FROM presence').get()).toEqual({ n: 1 });
    expect(new Presence(db, clock, 4 * HOUR).inside(card(1), 'M1', 0)).toBe(true);
  });

  it('forgets visits past the window and keeps at most PRESENCE_CAP members', () => {
    const { db, clock, presence } = setup();
    const now = clock.now();
    presence.seen(checkin(now - 5 * HOUR, 1));
    for (let i = 0; i < PRESENCE_CAP + 10; i++) presence.seen(checkin(now - HOUR + i, 100 + i));
    presence.flush();
    expect(db.prepare('SELECT COUNT(*) AS n FROM presence').get()).toEqual({ n: PRESENCE_CAP });
    expect(db.prepare("SELECT COUNT(*) AS n FROM presence WHERE member_id = 'M1'").get()).toEqual({ n: 0 });
    expect(presence.inside(card(100), 'M100', 0)).toBe(false); // the longest inside went first
    expect(presence.inside(card(100 + PRESENCE_CAP + 9), undefined, 0)).toBe(true);
  });
});

describe('a backend with a clock ahead, or absurd scan times', () => {
  it('never keeps a member inside past the visit window of this PC: a future time is taken as now', () => {
    const { clock, presence } = setup();
    const now = clock.now();
    presence.seen(checkin(now + 3 * HOUR, 7)); // its clock three hours ahead
    presence.seen(checkin(now, 8, true, 8.64e15)); // a scan in the year 275760
    expect(presence.inside(card(7), undefined, now - 4 * HOUR)).toBe(true);
    clock.advance(4 * HOUR + 1_000);
    expect(presence.inside(card(7), undefined, clock.now() - 4 * HOUR)).toBe(false);
    expect(presence.inside(card(8), undefined, clock.now() - 4 * HOUR)).toBe(false);
  });
});
