import { describe, expect, it } from 'vitest';
import { CatchUp } from '../../src/main/core/health/catch-up';

// review22 L1: any event applied counted as catching up, so a feed losing ground stayed amber, its alert never raised.
describe('a feed behind the backend is catching up only while it gains ground, and not for long', () => {
  /** One health round a second for `secs`: `step(t)` gives applied and head at second t. */
  const rounds = (secs: number, step: (t: number) => [number, number]): boolean[] => {
    const c = new CatchUp();
    return Array.from({ length: secs }, (_, t) => c.look(...step(t), t * 1_000));
  };

  it('a burst worked through: catching up all the way', () => {
    const seen = rounds(30, (t) => [t * 4_000, 100_000]);
    expect(seen.slice(0, 25).every(Boolean)).toBe(true);
    expect(seen.at(-1)).toBe(false); // caught up: nothing behind
  });

  it('applying but losing ground: not catching up once a window shows it', () => {
    const seen = rounds(20, (t) => [t * 50, 1_000 + t * 60]);
    expect(seen.slice(6)).toEqual(Array(14).fill(false));
  });

  it('a head that stays ahead of a stream being applied: not catching up', () => {
    const seen = rounds(20, (t) => [t * 10, 5_000 + t * 10]);
    expect(seen.slice(6)).toEqual(Array(14).fill(false));
  });

  it('stopped: not catching up within a few seconds', () => {
    const seen = rounds(10, (t) => [Math.min(t, 3) * 1_000, 50_000]);
    expect(seen.slice(6)).toEqual(Array(4).fill(false));
  });

  it('gaining, but behind for over two minutes: not a catch-up any more', () => {
    const seen = rounds(200, (t) => [t * 100, 1_000_000]);
    expect(seen[100]).toBe(true);
    expect(seen[121]).toBe(false);
  });
});
