import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, systemClock } from '../../src/main/core/clock';
import { FakeClock } from '../helpers/fake-clock';

const DAY = 86_400_000;

describe('the system clock', () => {
  it('sets timers in whole ms, so timers of one length share one of Node’s timer lists', () => {
    const h = systemClock.setTimeout(() => {}, 12.34) as NodeJS.Timeout & { _idleTimeout: number };
    const ms = h._idleTimeout;
    systemClock.clearTimeout(h);
    expect(ms).toBe(13);
  });

  it('holds a wait longer than Node can (a clock set 40 days ahead): no 1 ms spin, no TimeoutOverflowWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    let fired = 0;
    const h = systemClock.setTimeout(() => fired++, 40 * DAY) as NodeJS.Timeout & { _idleTimeout: number };
    const ms = h._idleTimeout;
    await new Promise((r) => setTimeout(r, 30));
    systemClock.clearTimeout(h);
    process.off('warning', onWarning);
    expect(ms).toBe(MAX_TIMER_MS);
    expect(fired).toBe(0);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});

describe('the fake clock', () => {
  it('clamps as the system clock does, so tests see what Node would do with a wait that long', () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 40 * DAY);
    clock.advance(MAX_TIMER_MS - 1);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
  });
});
