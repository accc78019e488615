import { describe, expect, it } from 'vitest';
import { PerfTicker } from '../../src/main/core/analytics/perf-ticker';

describe('1 Hz performance ticker', () => {
  it('reports p50/p95 across sockets, rates per second, and resets its window', async () => {
    const t = new PerfTicker({ rtts: () => ({ a: 1, b: 2, c: 3, d: 10 }) }, () => {}, () => 42);
    t.take();
    t.counts.in = 50;
    t.counts.ok = 45;
    t.counts.errors = 5;
    await new Promise((r) => setTimeout(r, 100));
    const p = t.take();
    expect(p.ts).toBe(42);
    expect(p.p50).toBe(2.5);
    expect(p.p95).toBeCloseTo(8.95); // interpolated between 3 and 10
    expect(p.inPerS).toBeGreaterThan(300);
    expect(p.inPerS).toBeLessThan(600);
    expect(p.errorRate).toBeCloseTo(0.1);
    expect(p.rssMb).toBeGreaterThan(10);
    expect(t.take().inPerS).toBe(0);
    const empty = new PerfTicker({ rtts: () => ({}) }, () => {}).take();
    expect([empty.p50, empty.p95]).toEqual([null, null]);
  });
});
