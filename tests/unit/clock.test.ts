import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock';

describe('the system clock', () => {
  it('sets timers in whole ms, so timers of one length share one of Node’s timer lists', () => {
    const h = systemClock.setTimeout(() => {}, 12.34) as NodeJS.Timeout & { _idleTimeout: number };
    const ms = h._idleTimeout;
    systemClock.clearTimeout(h);
    expect(ms).toBe(13);
  });
});
