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

/** A system timer: the Node timer now running for it (a new one when it woke early), and what it waits for. */
interface Armed {
  timer: NodeJS.Timeout;
  fn: () => void;
  due: number;
  /** Its wait was cut to what a timer holds (see timerDelay): it fires early on purpose, and its owner looks again. */
  clamped: boolean;
}

/**
 * Node counts a timer from its loop's whole-ms clock, so one fires up to a millisecond before `mono()` reaches
 * its deadline. Owners re-check what they wait for as it fires: an address stood down "until" a time looked
 * still stood down, and with nothing else to wake it the feed never came back. One that wakes early sleeps the rest.
 * One shared function and the timer's own record: no closure per timer (the outbox sets thousands a second).
 */
function wake(a: Armed): void {
  const left = a.due - performance.now();
  if (left > 0 && !a.clamped) a.timer = setTimeout(wake, Math.ceil(left), a);
  else a.fn();
}

function armed(fn: () => void, ms: number): Armed {
  const wait = timerDelay(ms);
  const a: Armed = { timer: null as unknown as NodeJS.Timeout, fn, due: performance.now() + wait, clamped: wait >= MAX_TIMER_MS };
  a.timer = setTimeout(wake, wait, a);
  return a;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  mono: () => performance.now(),
  // Whole ms: Node keeps one timer list per distinct duration, and fractional deadlines (a hedge at
  // 4× a smoothed round trip, a heartbeat check) made one list per timer, each a priority-queue insert.
  setTimeout: (fn, ms) => armed(fn, ms),
  clearTimeout: (h) => void (h && clearTimeout((h as Armed).timer)),
  defer: (fn) => void setImmediate(fn),
};
