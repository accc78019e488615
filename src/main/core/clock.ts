/** Timing seam: the core never calls timers or clocks directly, so tests can drive time. */
export interface Clock {
  /** Wall-clock ms, for timestamps people read. */
  now(): number;
  /** Monotonic ms, for deadlines: immune to wall-clock jumps. */
  mono(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `fn` once the current turn and its pending I/O are done: for batching what one turn produced. */
  defer(fn: () => void): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  mono: () => performance.now(),
  // Whole ms: Node keeps one timer list per distinct duration, and fractional deadlines (a hedge at
  // 4× a smoothed round trip, a heartbeat check) made one list per timer, each a priority-queue insert.
  setTimeout: (fn, ms) => setTimeout(fn, Math.ceil(ms)),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  defer: (fn) => void setImmediate(fn),
};
