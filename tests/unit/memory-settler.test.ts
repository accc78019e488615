import { describe, expect, it } from 'vitest';
import { MemorySettler, SETTLE_CHECK_MS as CHECK, processSettlerInputs } from '../../src/main/core/memory-settler';
import { FakeClock } from '../helpers/fake-clock';

const MB = 1024 * 1024;

function rig(start = 20 * MB) {
  const clock = new FakeClock();
  const state = { heap: start, busy: 0, live: start, collected: 0 };
  const settler = new MemorySettler(clock, {
    heapUsed: () => state.heap,
    busy: () => state.busy,
    collect: () => {
      state.collected++;
      state.heap = state.live;
    },
  });
  settler.start();
  return { clock, state, settler };
}

describe('the memory settler', () => {
  it('collects a burst of garbage once the loop has been quiet for two checks', () => {
    const { clock, state } = rig();
    state.busy = 0.9;
    state.heap = 90 * MB; // a flood: the loop is busy and the heap full of garbage
    clock.advance(60_000);
    expect(state.collected).toBe(0);
    state.busy = 0.01;
    clock.advance(CHECK);
    expect(state.collected).toBe(0); // one quiet check is not enough
    clock.advance(CHECK);
    expect(state.collected).toBe(1);
    expect(state.heap).toBe(20 * MB);
  });

  it('leaves ordinary growth alone, and collects at most once a minute', () => {
    const { clock, state } = rig();
    state.heap = 30 * MB; // +10 MB: caches filling, not worth a pause
    clock.advance(120_000);
    expect(state.collected).toBe(0);
    state.live = 40 * MB;
    state.heap = 80 * MB;
    clock.advance(CHECK);
    expect(state.collected).toBe(1);
    state.heap = 80 * MB; // garbage again at once
    clock.advance(60_000 - CHECK);
    expect(state.collected).toBe(1);
    clock.advance(CHECK);
    expect(state.collected).toBe(2);
  });

  it('stops checking when stopped', () => {
    const { clock, state, settler } = rig();
    settler.stop();
    state.heap = 500 * MB;
    clock.advance(600_000);
    expect(state.collected).toBe(0);
  });

  it('reaches the real collector: garbage made here is gone after collect()', () => {
    const inputs = processSettlerInputs();
    let keep: unknown[] | null = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `garbage ${i}` }));
    const before = inputs.heapUsed();
    keep = null;
    void keep;
    inputs.collect();
    expect(inputs.heapUsed()).toBeLessThan(before - 10 * MB);
    expect(inputs.busy()).toBeGreaterThanOrEqual(0);
  });
});
