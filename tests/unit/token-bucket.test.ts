import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/main/core/token-bucket';

describe('the token bucket', () => {
  it('gives a burst at once, then its rate, never more than the burst, and nothing back when the clock goes back', () => {
    let t = 1_000;
    const b = new TokenBucket({ burst: 3, perSecond: 2 }, () => t);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect(b.waitMs()).toBe(500);
    t += 500;
    expect([b.take(), b.take()]).toEqual([true, false]);
    t += 60_000;
    expect(b.take(3)).toBe(true); // full again, not 120
    expect(b.take()).toBe(false);
    t -= 5_000;
    expect(b.take()).toBe(false);
  });

  it('takes all of `n` or none; what is given back fills no higher than the burst; a fresh start below the burst', () => {
    const t = 0;
    const b = new TokenBucket({ burst: 10, perSecond: 1, fresh: 4 }, () => t);
    expect(b.take(5)).toBe(false);
    expect(b.take(4)).toBe(true);
    b.giveBack(50);
    expect(b.take(10)).toBe(true);
    expect(b.take()).toBe(false);
  });

  it('an unlimited bucket never refuses', () => {
    const b = new TokenBucket({ burst: Infinity, perSecond: 0 }, () => 0);
    for (let i = 0; i < 1_000; i++) expect(b.take()).toBe(true);
  });
});
