import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { robustTop } from '../../src/renderer/src/components/charts/robust-top';

const series = (ys: (number | null)[]) => ys.map((y, i) => ({ x: i * 10_000, y }));

describe('the latency scale keeps to the usual values', () => {
  it('one 55 ms spike among ~2 ms is cut off and told, not the scale', () => {
    const ys = Array.from({ length: 360 }, (_, i) => 2 + (i % 5) * 0.1);
    ys[300] = 55;
    const top = robustTop(series(ys));
    expect(top).toEqual({ max: 5, cut: { n: 1, highest: { x: 3_000_000, y: 55 } } });
  });

  it('a slowdown longer than a moment sets the scale: real trouble is never hidden', () => {
    const ys = Array.from({ length: 360 }, (_, i) => (i >= 300 && i < 340 ? 120 : 2));
    expect(robustTop(series(ys))).toBeNull();
  });

  it('steady values, or too few to judge, are fitted as they are', () => {
    expect(robustTop(series(Array.from({ length: 100 }, () => 3)))).toBeNull();
    expect(robustTop(series([1, 2, 90]))).toBeNull();
    expect(robustTop(series(Array.from({ length: 100 }, () => 0)))).toBeNull();
  });

  it('a top rounded up past the highest value cuts nothing (a quiet night hour once blanked the whole console)', () => {
    // p95 0.6 ms and a highest 1.9 ms: past 3 × p95, but the rounded top (2 ms) clears it.
    const ys = Array.from({ length: 100 }, (_, i) => (i === 99 ? 1.9 : 0.5 + (i % 2) * 0.1));
    expect(robustTop(series(ys))).toBeNull();
  });

  it('any series: never throws; a cut top is below the highest value it names, and counts what it cuts', () => {
    // A usual level with a few values up to 6× it, and gaps: where rounding the top up matters.
    const ysArb = fc
      .record({
        level: fc.integer({ min: 1, max: 2000 }).map((v) => v / 100),
        usual: fc.array(fc.integer({ min: 80, max: 100 }), { minLength: 15, maxLength: 300 }),
        far: fc.array(fc.integer({ min: 100, max: 600 }), { maxLength: 5 }),
        gaps: fc.nat({ max: 10 }),
      })
      .map(({ level, usual, far, gaps }) => [
        ...usual.map((f) => (level * f) / 100),
        ...far.map((f) => (level * f) / 100),
        ...Array.from({ length: gaps }, () => null),
      ]);
    fc.assert(
      fc.property(ysArb, (ys) => {
        const top = robustTop(series(ys));
        if (top === null) return;
        const known = ys.filter((v): v is number => v !== null);
        expect(top.cut.highest.y).toBe(Math.max(...known));
        expect(top.cut.highest.y).toBeGreaterThan(top.max);
        expect(top.cut.n).toBe(known.filter((v) => v > top.max).length);
      }),
      { numRuns: 2000 },
    );
  });
});
