import type { Logger } from 'pino';
import type { Clock } from './clock';
import { TokenBucket } from './token-bucket';
import type { ScreenFault } from '../../shared/contract';

/** At most this many reports a minute from one screen reach the log; the rest are counted. */
const PER_MINUTE = 5;
/** The same fault from the same screen is logged once in this long (a part that fails on every draw). */
const SAME_AGAIN_MS = 10 * 60_000;
/** Screens remembered at once: a page reloaded in a loop makes a new screen each time. */
const MAX_SCREENS = 64;
/**
 * Reports from all screens together: this many at once, then one a minute. Every new connection is a new
 * screen, so the limits per screen alone let a program reconnecting in a loop replace the whole log (25 MB)
 * with lines of its own in seconds, start-up and backend lines included.
 */
export const FAULT_BUDGET = { burst: 20, perMinute: 1 } as const;

/**
 * A part of a screen that stopped drawing (the screen shows its own words and the rest works): the
 * console's log is where IT finds what it was. Bounded, since any screen holding the token may report.
 */
export function screenFaultLog(logger: Pick<Logger, 'error' | 'warn'> | null, clock: Pick<Clock, 'now' | 'mono'>) {
  const screens = new Map<string, { minute: number; count: number; seen: Map<string, number> }>();
  const budget = consoleBudget(logger, clock);
  return (fault: ScreenFault, screen: { screenId: string; role: string | null }): { logged: boolean } => {
    const now = clock.now();
    let s = screens.get(screen.screenId);
    if (!s) {
      if (screens.size >= MAX_SCREENS) screens.delete(screens.keys().next().value!);
      s = { minute: Math.floor(now / 60_000), count: 0, seen: new Map() };
      screens.set(screen.screenId, s);
    }
    const minute = Math.floor(now / 60_000);
    if (minute !== s.minute) Object.assign(s, { minute, count: 0 });
    const key = `${fault.where}\n${fault.message}`;
    const last = s.seen.get(key);
    if (s.count >= PER_MINUTE || (last !== undefined && now - last < SAME_AGAIN_MS)) return { logged: false };
    if (!budget()) return { logged: false };
    s.count++;
    s.seen.set(key, now);
    if (s.seen.size > 32) s.seen.delete(s.seen.keys().next().value!);
    logger?.error(
      { screenFault: { ...fault, role: screen.role } },
      `a screen's ${fault.where} stopped working (${screen.role ?? 'not signed in'}): ${fault.message}`,
    );
    return { logged: Boolean(logger) };
  };
}

const hhmm = (t: number): string => new Date(t).toTimeString().slice(0, 5);

/**
 * The console-wide budget (FAULT_BUDGET), refilled as time passes. When it runs out the log says so once;
 * the count left out is said before the next report logged, so IT sees both the gap and its size.
 */
function consoleBudget(logger: Pick<Logger, 'warn'> | null, clock: Pick<Clock, 'now' | 'mono'>): () => boolean {
  const budget = new TokenBucket({ burst: FAULT_BUDGET.burst, perSecond: FAULT_BUDGET.perMinute / 60 }, () => clock.mono());
  let leftOut = 0;
  let since = 0;
  return () => {
    const now = clock.now();
    if (!budget.take()) {
      if (leftOut++ === 0) {
        since = now;
        logger?.warn(
          `screens are reporting faults faster than the log takes them (${FAULT_BUDGET.burst} at once, then ${FAULT_BUDGET.perMinute} a minute, from all screens together): ` +
            'the next ones are counted, not logged. Many at once can mean a program holding this console\'s address is sending them.',
        );
      }
      return false;
    }
    if (leftOut > 0) logger?.warn(`${leftOut} screen fault report${leftOut === 1 ? ' was' : 's were'} left out of the log between ${hhmm(since)} and ${hhmm(now)}: more came than the log takes.`);
    leftOut = 0;
    return true;
  };
}
