import { describe, expect, it } from 'vitest';
import { robustTop } from '../../src/renderer/src/components/charts/robust-top';

const series = (ys: number[]) => ys.map((y, i) => ({ x: i * 10_000, y }));

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
});
