import { floorMark, nextMark, zoneFormat } from './zone-time';

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

/** `zone`: whose clock the ticks are round on (the gym's on the Analytics tab); this PC's when undefined. */
export function timeTicks(from: number, to: number, max = 6, zone?: string): number[] {
  if (!(to >= from)) return [];
  const step = STEPS.find((s) => (to - from) / s.ms < max) ?? STEPS.at(-1)!;
  // Round down to the step on the zone's clock, then walk forward by its calendar and wall clock, so a DST
  // change shifts neither midnight nor the round hours. Ticks a week or more apart fall on Mondays, as week bars start.
  const unit = step.unit === 'day' && step.n >= 7 ? 'week' : step.unit;
  let t = floorMark(from, unit, step.n, zone);
  const next = (): void => {
    t = nextMark(t, step.unit, step.n, zone);
  };
  while (t < from) next();
  const ticks: number[] = [];
  for (; t <= to && ticks.length < max; next()) ticks.push(t);
  return ticks;
}

/**
 * The most round-time ticks (up to 6) whose labels, each centred on its tick, keep `gap` px apart
 * across an axis `width` px wide; `measure` gives a label's width. Chart.js's own skipping counts one
 * label more than fits when the ticks are not at the axis's ends, and ours never are: the labels ran
 * into each other ("Fri 06:00 PMSat 12:00 AM") on a narrow chart.
 */
export function fittingTicks(from: number, to: number, width: number, measure: (label: string) => number, gap = 16, zone?: string): number[] {
  const span = to - from;
  for (let max = 6; max > 1; max--) {
    const ticks = timeTicks(from, to, max, zone);
    const at = ticks.map((t) => (span > 0 ? ((t - from) / span) * width : 0));
    const half = ticks.map((t) => measure(tickLabel(t, span, zone)) / 2);
    if (ticks.every((_, i) => i === 0 || at[i]! - at[i - 1]! >= half[i]! + half[i - 1]! + gap)) return ticks;
  }
  return timeTicks(from, to, 1, zone);
}

type Kind = 'time' | 'weekday-time' | 'weekday-day' | 'month-day' | 'month-year';
const OPTIONS: Record<Kind, Intl.DateTimeFormatOptions> = {
  time: { hour: '2-digit', minute: '2-digit' },
  'weekday-time': { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  'weekday-day': { weekday: 'short', day: 'numeric' },
  'month-day': { month: 'short', day: 'numeric' },
  'month-year': { month: 'short', year: 'numeric' },
};
/** A tick's label in local format on `zone`'s clock, as precise as the axis's span needs. */
export function tickLabel(value: number, span: number, zone?: string): string {
  const kind: Kind = span > 120 * DAY ? 'month-year' : span > 14 * DAY ? 'month-day' : span > 2 * DAY ? 'weekday-day' : span > 12 * HOUR ? 'weekday-time' : 'time';
  return zoneFormat(OPTIONS[kind], zone).format(value);
}
