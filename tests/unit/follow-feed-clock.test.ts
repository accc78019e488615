import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followGymFeed } from '../../src/main/core/feed-wiring';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { PatchStream } from '../../src/main/core/state/patch-stream';
import { EMPTY_HEALTH, EMPTY_OUTBOX, type CheckinEntry, type Gauges } from '../../src/shared/state';
import { DEFAULT_DESK_SETTINGS } from '../../src/shared/desk';
import type { SequencedEvent } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';
import { LIVE_STAMP_OFF_MS } from '../../src/shared/backend-clock';

const gauges: Gauges = {
  mode: { demo: false, review: false, dataDir: '/tmp' },
  connection: { state: 'connected', endpoints: [], lastSeq: 0, protocolErrors: 0, eventsMissed: 0, restartedAt: null, cause: null },
  occupancy: { count: 0, capacity: 300 },
  demo: null,
  pools: [],
  outbox: EMPTY_OUTBOX,
  waitingCheckins: [],
  answeredCheckins: [],
  door: null,
  exportProgress: null,
  alerts: [],
  health: EMPTY_HEALTH,
};

/** The app's feed wiring over stand-ins: the real stream the screens read, a feed to emit on, analytics that keep what they got. */
function rig() {
  const clock = new FakeClock();
  const stream = new PatchStream(gauges, { clock });
  const feed = Object.assign(new EventEmitter(), { remember: () => {}, place: () => null });
  const pools = Object.assign(new EventEmitter(), { feed, connectionView: () => ({ state: 'connected' }) });
  const recorded: (CheckinEntry | null)[] = [];
  const desk = { settings: DEFAULT_DESK_SETTINGS, seen: () => {}, resynced: () => {}, decidedFor: () => undefined, sentOtherwise: () => undefined, cache: { status: () => {} } };
  const analytics = { received: vi.fn((c: CheckinEntry | null) => recorded.push(c)), countedThrough: () => null };
  const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-follow-feed-')));
  followGymFeed(pools as never, { db, stream, analytics: analytics as never, desk: desk as never, clock, onWrong: () => {} });
  return { clock, stream, feed, recorded };
}

const checkin = (seq: number, ts: number): SequencedEvent => ({
  seq,
  ts,
  body: { kind: 'checkin', cardId: `40${seq}`, member: { id: `M${seq}`, name: 'Fiona', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 3 },
});

// probe-hostile17 F5: the live list and analytics took a backend stamp of 2031 as the check-in's time.
describe("the backend's events into the live list, with a stamp past belief", () => {
  it('lists and records a check-in stamped 5 years ahead as of when this PC got it', () => {
    const r = rig();
    const ahead = r.clock.now() + 5 * 365 * 86_400_000;
    r.feed.emit('event', checkin(1, ahead), false);
    expect(r.stream.feed('checkins')).toEqual([expect.objectContaining({ seq: 1, ts: r.clock.now(), clockSaid: ahead })]);
    expect(r.recorded).toEqual([expect.objectContaining({ ts: r.clock.now(), clockSaid: ahead })]);
  });

  it('a resync that brings the same event again, later, does not list it twice', () => {
    const r = rig();
    const ahead = r.clock.now() + 5 * 365 * 86_400_000;
    const snap = { capacity: 300, occupancy: 3, head: 2, recent: [checkin(1, ahead), checkin(2, r.clock.now() - 1_000)] };
    r.feed.emit('resync', snap);
    r.clock.advance(90_000);
    r.feed.emit('resync', snap);
    expect(r.stream.feed('checkins').map((c) => c.seq)).toEqual([1, 2]);
  });
});

// probe24 P2: a backend clock days (or minutes) behind this PC's dated a check-in made a moment ago at this desk days ago.
describe("the backend's events into the live list, from a backend whose clock is off by minutes or days", () => {
  const DAY = 86_400_000;
  it('lists and records a live event stamped minutes or days from its arrival, either way, as of its arrival', () => {
    for (const off of [-3 * DAY, -10 * 60_000, -LIVE_STAMP_OFF_MS, 10 * 60_000, LIVE_STAMP_OFF_MS]) {
      const r = rig();
      const said = r.clock.now() + off;
      r.feed.emit('event', checkin(1, said), false);
      expect(r.stream.feed('checkins')).toEqual([expect.objectContaining({ seq: 1, ts: r.clock.now(), clockSaid: said })]);
      expect(r.recorded).toEqual([expect.objectContaining({ ts: r.clock.now(), clockSaid: said })]);
    }
  });

  it('believes a live stamp less than that from its arrival, and a replayed one from days ago', () => {
    for (const [off, replayed] of [[-(LIVE_STAMP_OFF_MS - 1), false], [LIVE_STAMP_OFF_MS - 1, false], [-3 * DAY, true]] as const) {
      const r = rig();
      const said = r.clock.now() + off;
      r.feed.emit('event', checkin(1, said), replayed);
      const [row] = r.stream.feed('checkins');
      expect(row).toMatchObject({ ts: said });
      expect(row).not.toHaveProperty('clockSaid');
    }
  });

  it('a resync that brings a live row taken as of its arrival again does not list it twice', () => {
    const r = rig();
    const said = r.clock.now() - 3 * DAY;
    r.feed.emit('event', checkin(1, said), false);
    r.clock.advance(90_000);
    r.feed.emit('resync', { capacity: 300, occupancy: 3, head: 1, recent: [checkin(1, said)] });
    expect(r.stream.feed('checkins').map((c) => c.seq)).toEqual([1]);
  });

  it('marks a row that came with its scan time as one that waited, and no other', () => {
    const r = rig();
    const now = r.clock.now();
    r.feed.emit('event', { ...checkin(1, now), body: { ...checkin(1, now).body, scannedAt: now - 20_000 } } as SequencedEvent, false);
    r.feed.emit('event', checkin(2, now), false);
    expect(r.stream.feed('checkins').map((c) => [c.seq, c.waited])).toEqual([[1, true], [2, undefined]]);
  });
});

// probe27a P3 / review27 V11: the capacity a resubscribe says is laid under the count, and never clears the warning
// about figures from the backend that could not be right.
describe("the gym's capacity from a resubscribe", () => {
  it('moves the share under the count; with figures that could not be right, the warning stands', () => {
    const r = rig();
    r.feed.emit('capacity', 300); // before any count: kept for the first
    r.feed.emit('event', checkin(1, r.clock.now()), false);
    expect(r.stream.current('occupancy')).toMatchObject({ count: 3, capacity: 300 });
    r.feed.emit('capacity', 13);
    expect(r.stream.current('occupancy')).toMatchObject({ count: 3, capacity: 13 });
    r.feed.emit('event', { ...checkin(2, r.clock.now()), body: { ...checkin(2, 0).body, occupancy: 900_000 } }, false);
    expect(r.stream.current('occupancy').wrong).toBeDefined();
    r.feed.emit('capacity', 0);
    expect(r.stream.current('occupancy')).toMatchObject({ count: 3, capacity: 13, wrong: expect.anything() });
  });
});
