import { DateTime } from 'luxon';
import { mean, standardDeviation } from 'simple-statistics';
import { SAMPLE_MS, type Prediction } from '../../../shared/analytics';

const HOUR = 3_600_000;
const FULL_HOUR_SAMPLES = HOUR / SAMPLE_MS;
/**
 * An hour the console recorded for less than this (50 min) is left out: its count is part of an hour. A console
 * started at 10:58 stored "7 check-ins" for 10:00 and pulled the 10:00 forecast down for a week; at a DST
 * fall-back the same clock hour 7 days back was before the records began, 2 minutes of it: "172, between 34 and 311".
 */
const MIN_SAMPLES = Math.round(FULL_HOUR_SAMPLES * (5 / 6));
export const PREDICTION_METHOD = 'same clock hour over the previous 7 days: mean, with a ±2σ band';

interface Hourly {
  ts: number;
  checkins: number;
  connections: number;
  /** 10 s samples the console took in the hour: 360 for one it ran through. */
  n: number;
}

/** The hour's check-ins scaled to a whole hour, or null for one not recorded long enough to count. */
const wholeHour = (h: Hourly | undefined): Hourly | null => (h && h.n >= MIN_SAMPLES ? { ...h, checkins: (h.checkins * FULL_HOUR_SAMPLES) / h.n } : null);

/**
 * The stored hours at the same clock time in `zone` on each of the `days` days before `hour`. Not
 * `hour - d × 24 h`: for a week after a DST change that is the clock hour before or after.
 */
export function sameClockHour(hour: number, zone: string, days = 7): number[] {
  const local = DateTime.fromMillis(hour, { zone });
  // The stored hours are UTC hours; a zone whose offsets differ by half an hour lands inside one.
  return Array.from({ length: days }, (_, i) => Math.floor(local.minus({ days: i + 1 }).toMillis() / HOUR) * HOUR);
}

/**
 * Forecast for the hour starting at `hour` from the same clock hour (in the gym's `zone`) on earlier days,
 * those recorded in full only; null with fewer than two: not enough history, rather than a forecast from scraps.
 */
export function forecast(history: Map<number, Hourly>, hour: number, zone: string): { checkins: number; low: number; high: number; connections: number } | null {
  const same = sameClockHour(hour, zone).map((h) => wholeHour(history.get(h))).filter((h): h is Hourly => h !== null);
  if (same.length < 2) return null;
  const values = same.map((h) => h.checkins);
  const m = mean(values);
  const band = Math.max(2 * standardDeviation(values), 0.1 * m);
  return { checkins: Math.round(m), low: Math.max(0, Math.round(m - band)), high: Math.round(m + band), connections: Math.round(mean(same.map((h) => h.connections)) * 10) / 10 };
}

/** Replays the method over the last `hours` of stored history: mean absolute percentage error. */
export function backtest(history: Map<number, Hourly>, lastHour: number, zone: string, hours = 48): number | null {
  const errors: number[] = [];
  for (let h = lastHour - hours * HOUR; h <= lastHour; h += HOUR) {
    const actual = wholeHour(history.get(h));
    const f = forecast(history, h, zone);
    if (!actual || !f || actual.checkins < 5) continue; // a near-empty hour makes percentages meaningless; a part-hour is no actual
    errors.push(Math.abs(f.checkins - actual.checkins) / actual.checkins);
  }
  return errors.length ? Math.round(mean(errors) * 1000) / 10 : null;
}

/** The next hour's forecast; `rows` should reach back 7 days (in `zone`) before the backtest's 48 hours. */
export function predictNextHour(rows: Hourly[], now: number, zone: string): Prediction | null {
  const history = new Map(rows.map((r) => [r.ts, r]));
  const next = Math.floor(now / HOUR) * HOUR + HOUR;
  const f = forecast(history, next, zone);
  if (!f) return null;
  return { hour: next, ...f, backtestMape: backtest(history, next - 2 * HOUR, zone), method: PREDICTION_METHOD };
}
