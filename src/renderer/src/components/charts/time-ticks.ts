/** Axis ticks on round local times (every minute, 5 min, hour, 6 h, midnight, month…), at most `max`. */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const MONTH = 30.44 * DAY;

type Step = { ms: number; unit: 'min' | 'hour' | 'day' | 'month'; n: number };
const STEPS: Step[] = [
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ ms: n * MIN, unit: 'min' as const, n })),
  ...[1, 2, 3, 6, 12].map((n) => ({ ms: n * HOUR, unit: 'hour' as const, n })),
  ...[1, 2, 7, 14].map((n) => ({ ms: n * DAY, unit: 'day' as const, n })),
  ...[1, 2, 3, 6, 12, 24, 60, 120].map((n) => ({ ms: n * MONTH, unit: 'month' as const, n })),
];

export function timeTicks(from: number, to: number, max = 6): number[] {
  if (!(to >= from)) return [];
  const step = STEPS.find((s) => (to - from) / s.ms < max) ?? STEPS.at(-1)!;
  const d = new Date(from);
  // Round down to the step in local time, then walk forward by the calendar and the wall clock,
  // so a DST change shifts neither midnight nor the round hours.
  if (step.unit === 'min') d.setMinutes(Math.floor(d.getMinutes() / step.n) * step.n, 0, 0);
  else if (step.unit === 'hour') d.setHours(Math.floor(d.getHours() / step.n) * step.n, 0, 0, 0);
  else d.setHours(0, 0, 0, 0);
  if (step.unit === 'month') d.setMonth(Math.floor(d.getMonth() / Math.min(step.n, 12)) * Math.min(step.n, 12), 1);
  const next = (): void => {
    if (step.unit === 'min') d.setTime(d.getTime() + step.ms);
    else if (step.unit === 'hour') nextRoundHours(d, step.n);
    else if (step.unit === 'day') d.setDate(d.getDate() + step.n);
    else d.setMonth(d.getMonth() + step.n);
  };
  while (d.getTime() < from) next();
  const ticks: number[] = [];
  for (; d.getTime() <= to && ticks.length < max; next()) ticks.push(d.getTime());
  return ticks;
}

/**
 * Moves `d` on to the next round `n`-hour mark of the wall clock (00, 06, 12, 18 for 6). After a DST
 * change the marks stay on their round hours (adding 2 to 03:00, where 02:00 was skipped, left the grid),
 * and the hour the clock repeats when it goes back is a mark of its own, not folded into an hour twice as long.
 */
export function nextRoundHours(d: Date, n: number): void {
  const t = d.getTime();
  d.setHours(Math.floor(d.getHours() / n) * n + n, 0, 0, 0);
  const repeated = new Date(t + n * HOUR);
  if (repeated.getTime() < d.getTime() && repeated.getMinutes() === 0 && repeated.getHours() % n === 0) d.setTime(repeated.getTime());
  if (d.getTime() <= t) d.setTime(t + n * HOUR); // never stands still, whatever a zone's rules
}

/**
 * The most round-time ticks (up to 6) whose labels, each centred on its tick, keep `gap` px apart
 * across an axis `width` px wide; `measure` gives a label's width. Chart.js's own skipping counts one
 * label more than fits when the ticks are not at the axis's ends, and ours never are: the labels ran
 * into each other ("Fri 06:00 PMSat 12:00 AM") on a narrow chart.
 */
export function fittingTicks(from: number, to: number, width: number, measure: (label: string) => number, gap = 16): number[] {
  const span = to - from;
  for (let max = 6; max > 1; max--) {
    const ticks = timeTicks(from, to, max);
    const at = ticks.map((t) => (span > 0 ? ((t - from) / span) * width : 0));
    const half = ticks.map((t) => measure(tickLabel(t, span)) / 2);
    if (ticks.every((_, i) => i === 0 || at[i]! - at[i - 1]! >= half[i]! + half[i - 1]! + gap)) return ticks;
  }
  return timeTicks(from, to, 1);
}

type Kind = 'time' | 'weekday-time' | 'weekday-day' | 'month-day' | 'month-year';
const OPTIONS: Record<Kind, Intl.DateTimeFormatOptions> = {
  time: { hour: '2-digit', minute: '2-digit' },
  'weekday-time': { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  'weekday-day': { weekday: 'short', day: 'numeric' },
  'month-day': { month: 'short', day: 'numeric' },
  'month-year': { month: 'short', year: 'numeric' },
};
const formats = new Map<Kind, Intl.DateTimeFormat>();

/** A tick's label in local format, as precise as the axis's span needs. */
export function tickLabel(value: number, span: number): string {
  const kind: Kind = span > 120 * DAY ? 'month-year' : span > 14 * DAY ? 'month-day' : span > 2 * DAY ? 'weekday-day' : span > 12 * HOUR ? 'weekday-time' : 'time';
  let f = formats.get(kind);
  if (!f) formats.set(kind, (f = new Intl.DateTimeFormat(undefined, OPTIONS[kind])));
  return f.format(value);
}
