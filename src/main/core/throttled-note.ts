import type { Clock } from './clock';

/** What one line tells of: the event it is about, and how many events it stands for. */
export interface Tally<D> {
  /** The event just noted; for a count said on the timer, the last one counted. */
  detail: D;
  /** The events since the last line, this one included: 1 for a line said at once. */
  count: number;
  /** Nothing was said or counted in the interval before it: the first line of a new spell. */
  fresh: boolean;
}

export interface ThrottledNote<D> {
  note(detail: D): void;
  stop(): void;
}

/**
 * A note IT reads in a log, said at most once every `everyMs`: the first of a spell at once, the ones after it counted,
 * and the count said when the interval is up, by a timer, so it is not lost when the events stop (said only with the
 * next event, a spell's last minute went untold). `stop` drops a count not yet said: its owner is stopping.
 */
export function throttledNote<D>(opts: { everyMs: number; clock: Pick<Clock, 'mono' | 'setTimeout' | 'clearTimeout'>; say: (t: Tally<D>) => void }): ThrottledNote<D> {
  const { everyMs, clock, say } = opts;
  let saidAt = -Infinity;
  let counted = 0;
  let last: D | undefined;
  let timer: unknown = null;

  const tell = (detail: D, count: number, fresh: boolean): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    counted = 0;
    last = undefined;
    saidAt = clock.mono();
    say({ detail, count, fresh });
  };
  const flush = (): void => {
    timer = null;
    if (counted > 0) tell(last as D, counted, false);
  };

  return {
    note(detail: D): void {
      const wait = saidAt + everyMs - clock.mono();
      if (wait <= 0) return tell(detail, counted + 1, counted === 0);
      counted++;
      last = detail;
      timer ??= clock.setTimeout(flush, wait);
    },
    stop(): void {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      counted = 0;
    },
  };
}
