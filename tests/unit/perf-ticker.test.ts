import { describe, expect, it } from 'vitest';
import { PerfTicker, RATE_TICKS } from '../../src/main/core/analytics/perf-ticker';
import { FlowMeter } from '../../src/main/core/analytics/flow';

describe('1 Hz performance ticker', () => {
  it('reports p50/p95 across sockets, rates per second, and resets its window', async () => {
    const meter = new FlowMeter();
    const t = new PerfTicker(meter, { rtts: () => ({ a: 1, b: 2, c: 3, d: 10 }) }, () => {}, () => 42);
    t.take();
    meter.total.in += 50;
    meter.total.ok += 45;
    meter.total.errors += 5;
    await new Promise((r) => setTimeout(r, 100));
    const p = t.take();
    expect(p.ts).toBe(42);
    expect(p.p50).toBe(2.5);
    expect(p.p95).toBeCloseTo(8.95); // interpolated between 3 and 10
    expect(p.inPerS).toBeGreaterThan(300);
    expect(p.inPerS).toBeLessThan(600);
    expect(p.errorRate).toBeCloseTo(0.1);
    expect(p.rssMb).toBeGreaterThan(10);
    // The rate is over the last RATE_TICKS ticks: a quiet tick after the burst lowers it, not zeroes it.
    await new Promise((r) => setTimeout(r, 100));
    const after = t.take().inPerS;
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(p.inPerS);
    for (let i = 0; i < RATE_TICKS; i++) t.take();
    expect(t.take().inPerS).toBe(0); // and the burst leaves the window after RATE_TICKS
    const empty = new PerfTicker(meter, { rtts: () => ({}) }, () => {}).take();
    expect([empty.p50, empty.p95]).toEqual([null, null]);
  });
});

describe('one flow meter, many windows', () => {
  it('counts once; each window reads its own deltas', () => {
    const meter = new FlowMeter();
    const fast = meter.reader();
    const slow = meter.reader();
    meter.total.in += 3;
    expect(fast.take().in).toBe(3);
    meter.total.in += 2;
    expect(fast.take().in).toBe(2);
    expect(slow.peek().in).toBe(5);
    expect(slow.take().in).toBe(5);
    expect(slow.take().in).toBe(0);
  });
});
