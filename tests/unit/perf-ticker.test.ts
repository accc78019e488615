import { describe, expect, it } from 'vitest';
import { MAX_RTT_LINES, PerfTicker, RATE_TICKS } from '../../src/main/core/analytics/perf-ticker';
import { FlowMeter } from '../../src/main/core/analytics/flow';

describe('1 Hz performance ticker', () => {
  it('reports p50/p95 across sockets, rates per second, and resets its window', async () => {
    const meter = new FlowMeter();
    const t = new PerfTicker(meter, { rtts: () => [1, 2, 3, 10].map((ms) => ({ instance: 'i', ms })) }, () => {}, () => 42);
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
    const empty = new PerfTicker(meter, { rtts: () => [] }, () => {}).take();
    expect([empty.p50, empty.p95]).toEqual([null, null]);
  });
});

describe('round trips per backend instance', () => {
  it('draws one line per instance (its sockets\' median), however many sockets, and at most MAX_RTT_LINES', () => {
    const meter = new FlowMeter();
    // 1,000 sockets over 3 instances: three lines, not a thousand.
    const sockets = Array.from({ length: 1_000 }, (_, i) => ({ instance: `10.0.0.${i % 3}:9100`, ms: (i % 3) * 10 + (i % 2) }));
    const p = new PerfTicker(meter, { rtts: () => sockets }, () => {}).take();
    expect(p.rtts).toEqual({ '10.0.0.0:9100': 0.5, '10.0.0.1:9100': 11, '10.0.0.2:9100': 20 });
    expect(p.p50).toBe(10.5);
    const many = Array.from({ length: 500 }, (_, i) => ({ instance: `host-${String(i).padStart(3, '0')}:9100`, ms: i }));
    const q = new PerfTicker(meter, { rtts: () => many }, () => {}).take();
    expect(Object.keys(q.rtts)).toHaveLength(MAX_RTT_LINES);
    expect(JSON.stringify(q).length).toBeLessThan(2_000);
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
