import type { AnalyticsView, Prediction, Trend } from '../../../../shared/analytics';
import { formatDuration } from '../../../../shared/duration';

export type TrendKey = keyof AnalyticsView['trends'];

interface MetricWords {
  label: string;
  /** The number as a manager reads it, and the unit said once after it. */
  say: (v: number) => string;
  unit: string;
  /** Below this at both ends a percentage means nothing (0.1 % → 0.5 % errors is "+400 %"): say the values only. */
  small: number;
  /** Rising is bad news (errors, slowness); for the rest a direction is neither good nor bad. */
  badWhenUp?: boolean;
  /** Any change is news, however small the values: errors going 0% → 0.6% are rising, not "low". */
  everyChange?: boolean;
}

const whole = (v: number): string => Math.round(v).toLocaleString('en');
const share = (v: number): string => (v === 0 ? '0%' : v < 0.0005 ? 'under 0.1%' : `${(v * 100).toFixed(v < 0.01 ? 1 : 0)}%`);
const decimal = (v: number): string => (v < 10 ? v.toFixed(1) : whole(v));

export const METRIC_WORDS: Partial<Record<TrendKey, MetricWords>> = {
  checkins: { label: 'Check-ins', say: whole, unit: ' an hour', small: 20 },
  occupancy: { label: 'People inside', say: whole, unit: '', small: 10 },
  latencyMs: { label: 'Response time', say: decimal, unit: ' ms', small: 50, badWhenUp: true },
  errorRate: { label: 'Errors', say: share, unit: ' of messages', small: 0.02, badWhenUp: true, everyChange: true },
  connections: { label: 'Open connections', say: whole, unit: '', small: 3 },
  inPerS: { label: 'Messages in', say: decimal, unit: ' a second', small: 2 },
};

const MOVE = { up: 'rising', down: 'falling', stable: 'steady' } as const;

/**
 * One trend in a manager's words: "Check-ins falling: first half 180 → second half 90 an hour (−50%)".
 * The halves are named: "180 → 90" read as the last hours, and so as the opposite of the chart beside it.
 * Small numbers get no percentage and no alarm: "Errors low: first half 0.1% → second half 0.5% of messages".
 */
export function trendWords(key: TrendKey, t: Trend): { text: string; arrow: '▲' | '▼' | '▬'; tone: 'good' | 'bad' | 'neutral' } {
  const w = METRIC_WORDS[key];
  if (!w) return { text: '', arrow: '▬', tone: 'neutral' };
  const small = Math.max(t.from, t.to) < w.small;
  // "under 0.1% → under 0.1%" says nothing: the same words at both ends are one value.
  const same = w.say(t.from) === w.say(t.to);
  const mid = w.say((t.from + t.to) / 2);
  // "about under 0.1%" says "under" twice over.
  const values = t.direction === 'stable' ? `${mid.startsWith('under') ? '' : 'about '}${mid}${w.unit}` : same ? `${w.say(t.to)}${w.unit}` : `first half ${w.say(t.from)} → second half ${w.say(t.to)}${w.unit}`;
  // Errors judged against their own start: 0% → 0.6% is a rise, shown as one (a 1.5-min outage read "Errors low").
  const moved = t.direction !== 'stable' && !same;
  if (small && !(w.everyChange && moved)) return { text: `${w.label} low: ${values}`, arrow: '▬', tone: 'neutral' };
  // The percentage of the two values shown; none from 0 (it read "0.0 → 139 ms (+380%)"), none of small values (0.1% → 0.5% is not "+400%").
  const change = t.from > 0 ? ((t.to - t.from) / t.from) * 100 : null;
  const pct = !moved || small || change === null ? '' : ` (${change > 0 ? '+' : '−'}${Math.abs(Math.round(change))}%)`;
  const arrow = t.direction === 'up' ? '▲' : t.direction === 'down' ? '▼' : '▬';
  const tone = !w.badWhenUp || t.direction === 'stable' ? 'neutral' : (t.direction === 'up') === w.badWhenUp ? 'bad' : 'good';
  return { text: `${w.label} ${MOVE[t.direction]}: ${values}${pct}`, arrow, tone };
}

/**
 * Which times the trends compare, on the gym's clock: "first half 810 → second half 656" read beside a chart
 * rising in its last hours seemed the wrong way round until the halves were named.
 */
export function halvesWords(range: { from: number; to: number }, day: (ms: number) => string, clock: (ms: number) => string): string {
  const mid = range.from + (range.to - range.from) / 2;
  // The day only where it changes: "Dec 5, 07:55 AM to 07:55 PM", not the date said twice.
  const at = (ms: number, before: number | null): string => (before !== null && day(before) === day(ms) ? clock(ms) : `${day(ms)}, ${clock(ms)}`);
  return `Each trend compares the first half of this range (${at(range.from, null)} to ${at(mid, range.from)}) with the second half (${at(mid, range.from)} to ${at(range.to, mid)}).`;
}

/**
 * Outages of the gym system in the range, and alerts that fired: the error rate cannot show an outage
 * (nothing is sent while nothing answers). "1 outage: the gym system could not be reached for 1 min 30 s (from Dec 5, 09:02 AM)".
 */
export function outageWords(o: AnalyticsView['outages'], when: (ms: number) => string): string[] {
  const lines: string[] = [];
  const n = o.spells.length;
  // One still on is said as going on: "for 10 s" read as a blip that was over (probe28a R5).
  const now = o.ongoing ? o.spells.at(-1) : undefined;
  const still = now ? `the gym system has not been reachable since ${when(now.from)} (${formatDuration(now.to - now.from)} so far)` : '';
  if (now && n === 1) {
    lines.push(`An outage, still going on: ${still}`);
  } else if (now) {
    const before = o.spells.slice(0, -1);
    const earlier = before.reduce((ms, s) => ms + s.to - s.from, 0);
    lines.push(`An outage, still going on: ${still}; before it, ${n - 1} more (${formatDuration(Math.max(earlier, o.downMs - (now.to - now.from)))} in all)`);
  } else if (n === 1 && o.downMs <= o.spells[0]!.to - o.spells[0]!.from) {
    lines.push(`1 outage: the gym system could not be reached for ${formatDuration(o.downMs)} (from ${when(o.spells[0]!.from)})`);
  } else if (n > 0) {
    const longest = o.spells.reduce((a, b) => (b.to - b.from > a.to - a.from ? b : a));
    lines.push(`${n} outage${n === 1 ? '' : 's'}: the gym system could not be reached for ${formatDuration(o.downMs)} in all (the longest ${formatDuration(longest.to - longest.from)}, from ${when(longest.from)})`);
  } else if (o.downMs > 0) {
    lines.push(`Outages: the gym system could not be reached for ${formatDuration(o.downMs)} in all`);
  }
  if (o.alerts > 0) lines.push(`${o.alerts} alert${o.alerts === 1 ? '' : 's'} fired: see the event log`);
  return lines;
}

/** "under a minute", "12 minutes", "5 hours", "3 days": a measured span as a manager says it. */
export function spanWords(ms: number): string {
  const say = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < 60_000) return 'under a minute';
  if (ms < 90 * 60_000) return say(Math.round(ms / 60_000), 'minute');
  if (ms < 48 * 3_600_000) return say(Math.round(ms / 3_600_000), 'hour');
  return say(Math.round(ms / 86_400_000), 'day');
}

/** Why no trend is shown: too little of the range was measured (a new gym, or a console that was off). */
export function notEnoughWords(measured: AnalyticsView['measured'], endsNow: boolean): string {
  return `Not enough data ${endsNow ? 'yet' : 'in this range'} for a trend (${spanWords(measured.ms)} measured; a trend needs ${spanWords(measured.neededMs)} in each half of the range).`;
}

/**
 * Why a range shows nothing at all: "not enough data yet for a trend" said of a range in the future,
 * or of one before the first record, reads as if data would come. `reviewing`: an opened export.
 */
export function emptyWords(empty: NonNullable<AnalyticsView['empty']>, reviewing: boolean, when: (ms: number) => string): string {
  if (empty.why === 'future') return reviewing ? 'This range is after the end of the export: there is no data in it.' : 'This range is in the future: nothing has been recorded in it yet.';
  if (empty.why === 'before-data') {
    if (empty.earliest === null) return 'There is no data in this range: nothing has been recorded yet.';
    return `There is no data in this range: ${reviewing ? 'the export starts' : 'the records start'} ${when(empty.earliest)}.`;
  }
  return reviewing ? 'There is no data in this range: the export holds nothing for it.' : 'Nothing was recorded in this range: the console was not running then.';
}

/**
 * The next full hour's forecast as a manager reads it ("next hour" at 09:13 read as 09:13–10:13); the method stays in the tooltip.
 * The forecast's hour is a UTC hour (the store's): in a zone half or three quarters of an hour off UTC (India, Nepal,
 * Newfoundland) it runs 03:45–04:45 on this PC's clock, which is no full hour, so it is just the "next hour" there.
 */
export function forecastWords(p: Prediction, hourText: (ms: number) => string, onTheHour = (ms: number): boolean => new Date(ms).getMinutes() === 0): { text: string; note: string } {
  const n = (v: number): string => v.toLocaleString('en');
  return {
    text: `Next ${onTheHour(p.hour) ? 'full ' : ''}hour (${hourText(p.hour)}–${hourText(p.hour + 3_600_000)}): expect about ${n(p.checkins)} check-ins, most likely between ${n(p.low)} and ${n(p.high)}.`,
    note:
      p.backtestMape === null
        ? 'Based on the same hour on the last 7 days; too little history yet to say how good these guesses are.'
        : `Based on the same hour on the last 7 days; lately these guesses were off by about ${Math.round(p.backtestMape)}%.`,
  };
}
