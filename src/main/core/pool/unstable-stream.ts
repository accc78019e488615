/**
 * A backend whose event numbering cannot be followed (a new `epoch` on each subscription: instances that do not
 * share their event log, or a log that starts over per process). Its requests are answered all the same, so only
 * the live feed suffers: its address stops carrying the feed for a while, and Health says so, in IT's words.
 */

/** An address that could not be followed waits this long before its sockets are subscribed again, doubling… */
export const STAND_DOWN_BASE_MS = 2_000;
/** …up to this: the feed keeps trying (and takes a fresh picture each time) at least once a minute. */
export const STAND_DOWN_CAP_MS = 60_000;
/** Stand-downs are counted over this window; one older than it starts the doubling over. */
export const UNSTABLE_WINDOW_MS = 10 * 60_000;
/** From this many stand-downs in the window, Health says the feed cannot be followed. */
export const UNSTABLE_RAISE = 3;
/** Stand-down times kept: more than the window can hold at the capped wait, per address, for a few addresses. */
const KEPT = 64;

export interface StandDown {
  endpoint: string;
  /** `self`: its stream and its own snapshot named different numberings; `went-back`: it went back to one just left. */
  how: 'self' | 'went-back';
  /** Other addresses are configured: one instance numbering differently from the others. */
  others: boolean;
  waitMs: number;
}

/** Remembers when stand-downs happened (monotonic ms), bounded. */
export function noteStandDown(times: number[], at: number): void {
  times.push(at);
  if (times.length > KEPT) times.shift();
}

/**
 * The damping rule: how many stand-downs Health reports now, or 0. Counted over the window that ends at the
 * LAST one, not at now: once raised, the count holds until a whole window passes with none (a stand-down
 * every few minutes never clears and raises it again), and then it clears for good. Raised from UNSTABLE_RAISE.
 */
export function unstableCount(times: readonly number[], now: number): number {
  const last = times.at(-1);
  if (last === undefined || now - last >= UNSTABLE_WINDOW_MS) return 0;
  const n = times.filter((t) => t > last - UNSTABLE_WINDOW_MS).length;
  return n >= UNSTABLE_RAISE ? n : 0;
}

/** What the event log says of one stand-down: what happened, what still works, and what follows. */
export function standDownWords(s: StandDown): string {
  const what =
    s.how === 'self'
      ? 'gave a different event history when the console subscribed than when it asked for a fresh picture'
      : s.others
        ? 'numbers its events differently from the other addresses'
        : 'went back to an event history it had just left';
  return `This backend address ${what}, so the console stopped following live events there for ${Math.round(s.waitMs / 1000)} s. Check-ins from this PC still go to it.`;
}

/** Health's words for a feed that cannot be followed, said once UNSTABLE_RAISE stand-downs fall in the window. */
export function unstableFeedWords(times: number): string {
  const min = UNSTABLE_WINDOW_MS / 60_000;
  return (
    `The gym's system gives a different event history each time the console subscribes (${times} times in ${min} min): its instances may not share their storage. ` +
    `Check-ins may be missing from this PC's live list and reports, its own among them, but every check-in this PC sends still reaches the gym's system. ` +
    `The console tries to follow them again by itself, at least once a minute. Tell the gym's IT.`
  );
}
