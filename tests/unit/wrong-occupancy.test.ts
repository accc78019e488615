import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { followFeed } from '../../src/main/core/feed';
import { PatchStream } from '../../src/main/core/state/patch-stream';
import type { EventFeed } from '../../src/main/core/pool/event-feed';
import type { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import type { FrontDesk } from '../../src/main/core/desk/front-desk';
import type { LastKnown } from '../../src/main/core/state/last-known';
import { occupancyProblem, type SequencedEvent } from '../../src/shared/protocol';
import { DEFAULT_DESK_SETTINGS } from '../../src/shared/desk';
import { EMPTY_HEALTH, EMPTY_OUTBOX, type Gauges } from '../../src/shared/state';
import { wrongOccupancyWords } from '../../src/shared/words';
import { FakeClock } from '../helpers/fake-clock';

// probe-hostile17 F6: occupancy 1,000,000 against a capacity of 300 was shown as "1000000 / 300" and "333333% of the
// backend's capacity", with Health saying All systems OK.

describe('occupancyProblem: what no gym holds', () => {
  it('a count far past the capacity, or any count past what any gym holds with none set', () => {
    expect(occupancyProblem(1_000_000, 300)).toEqual({ kind: 'over', count: 1_000_000, capacity: 300 });
    expect(occupancyProblem(471, 300)).toEqual({ kind: 'over', count: 471, capacity: 300 });
    expect(occupancyProblem(25_000, 0)).toEqual({ kind: 'over', count: 25_000, capacity: 0 });
  });
  it('a capacity past any gym is wrong whatever the count', () => {
    expect(occupancyProblem(10, 1_000_000)).toEqual({ kind: 'capacity', capacity: 1_000_000 });
  });
  it('a gym somewhat over its capacity, a small studio over by a few, and an empty gym are believed', () => {
    expect(occupancyProblem(310, 300)).toBeNull();
    expect(occupancyProblem(470, 300)).toBeNull();
    expect(occupancyProblem(25, 4)).toBeNull();
    expect(occupancyProblem(0, 300)).toBeNull();
    expect(occupancyProblem(120, 0)).toBeNull();
  });
  it('is said with thousands separators and whom to tell', () => {
    expect(wrongOccupancyWords({ kind: 'over', count: 1_000_000, capacity: 300 })).toBe(
      "The gym's system reports 1,000,000 inside, far more than its capacity of 300: its count is wrong, so it is not shown. Tell IT.",
    );
  });
});

const ADA_CARD = '4000000001';

const gauges = {
  occupancy: { count: 0, capacity: 0 },
  connection: { state: 'connected', endpoints: [], lastSeq: 0, protocolErrors: 0, eventsMissed: 0, restartedAt: null, cause: null },
  outbox: EMPTY_OUTBOX,
  health: EMPTY_HEALTH,
} as unknown as Gauges;

function rig(countedThrough: { seq: number; epoch?: string } | null = null) {
  const clock = new FakeClock();
  const stream = new PatchStream(gauges, { clock });
  const bus = Object.assign(new EventEmitter(), { remember: () => {} });
  const told: { detail: string; raw: string }[] = [];
  const seen: number[] = [];
  const counted: unknown[] = [];
  const desk = { settings: DEFAULT_DESK_SETTINGS, resynced: () => {}, seen: (e: SequencedEvent) => seen.push(e.seq), decidedFor: () => undefined, sentOtherwise: (key: string, card: string) => (key === 'k-ada' && card !== ADA_CARD ? ADA_CARD : undefined), cache: { status: () => {} } } as unknown as FrontDesk;
  const kept = { restore: () => ({ occupancy: null, checkins: [] }), changed: () => {} } as unknown as LastKnown;
  const analytics = { received: (entry: unknown) => entry && counted.push(entry), countedThrough: () => countedThrough } as unknown as AnalyticsEngine;
  const gym = followFeed(bus as unknown as EventFeed, { stream, analytics, desk, kept, clock, onWrong: (detail, raw) => told.push({ detail, raw }) });
  let seq = 0;
  const checkout = (occupancy: number): SequencedEvent => ({ seq: ++seq, ts: clock.now(), body: { kind: 'checkout', memberId: 'M1', name: 'Ada', auto: false, occupancy } });
  const occ = () => stream.current('occupancy');
  return { clock, feed: bus as EventEmitter, told, gym, checkout, occ, stream, seen, counted };
}

describe('the occupancy gauge at the boundary', () => {
  it('keeps the last believable figure and says what came, told for IT once until the count can be right again', () => {
    const r = rig();
    r.feed.emit('resync', { head: 0, occupancy: 120, capacity: 300, recent: [] });
    const believedAt = r.clock.now();
    r.clock.advance(5_000);
    r.feed.emit('event', r.checkout(1_000_000));
    expect(r.occ()).toMatchObject({ count: 120, capacity: 300, at: believedAt, wrong: { kind: 'over', count: 1_000_000, capacity: 300, at: r.clock.now() } });
    r.feed.emit('event', r.checkout(999_999));
    expect(r.told).toHaveLength(1);
    expect(r.told[0]!.detail).toContain('reports 1,000,000 inside, far more than its capacity of 300');
    // A believable count again: shown, and the note is gone.
    r.feed.emit('event', r.checkout(121));
    expect(r.occ()).toMatchObject({ count: 121, capacity: 300 });
    expect(r.occ().wrong).toBeUndefined();
  });

  it('a gym somewhat over its capacity is shown as it is, nothing told', () => {
    const r = rig();
    r.feed.emit('resync', { head: 0, occupancy: 310, capacity: 300, recent: [] });
    expect(r.occ()).toMatchObject({ count: 310, capacity: 300 });
    expect(r.occ().wrong).toBeUndefined();
    expect(r.told).toHaveLength(0);
  });

  // probe28b H1: a busy gym told to hold fewer (the backend restarted with a lower capacity) was said to be "wrong".
  it('a count believed already, against a capacity lowered since, is a gym over its capacity; a count rising past the bound is not', () => {
    const r = rig();
    r.feed.emit('resync', { head: 0, occupancy: 100, capacity: 100, recent: [] });
    r.feed.emit('capacity', 50);
    expect(r.occ()).toMatchObject({ count: 100, capacity: 50 });
    expect(r.occ().wrong).toBeUndefined();
    r.feed.emit('event', r.checkout(99));
    expect(r.occ()).toMatchObject({ count: 99, capacity: 50 });
    expect(r.told).toHaveLength(0);
    r.feed.emit('event', r.checkout(120));
    expect(r.occ()).toMatchObject({ count: 99, capacity: 50, wrong: { kind: 'over', count: 120 } });
  });

  // review28 V3: a catch-up after a restart replays events from before the snapshot; each set the count back to its own,
  // and one from before a capacity was lowered was told to IT as an impossible count.
  it("a catch-up's older events leave the snapshot's count as it is, and are not judged against today's capacity", () => {
    const r = rig();
    r.feed.emit('resync', { head: 10, occupancy: 40, capacity: 50, recent: [] });
    for (const [seq, occupancy] of [[3, 120], [7, 110], [10, 41]] as const) r.feed.emit('event', { ...r.checkout(occupancy), seq }, true);
    expect(r.occ()).toMatchObject({ count: 40, capacity: 50 });
    expect(r.occ().wrong).toBeUndefined();
    expect(r.told).toEqual([]);
    expect(r.counted).toHaveLength(0); // checkouts: nothing to count, but the events were taken
    // The next event after the snapshot is the count from then on.
    r.feed.emit('event', { ...r.checkout(39), seq: 11 });
    expect(r.occ()).toMatchObject({ count: 39, capacity: 50 });
  });

  it('a first snapshot that cannot be right leaves the count unknown, not a nonsense figure', () => {
    const r = rig();
    r.feed.emit('resync', { head: 0, occupancy: 5, capacity: 1_000_000, recent: [] });
    expect(r.occ()).toMatchObject({ count: 0, capacity: 0, wrong: { kind: 'capacity', capacity: 1_000_000 } });
    expect(r.occ().at).toBeUndefined();
    // Nor is that capacity used to judge the next count.
    r.feed.emit('event', r.checkout(30_000));
    expect(r.occ()).toMatchObject({ count: 0, wrong: { kind: 'over', count: 30_000 } });
    expect(r.told.map((t) => t.raw)).toEqual(['occupancy 5 against capacity 1000000: capacity', 'occupancy 30000 against capacity 0: over']);
  });
});

describe("a check-in event naming this PC's own request for another card", () => {
  const mixedUp = (seq: number): SequencedEvent => ({
    seq,
    ts: 1,
    body: { kind: 'checkin', cardId: '4000000002', member: { id: 'M2', name: 'Bob Secret', status: 'frozen' }, verdict: { allowed: true, reason: 'ok' }, source: 'kiosk', occupancy: 1, requestId: 'k-ada' },
  });
  it('is left out of the live list, the reports and who is inside, and told for IT once by cards', () => {
    const r = rig();
    r.feed.emit('event', mixedUp(1));
    r.feed.emit('resync', { head: 1, occupancy: 1, capacity: 300, recent: [mixedUp(1)] });
    expect(r.stream.feed('checkins')).toHaveLength(0);
    expect(r.counted).toHaveLength(0);
    expect(r.seen).toHaveLength(0);
    expect(r.told).toHaveLength(1);
    expect(r.told[0]!.detail).toContain("this PC's check-in of card 4000000001 under card 4000000002 (event 1)");
    expect(r.told[0]!.detail).not.toContain('Bob');
    // Its count is the backend's all the same.
    expect(r.occ()).toMatchObject({ count: 1, capacity: 300 });
  });
  it("another console's check-in, or this PC's for the card it sent, is listed as ever", () => {
    const r = rig();
    r.feed.emit('event', { ...mixedUp(1), body: { ...mixedUp(1).body, requestId: 'k-other' } });
    expect(r.stream.feed('checkins')).toHaveLength(1);
    expect(r.told).toHaveLength(0);
  });
});

// review28 V4: the backend's log lost its last events (same numbering) while the console restarted; the console's kept
// place was further back than what analytics had counted. The skip was dropped, and the catch-up counted again.
describe('what analytics counted before a start, against a log that lost its last events', () => {
  const checkin = (seq: number): SequencedEvent => ({ seq, ts: 1, body: { kind: 'checkin', cardId: `40000000${seq}`, member: null, verdict: { allowed: false, reason: 'unknown-card' }, source: 'door', occupancy: 1 } });
  it('the caught-up events up to its head are not counted again; those after it are', () => {
    const r = rig({ seq: 105, epoch: 'e' });
    r.feed.emit('resync', { head: 103, epoch: 'e', occupancy: 1, capacity: 300, recent: [] });
    for (const seq of [101, 102, 103]) r.feed.emit('event', checkin(seq), true);
    expect(r.counted).toHaveLength(0);
    r.feed.emit('event', checkin(104), false); // new: the log's 104 is not the one counted before
    r.feed.emit('event', checkin(105), false);
    expect(r.counted).toHaveLength(2);
  });
});

