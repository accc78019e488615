import type { Logger } from 'pino';
import type { Clock } from './clock';
import { TokenBucket } from './token-bucket';
import { throttledNote } from './throttled-note';
import type { ScreenFault } from '../../shared/contract';
import { clockTime } from '../../shared/words';

/** At most this many reports a minute from one screen reach the log; the rest are counted. */
const PER_MINUTE = 5;
/** The same fault from the same screen is logged once in this long (a part that fails on every draw). */
const SAME_AGAIN_MS = 10 * 60_000;
/** Screens whose reports are remembered at once (not the bridges the host serves, MAX_SCREENS): a page reloaded in a loop makes a new screen each time. */
const MAX_REPORTING_SCREENS = 64;
/**
 * Reports from all screens together: this many at once, then one a minute. Every new connection is a new
 * screen, so the limits per screen alone let a program reconnecting in a loop replace the whole log (25 MB)
 * with lines of its own in seconds, start-up and backend lines included.
 */
export const FAULT_BUDGET = { burst: 20, perMinute: 1 } as const;

type FaultClock = Pick<Clock, 'now' | 'mono' | 'setTimeout' | 'clearTimeout'>;

/** Logs a screen's fault report, or counts it; `stop` drops a count not yet said. */
export type ScreenFaultLog = ((fault: ScreenFault, screen: { screenId: string; role: string | null }) => { logged: boolean }) & { stop: () => void };

/**
 * A part of a screen that stopped drawing (the screen shows its own words and the rest works): the
 * console's log is where IT finds what it was. Bounded, since any screen holding the token may report.
 */
export function screenFaultLog(logger: Pick<Logger, 'error' | 'warn'> | null, clock: FaultClock): ScreenFaultLog {
  const screens = new Map<string, { minute: number; count: number; seen: Map<string, number> }>();
  const budget = consoleBudget(logger, clock);
  const report = (fault: ScreenFault, screen: { screenId: string; role: string | null }): { logged: boolean } => {
    const now = clock.now();
    let s = screens.get(screen.screenId);
    if (!s) {
      if (screens.size >= MAX_REPORTING_SCREENS) screens.delete(screens.keys().next().value!);
      s = { minute: Math.floor(now / 60_000), count: 0, seen: new Map() };
      screens.set(screen.screenId, s);
    }
    const minute = Math.floor(now / 60_000);
    if (minute !== s.minute) Object.assign(s, { minute, count: 0 });
    const key = `${fault.where}\n${fault.message}`;
    const last = s.seen.get(key);
    if (s.count >= PER_MINUTE || (last !== undefined && now - last < SAME_AGAIN_MS)) return { logged: false };
    if (!budget.take()) return { logged: false };
    s.count++;
    s.seen.set(key, now);
    if (s.seen.size > 32) s.seen.delete(s.seen.keys().next().value!);
    logger?.error(
      { screenFault: { ...fault, role: screen.role } },
      `a screen's ${fault.where} stopped working (${screen.role ?? 'not signed in'}): ${fault.message}`,
    );
    return { logged: Boolean(logger) };
  };
  // Stopped with the console: a count said after it would go to a closed log.
  return Object.assign(report, { stop: budget.stop });
}

/** Reports left out are told of at most once in this long. */
const LEFT_OUT_NOTE_EVERY_MS = 60_000;

/**
 * The console-wide budget (FAULT_BUDGET), refilled as time passes. When it runs out the log says so once;
 * the count left out is said a minute on (throttledNote), and each minute while more are, so IT sees both the
 * gap and its size, also when the reports stop.
 */
function consoleBudget(logger: Pick<Logger, 'warn'> | null, clock: FaultClock): { take: () => boolean; stop: () => void } {
  const budget = new TokenBucket({ burst: FAULT_BUDGET.burst, perSecond: FAULT_BUDGET.perMinute / 60 }, () => clock.mono());
  /** When the first report the next count tells of was left out. */
  let since: number | null = null;
  /** The report a warning was said for: the next count counts it too, as it was left out of the log as well. */
  let owed = 0;
  const leftOut = throttledNote<number>({
    everyMs: LEFT_OUT_NOTE_EVERY_MS,
    clock,
    say: ({ detail: at, count, fresh }) => {
      if (fresh) {
        since = at;
        owed = 1;
        logger?.warn(
          `screens are reporting faults faster than the log takes them (${FAULT_BUDGET.burst} at once, then ${FAULT_BUDGET.perMinute} a minute, from all screens together): ` +
            'the next ones are counted, not logged. Many at once can mean a program holding this console\'s address is sending them.',
        );
        return;
      }
      const n = count + owed;
      logger?.warn(`${n} screen fault report${n === 1 ? ' was' : 's were'} left out of the log between ${clockTime(since ?? at)} and ${clockTime(at)}: more came than the log takes.`);
      since = null;
      owed = 0;
    },
  });
  return {
    take: () => {
      if (budget.take()) return true;
      const now = clock.now();
      since ??= now;
      leftOut.note(now);
      return false;
    },
    stop: leftOut.stop,
  };
}
