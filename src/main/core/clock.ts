/** Timing seam: the core never calls timers or clocks directly, so tests can drive time. */
export interface Clock {
  /** Wall-clock ms, for timestamps people read. */
  now(): number;
  /** Monotonic ms, for deadlines: immune to wall-clock jumps. */
  mono(): number;
  /** Runs `fn` after `ms`, clamped to what a timer can hold (`timerDelay`). */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `fn` once the current turn and its pending I/O are done: for batching what one turn produced. */
  defer(fn: () => void): void;
}

/** The longest wait a Node timer holds: 2^31 − 1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay as a timer can take it: whole ms, never negative, never past MAX_TIMER_MS. Node fires a
 * longer one after 1 ms with a TimeoutOverflowWarning, so a wait computed from a clock set weeks
 * ahead spun at 1 ms, printing the warning each time. A wait this long fires early instead, and its
 * owner looks again (every timer in the core re-checks what it waits for when it fires).
 */
export function timerDelay(ms: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms)));
}

export const systemClock: Clock = {
  now: () => Date.now(),
  mono: () => performance.now(),
  // Whole ms: Node keeps one timer list per distinct duration, and fractional deadlines (a hedge at
  // 4× a smoothed round trip, a heartbeat check) made one list per timer, each a priority-queue insert.
  setTimeout: (fn, ms) => setTimeout(fn, timerDelay(ms)),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  defer: (fn) => void setImmediate(fn),
};
