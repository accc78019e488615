import { DateTime } from 'luxon';
import { mean, standardDeviation } from 'simple-statistics';
import type { Prediction } from '../../../shared/analytics';

const HOUR = 3_600_000;
export const PREDICTION_METHOD = 'same clock hour over the previous 7 days: mean, with a ±2σ band';

interface Hourly {
  ts: number;
  checkins: number;
  connections: number;
}

/**
 * The stored hours at the same clock time in `zone` on each of the `days` days before `hour`. Not
 * `hour - d × 24 h`: for a week after a DST change that is the clock hour before or after.
 */
export function sameClockHour(hour: number, zone: string, days = 7): number[] {
  const local = DateTime.fromMillis(hour, { zone });
  // The stored hours are UTC hours; a zone whose offsets differ by half an hour lands inside one.
  return Array.from({ length: days }, (_, i) => Math.floor(local.minus({ days: i + 1 }).toMillis() / HOUR) * HOUR);
}

/** Forecast for the hour starting at `hour` from the same clock hour (in the gym's `zone`) on earlier days (null without history). */
export function forecast(history: Map<number, Hourly>, hour: number, zone: string): { checkins: number; low: number; high: number; connections: number } | null {
  const same = sameClockHour(hour, zone).map((h) => history.get(h)).filter((h): h is Hourly => h !== undefined);
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
    const actual = history.get(h);
    const f = forecast(history, h, zone);
    if (!actual || !f || actual.checkins < 5) continue; // a near-empty hour makes percentages meaningless
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
