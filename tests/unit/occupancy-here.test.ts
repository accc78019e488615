import { describe, expect, it } from 'vitest';
import { occupancyHere } from '../../src/main/core/occupancy-here';
import { PatchStream } from '../../src/main/core/state/patch-stream';
import { EMPTY_HEALTH, EMPTY_OUTBOX, type ConnectionView, type Gauges } from '../../src/shared/state';

// readme27 W3, probe28b H6: the count the desk decides by is on Overview whenever the desk decides by it.
function rig() {
  const initial = { occupancy: { count: 12, capacity: 10, at: 1_000 }, outbox: EMPTY_OUTBOX, health: EMPTY_HEALTH } as unknown as Gauges;
  const stream = new PatchStream(initial);
  let view = { state: 'connected', cause: null } as unknown as ConnectionView;
  let counted: { count: number; capacity: number; mine: number } | null = { count: 12, capacity: 10, mine: 0 };
  let waiting = 2;
  const update = occupancyHere({ pools: { connectionView: () => view }, stream, desk: { countHere: () => counted }, waiting: () => waiting });
  return {
    update,
    here: () => stream.current('occupancy').here,
    set: (v: Partial<ConnectionView>, c: typeof counted) => ((view = { ...view, ...v } as ConnectionView), (counted = c)),
    nothingWaits: () => (waiting = 0),
  };
}

describe("this PC's own count on the occupancy gauge", () => {
  it('is there while the backend is away or cannot record, and gone once it answers', () => {
    const r = rig();
    r.update();
    expect(r.here()).toBeUndefined();
    r.set({ state: 'offline' }, { count: 13, capacity: 10, mine: 1 });
    r.update();
    expect(r.here()).toBe(13);
    r.set({ state: 'degraded', cause: { kind: 'storage-unavailable' } as ConnectionView['cause'] }, { count: 12, capacity: 10, mine: 0 });
    r.update();
    expect(r.here()).toBe(12);
    r.set({ state: 'connected', cause: null }, { count: 12, capacity: 10, mine: 0 });
    r.update();
    expect(r.here()).toBeUndefined();
  });

  it('is there while check-ins decided here wait for an answer from a backend that looks connected (a stuck program)', () => {
    const r = rig();
    r.set({ state: 'degraded' }, { count: 14, capacity: 10, mine: 2 });
    r.update();
    expect(r.here()).toBe(14);
    // review28 V5: decided here and dead-lettered, nothing waiting: the backend answers, its count stands.
    r.nothingWaits();
    r.update();
    expect(r.here()).toBeUndefined();
  });

  it('is not there with no count from the backend to start from', () => {
    const r = rig();
    r.set({ state: 'offline' }, null);
    r.update();
    expect(r.here()).toBeUndefined();
  });
});
