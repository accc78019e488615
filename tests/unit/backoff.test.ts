import { describe, expect, it } from 'vitest';
import { fullJitter } from '../../src/main/core/pool/backoff';

describe('full jitter', () => {
  it('spreads over [0, min(cap, base·2^n)) so the cap does not cancel the jitter', () => {
    expect(fullJitter(0, 200, 5000, () => 0.999)).toBeCloseTo(199.8);
    expect(fullJitter(10, 200, 5000, () => 0.5)).toBe(2500);
    expect(fullJitter(10, 200, 5000, () => 0)).toBe(0);
    expect(fullJitter(1000, 200, 5000, () => 0.999)).toBeLessThan(5000);
  });
});
