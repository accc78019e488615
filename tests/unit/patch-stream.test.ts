import { describe, expect, it } from 'vitest';
import { PatchStream } from '../../src/main/core/state/patch-stream';
import { EMPTY_HEALTH, EMPTY_OUTBOX, type CheckinEntry, type Gauges, type StatePatch } from '../../src/shared/state';
import { FakeClock } from '../helpers/fake-clock';

const gauges: Gauges = {
  mode: { demo: true, review: false, dataDir: '/tmp' },
  connection: { state: 'offline', endpoints: [], lastSeq: 0, protocolErrors: 0, eventsMissed: 0, restartedAt: null, cause: null },
  occupancy: { count: 0, capacity: 100 },
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

const entry = (seq: number): CheckinEntry => ({
  seq, ts: seq, cardId: 'c', memberId: 'm', name: 'n', status: 'active', allowed: true, reason: 'ok', source: 'door', note: null,
});

function setup(interval = 50) {
  const clock = new FakeClock();
  const stream = new PatchStream(gauges, { clock, minIntervalMs: interval });
  const patches: StatePatch[] = [];
  stream.subscribe((p) => patches.push(p));
  return { clock, stream, patches };
}

describe('PatchStream', () => {
  it('sends a lone change on the next turn, with no added delay', () => {
    const { clock, stream, patches } = setup();
    stream.gauge('occupancy', { count: 1, capacity: 100 });
    expect(patches).toHaveLength(0); // not synchronously: same-turn changes batch
    clock.advance(0);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.gauges.occupancy).toEqual({ count: 1, capacity: 100 });
  });

  it('coalesces a flood into at most one patch per interval, last gauge write winning', () => {
    const { clock, stream, patches } = setup(50);
    // 10,000 changes over one simulated second: 10 per ms.
    for (let ms = 0; ms < 1000; ms++) {
      for (let i = 0; i < 10; i++) stream.gauge('occupancy', { count: ms * 10 + i, capacity: 100 });
      clock.advance(1);
    }
    clock.advance(100);
    expect(patches.length).toBeLessThanOrEqual(21);
    expect(patches.length).toBeGreaterThanOrEqual(19);
    expect(patches.at(-1)!.gauges.occupancy!.count).toBe(9999);
    expect(stream.stats.changes).toBe(10_000);
  });

  it('appends feed items in order and caps them per patch and in the snapshot', () => {
    const { clock, stream, patches } = setup();
    for (let i = 1; i <= 500; i++) stream.append('checkins', entry(i));
    clock.advance(0);
    const sent = patches[0]!.feeds.checkins!;
    expect(sent).toHaveLength(200);
    expect(sent[0]!.seq).toBe(301);
    expect(sent.at(-1)!.seq).toBe(500);
    expect(stream.snapshot().feeds.checkins.map((c) => c.seq)).toEqual(sent.map((c) => c.seq));
  });

  it('never repeats in a later patch what a snapshot already holds', () => {
    const { clock, stream, patches } = setup();
    stream.append('checkins', entry(1));
    const snap = stream.snapshot(); // flushes the pending patch
    stream.append('checkins', entry(2));
    clock.advance(100);
    const after = patches.filter((p) => p.seq > snap.seq);
    expect(after.flatMap((p) => p.feeds.checkins ?? []).map((c) => c.seq)).toEqual([2]);
    expect(snap.feeds.checkins.map((c) => c.seq)).toEqual([1]);
  });

  it('computes a derived gauge once per patch, however often it is marked', () => {
    const { clock, stream, patches } = setup();
    let computed = 0;
    for (let i = 0; i < 100; i++) stream.derive('occupancy', () => ({ count: ++computed, capacity: 1 }));
    clock.advance(0);
    expect(computed).toBe(1);
    expect(patches[0]!.gauges.occupancy).toEqual({ count: 1, capacity: 1 });
    stream.derive('occupancy', () => ({ count: 99, capacity: 1 }));
    stream.gauge('occupancy', { count: 5, capacity: 1 }); // a direct write overrides a pending derive
    clock.advance(100);
    expect(patches[1]!.gauges.occupancy).toEqual({ count: 5, capacity: 1 });
  });

  it('numbers patches consecutively', () => {
    const { clock, stream, patches } = setup();
    for (let i = 0; i < 5; i++) {
      stream.gauge('demo', { ratePerHour: i, instances: [] });
      clock.advance(60);
    }
    expect(patches.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});
