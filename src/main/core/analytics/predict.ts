import { mean, standardDeviation } from 'simple-statistics';
import type { Prediction } from '../../../shared/analytics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const PREDICTION_METHOD = 'same hour over the previous 7 days: mean, with a ±2σ band';

interface Hourly {
  ts: number;
  checkins: number;
  connections: number;
}

/** Forecast for the hour starting at `hour` from the same hour on earlier days (null without history). */
export function forecast(history: Map<number, Hourly>, hour: number): { checkins: number; low: number; high: number; connections: number } | null {
  const same = [1, 2, 3, 4, 5, 6, 7].map((d) => history.get(hour - d * DAY)).filter((h): h is Hourly => h !== undefined);
  if (same.length < 2) return null;
  const values = same.map((h) => h.checkins);
  const m = mean(values);
  const band = Math.max(2 * standardDeviation(values), 0.1 * m);
  return { checkins: Math.round(m), low: Math.max(0, Math.round(m - band)), high: Math.round(m + band), connections: Math.round(mean(same.map((h) => h.connections)) * 10) / 10 };
}

/** Replays the method over the last `hours` of stored history: mean absolute percentage error. */
export function backtest(history: Map<number, Hourly>, lastHour: number, hours = 48): number | null {
  const errors: number[] = [];
  for (let h = lastHour - hours * HOUR; h <= lastHour; h += HOUR) {
    const actual = history.get(h);
    const f = forecast(history, h);
    if (!actual || !f || actual.checkins < 5) continue; // a near-empty hour makes percentages meaningless
    errors.push(Math.abs(f.checkins - actual.checkins) / actual.checkins);
  }
  return errors.length ? Math.round(mean(errors) * 1000) / 10 : null;
}

export function predictNextHour(rows: Hourly[], now: number): Prediction | null {
  const history = new Map(rows.map((r) => [r.ts, r]));
  const next = Math.floor(now / HOUR) * HOUR + HOUR;
  const f = forecast(history, next);
  if (!f) return null;
  return { hour: next, ...f, backtestMape: backtest(history, next - 2 * HOUR), method: PREDICTION_METHOD };
}
