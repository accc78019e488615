import { describe, expect, it } from 'vitest';
import { trendOf } from '../../src/main/core/analytics/trends';
import { backtest, forecast, predictNextHour } from '../../src/main/core/analytics/predict';
import { seededRandom } from '../../src/server/random';

const HOUR = 3_600_000;
const series = (f: (i: number) => number, n = 24) => Array.from({ length: n }, (_, i) => ({ ts: i * HOUR, value: f(i) }));

describe('trend detection (least squares, ±10 % of the mean across the range)', () => {
  it('calls up, down and stable', () => {
    expect(trendOf(series((i) => 100 + i * 2)).direction).toBe('up');
    expect(trendOf(series((i) => 100 - i * 2)).direction).toBe('down');
    expect(trendOf(series((i) => 100 + (i % 2 ? 3 : -3))).direction).toBe('stable');
    expect(trendOf(series((i) => 100 + i * 0.2)).direction).toBe('stable'); // 4.6 % over the range
    expect(trendOf(series(() => 0))).toEqual({ direction: 'stable', changePct: 0, from: 0, to: 0 });
    expect(trendOf(series((i) => i, 3)).direction).toBe('stable'); // too few points
  });
});

describe('load prediction', () => {
  // Two weeks of a daily pattern with noise.
  const rand = seededRandom(3);
  const rows = Array.from({ length: 14 * 24 }, (_, h) => ({ ts: h * HOUR, checkins: Math.round((50 + 40 * Math.sin((h % 24) / 24 * 2 * Math.PI)) * (0.9 + rand() * 0.2)), connections: 6 }));
  const history = new Map(rows.map((r) => [r.ts, r]));

  it('forecasts the next hour from the same hour on earlier days, with a band around it', () => {
    const target = 13 * 24 * HOUR + 6 * HOUR;
    const f = forecast(history, target)!;
    const actual = history.get(target)!.checkins;
    expect(f.low).toBeLessThanOrEqual(actual);
    expect(f.high).toBeGreaterThanOrEqual(actual);
    expect(Math.abs(f.checkins - actual) / actual).toBeLessThan(0.15);
  });

  it('measures its own accuracy on replayed history', () => {
    const mape = backtest(history, 13 * 24 * HOUR + 23 * HOUR)!;
    expect(mape).toBeGreaterThan(0);
    expect(mape).toBeLessThan(12);
    const p = predictNextHour(rows, 13 * 24 * HOUR + 5.5 * HOUR)!;
    expect(p.hour).toBe(13 * 24 * HOUR + 6 * HOUR);
    expect(p.backtestMape).not.toBeNull();
    expect(predictNextHour(rows.slice(0, 20), 19 * HOUR)).toBeNull(); // not enough history
  });
});
