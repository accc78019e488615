import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { ScreenFault } from '../../shared/contract';

/** At most this many reports a minute from one screen reach the log; the rest are counted. */
const PER_MINUTE = 5;
/** The same fault from the same screen is logged once in this long (a part that fails on every draw). */
const SAME_AGAIN_MS = 10 * 60_000;
/** Screens remembered at once: a page reloaded in a loop makes a new screen each time. */
const MAX_SCREENS = 64;

/**
 * A part of a screen that stopped drawing (the screen shows its own words and the rest works): the
 * console's log is where IT finds what it was. Bounded, since any screen holding the token may report.
 */
export function screenFaultLog(logger: Pick<Logger, 'error'> | null, clock: Pick<Clock, 'now'>) {
  const screens = new Map<string, { minute: number; count: number; seen: Map<string, number> }>();
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
