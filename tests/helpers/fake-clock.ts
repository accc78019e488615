import { timerDelay, type Clock } from '../../src/main/core/clock';

/** A clock the test moves by hand; timers fire in deadline order. */
export class FakeClock implements Clock {
  private t = 0;
  /** Where the wall clock stands apart from monotonic time: moved only by `stepWall`. */
  private wall = 1_700_000_000_000;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.wall + this.t;
  }
  mono(): number {
    return this.t;
  }
  /** Clamped as the system clock's are (`timerDelay`), so a wait too long for Node fires early here too. */
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + timerDelay(ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Deferred work is not timed: it runs after the turn, as with the system clock. */
  defer(fn: () => void): void {
    setImmediate(fn);
  }
  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.size;
  }
  /** Moves time without firing anything: the process was asleep. Due timers then fire late. */
  jump(ms: number): void {
    this.t += ms;
  }

  /** The PC's clock is set (by NTP or by hand) `ms` forward or back: wall time moves, no time passes. */
  stepWall(ms: number): void {
    this.wall += ms;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}
