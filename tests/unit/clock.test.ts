import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, systemClock } from '../../src/main/core/clock';
import { FakeClock } from '../helpers/fake-clock';

const DAY = 86_400_000;
/** What the system clock's handle holds: the Node timer now running. */
type NodeTimer = { timer: NodeJS.Timeout & { _idleTimeout: number } };

describe('the system clock', () => {
  it('sets timers in whole ms, so timers of one length share one of Node’s timer lists', () => {
    const h = systemClock.setTimeout(() => {}, 12.34) as NodeTimer;
    const ms = h.timer._idleTimeout;
    systemClock.clearTimeout(h);
    expect(ms).toBe(13);
  });

  it('holds a wait longer than Node can (a clock set 40 days ahead): no 1 ms spin, no TimeoutOverflowWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    let fired = 0;
    const h = systemClock.setTimeout(() => fired++, 40 * DAY) as NodeTimer;
    const ms = h.timer._idleTimeout;
    await new Promise((r) => setTimeout(r, 30));
    systemClock.clearTimeout(h);
    process.off('warning', onWarning);
    expect(ms).toBe(MAX_TIMER_MS);
    expect(fired).toBe(0);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('never fires a timer before mono() reaches its deadline (Node counts from whole ms and wakes up to 1 ms early)', async () => {
    // Owners compare mono() with the deadline they waited for: one woken early saw it not yet come, and waited for ever.
    const early: number[] = [];
    for (let round = 0; round < 8; round++) {
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => new Promise<void>((done) => {
          // Set at scattered points within a ms, as work in a turn would.
          setTimeout(() => {
            const spin = performance.now() + (i % 10) / 10;
            while (performance.now() < spin);
            const ms = 2 + (i % 3);
            const due = systemClock.mono() + ms;
            systemClock.setTimeout(() => {
              if (systemClock.mono() < due) early.push(due - systemClock.mono());
              done();
            }, ms);
          }, i % 4);
        })),
      );
    }
    expect(early).toEqual([]);
  });

  it('a timer cleared after it woke early and slept again does not fire', async () => {
    let fired = 0;
    const h = systemClock.setTimeout(() => fired++, 5) as NodeTimer;
    const first = h.timer;
    // Woken early: the handle now holds the timer for the rest; clearing the handle clears that one.
    const node = first as unknown as { _onTimeout: (...args: unknown[]) => void; _timerArgs: unknown[] };
    node._onTimeout(...node._timerArgs);
    clearTimeout(first);
    systemClock.clearTimeout(h);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.timer).not.toBe(first);
    expect(fired).toBe(0);
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
