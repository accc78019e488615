/** Axis ticks on round local times (every minute, 5 min, hour, 6 h, midnight…), at most `max` of them. */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEPS = [MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

export function timeTicks(from: number, to: number, max = 6): number[] {
  const step = STEPS.find((s) => (to - from) / s < max) ?? 7 * DAY;
  // Round down to the step in local time, then walk forward.
  const d = new Date(from);
  if (step < HOUR) d.setMinutes(Math.floor(d.getMinutes() / (step / MIN)) * (step / MIN), 0, 0);
  else if (step < DAY) d.setHours(Math.floor(d.getHours() / (step / HOUR)) * (step / HOUR), 0, 0, 0);
  else d.setHours(0, 0, 0, 0);
  // Whole days go by the calendar, so a DST change does not shift midnight.
  const next = (): void => void (step >= DAY ? d.setDate(d.getDate() + step / DAY) : d.setTime(d.getTime() + step));
  while (d.getTime() < from) next();
  const ticks: number[] = [];
  for (; d.getTime() <= to; next()) ticks.push(d.getTime());
  return ticks;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const format = (kind: 'time' | 'weekday-time' | 'day'): Intl.DateTimeFormat => {
  let f = formats.get(kind);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = kind === 'day' ? { weekday: 'short', day: 'numeric' } : kind === 'weekday-time' ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' };
    formats.set(kind, (f = new Intl.DateTimeFormat(undefined, opts)));
  }
  return f;
};

/** A tick's label in local format: the time, with the weekday once the axis spans more than half a day. */
export const tickLabel = (value: number, span: number): string => format(span > 2 * DAY ? 'day' : span > 12 * HOUR ? 'weekday-time' : 'time').format(value);
