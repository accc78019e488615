import { describe, expect, it } from 'vitest';
import { measuredHalves, trendOf } from '../../src/main/core/analytics/trends';
import { DateTime } from 'luxon';
import { backtest, forecast, predictNextHour, sameClockHour } from '../../src/main/core/analytics/predict';
import { seededRandom } from '../../src/server/random';

const HOUR = 3_600_000;
// Hourly buckets, each sampled for the whole hour, over a range of exactly those hours.
const series = (f: (i: number) => number, n = 24) => Array.from({ length: n }, (_, i) => ({ ts: i * HOUR, value: f(i), measuredMs: HOUR }));
const whole = (n = 24) => ({ from: 0, to: n * HOUR });

describe('trend detection (first half of the range against the second, per measured time, ±10 %)', () => {
  it('calls up, down and stable', () => {
    expect(trendOf(series((i) => 100 + i * 2), whole())!.direction).toBe('up');
    expect(trendOf(series((i) => 100 - i * 2), whole())!.direction).toBe('down');
    expect(trendOf(series((i) => 100 + (i % 2 ? 3 : -3)), whole())!.direction).toBe('stable');
    expect(trendOf(series((i) => 100 + i * 0.2), whole())!.direction).toBe('stable'); // 2.4 % between the halves
    expect(trendOf(series(() => 0), whole())).toEqual({ direction: 'stable', changePct: 0, from: 0, to: 0 });
    expect(trendOf(series((i) => i, 3), whole(24))).toBeNull(); // three hours of a day: too little measured
  });

  it('a gym open for ten minutes has no hourly trend: 21 check-ins in a burst say nothing about an hour', () => {
    // What a new-user walkthrough saw: the 1h trend read "278 → 98 an hour (−65 %)".
    const now = 10 * HOUR;
    const range = { from: now - HOUR, to: now };
    const tenMinutes = Array.from({ length: 60 }, (_, i) => ({ ts: now - 600_000 + i * 10_000, value: i < 20 ? 1 : i % 6 === 0 ? 1 : 0, measuredMs: 10_000 }));
    expect(trendOf(tenMinutes, range, { counts: true })).toBeNull();
    expect(measuredHalves(tenMinutes, range)).toEqual({ ms: 600_000, neededMs: 15 * 60_000, enough: false });
    // The 24h range over the same ten minutes ("People inside low: about 2" while 5 were inside).
    const occupancy = tenMinutes.map((p, i) => ({ ...p, value: Math.min(5, Math.floor(i / 10)) }));
    expect(trendOf(occupancy, { from: now - 24 * HOUR, to: now })).toBeNull();
  });

  it('hours the console was off are not zeros, and a part-sampled hour is not scaled up to a whole one', () => {
    // 60 check-ins an hour all day, but the console ran only 20 minutes of each hour in the second half.
    const points = Array.from({ length: 24 }, (_, i) => (i < 12 ? { ts: i * HOUR, value: 60, measuredMs: HOUR } : { ts: i * HOUR, value: 20, measuredMs: HOUR / 3 }));
    const t = trendOf(points, whole(), { counts: true })!;
    expect(t).toMatchObject({ direction: 'stable', from: 60, to: 60 });
    // Switched off for six hours: those hours are missing, not a fall to nothing.
    const gap = series(() => 100).filter((p) => p.ts < 14 * HOUR || p.ts >= 20 * HOUR);
    expect(trendOf(gap, whole())).toMatchObject({ direction: 'stable', from: 100, to: 100 });
  });

  it('check-ins change beyond chance: 50 → 40 in half an hour is steady, 200 → 100 an hour is falling', () => {
    const halfHours = (a: number, b: number) => [
      { ts: 0, value: a, measuredMs: HOUR / 2 },
      { ts: HOUR / 2, value: b, measuredMs: HOUR / 2 },
    ];
    expect(trendOf(halfHours(50, 40), { from: 0, to: HOUR }, { counts: true })).toMatchObject({ direction: 'stable', from: 100, to: 80 });
    expect(trendOf(halfHours(100, 50), { from: 0, to: HOUR }, { counts: true })).toMatchObject({ direction: 'down', from: 200, to: 100, changePct: -50 });
  });
});

describe('load prediction', () => {
  // Two weeks of a daily pattern with noise.
  const rand = seededRandom(3);
  const rows = Array.from({ length: 14 * 24 }, (_, h) => ({ ts: h * HOUR, checkins: Math.round((50 + 40 * Math.sin((h % 24) / 24 * 2 * Math.PI)) * (0.9 + rand() * 0.2)), connections: 6, n: 360 }));
  const history = new Map(rows.map((r) => [r.ts, r]));

  it('forecasts the next hour from the same hour on earlier days, with a band around it', () => {
    const target = 13 * 24 * HOUR + 6 * HOUR;
    const f = forecast(history, target, 'UTC')!;
    const actual = history.get(target)!.checkins;
    expect(f.low).toBeLessThanOrEqual(actual);
    expect(f.high).toBeGreaterThanOrEqual(actual);
    expect(Math.abs(f.checkins - actual) / actual).toBeLessThan(0.15);
  });

  it('measures its own accuracy on replayed history', () => {
    const mape = backtest(history, 13 * 24 * HOUR + 23 * HOUR, 'UTC')!;
    expect(mape).toBeGreaterThan(0);
    expect(mape).toBeLessThan(12);
    const p = predictNextHour(rows, 13 * 24 * HOUR + 5.5 * HOUR, 'UTC')!;
    expect(p.hour).toBe(13 * 24 * HOUR + 6 * HOUR);
    expect(p.backtestMape).not.toBeNull();
    expect(predictNextHour(rows.slice(0, 20), 19 * HOUR, 'UTC')).toBeNull(); // not enough history
  });
});

describe('load prediction from hours recorded in full only', () => {
  // 100 check-ins in every hour the console ran through, for 10 days.
  const steady = (days: number) => Array.from({ length: days * 24 }, (_, h) => ({ ts: h * HOUR, checkins: 100, connections: 5, n: 360 }));

  // probe-time16b #3: a console started at 10:58 stored 2 minutes of 10:00 as an hour with 7 check-ins.
  it('leaves out an hour recorded for 2 minutes, so it does not drag the forecast down for a week', () => {
    const rows = steady(10);
    const part = 3 * 24 * HOUR + 10 * HOUR;
    rows[part / HOUR] = { ts: part, checkins: 7, connections: 5, n: 12 };
    const f = forecast(new Map(rows.map((r) => [r.ts, r])), 9 * 24 * HOUR + 10 * HOUR, 'UTC')!;
    expect(f).toEqual({ checkins: 100, low: 90, high: 110, connections: 5 });
  });

  it('counts an hour with a few samples missing, scaled to a whole hour', () => {
    const rows = steady(10);
    const nearly = 5 * 24 * HOUR + 10 * HOUR;
    rows[nearly / HOUR] = { ts: nearly, checkins: 90, connections: 5, n: 324 }; // 54 min: 100 an hour
    expect(forecast(new Map(rows.map((r) => [r.ts, r])), 9 * 24 * HOUR + 10 * HOUR, 'UTC')!.checkins).toBe(100);
  });

  // At the New York fall-back the repeated 01:00's hour a week back was before the records began: 7 (n=12), 207, 213, 196, 208, 209, 167.
  it('with scraps only, says there is not enough history instead of a forecast with a band from 34 to 311', () => {
    const counts = [7, 207, 213, 196, 208, 209, 167];
    const target = 7 * 24 * HOUR + 5 * HOUR;
    const rows = counts.map((checkins, i) => ({ ts: target - (7 - i) * 24 * HOUR, checkins, connections: 3, n: i === 0 ? 12 : 360 }));
    const f = forecast(new Map(rows.map((r) => [r.ts, r])), target, 'UTC')!;
    expect(f.checkins).toBe(200);
    expect(f.low).toBeGreaterThan(150);
    expect(f.high).toBeLessThan(250);
    const scraps = [0, 1, 2].map((d) => ({ ts: target - (d + 1) * 24 * HOUR, checkins: 5, connections: 1, n: 20 }));
    expect(predictNextHour([...scraps, ...scraps.map((r) => ({ ...r, ts: r.ts - HOUR }))], target - HOUR / 2, 'UTC')).toBeNull();
  });

  it('does not score its backtest against a part-hour', () => {
    const rows = steady(10);
    const last = 9 * 24 * HOUR + 10 * HOUR;
    rows[last / HOUR] = { ts: last, checkins: 20, connections: 5, n: 60 };
    expect(backtest(new Map(rows.map((r) => [r.ts, r])), last, 'UTC', 4)).toBe(0);
  });
});

describe('load prediction across a DST change: the same clock hour in the gym\'s time zone', () => {
  // A gym with 120 check-ins every day from 17:00 to 18:00 local, and 10 in every other hour.
  const gym = (zone: string, from: string, days: number) => {
    const rows: { ts: number; checkins: number; connections: number; n: number }[] = [];
    const start = DateTime.fromISO(from, { zone }).toMillis();
    for (let ts = start; ts < start + days * 24 * HOUR; ts += HOUR) rows.push({ ts, checkins: DateTime.fromMillis(ts, { zone }).hour === 17 ? 120 : 10, connections: 2, n: 360 });
    return rows;
  };
  const changes = [
    { zone: 'Europe/Berlin', change: '2026-03-29', kind: 'spring forward' },
    { zone: 'Europe/Berlin', change: '2026-10-25', kind: 'fall back' },
    { zone: 'America/New_York', change: '2026-03-08', kind: 'spring forward' },
    { zone: 'America/New_York', change: '2026-11-01', kind: 'fall back' },
  ];
  for (const { zone, change, kind } of changes) {
    it(`${zone}, ${kind} on ${change}: 120 at 17:00 on every day of the week after, with a backtest error of 0`, () => {
      const first = DateTime.fromISO(`${change}T00:00`, { zone }).minus({ days: 10 });
      const rows = gym(zone, first.toISO()!, 20);
      for (let d = 0; d <= 8; d++) {
        const now = DateTime.fromISO(`${change}T16:30`, { zone }).plus({ days: d }).toMillis();
        const p = predictNextHour(rows.filter((r) => r.ts < now), now, zone)!;
        expect(DateTime.fromMillis(p.hour, { zone }).toFormat('HH:mm')).toBe('17:00');
        expect({ day: d, checkins: p.checkins, low: p.low, high: p.high, mape: p.backtestMape }).toEqual({ day: d, checkins: 120, low: 108, high: 132, mape: 0 });
      }
    });
  }

  it('steps back in calendar days, so each earlier day gives its own 17:00', () => {
    const zone = 'Europe/Berlin';
    const hour = DateTime.fromISO('2026-03-30T17:00', { zone }).toMillis();
    expect(sameClockHour(hour, zone, 3).map((h) => DateTime.fromMillis(h, { zone }).toFormat('yyyy-MM-dd HH:mm'))).toEqual(['2026-03-29 17:00', '2026-03-28 17:00', '2026-03-27 17:00']);
    expect(hour - sameClockHour(hour, zone, 2)[1]!).toBe(47 * HOUR); // 48 clock hours, one of them skipped
    const other = DateTime.fromISO('2026-10-26T17:00', { zone }).toMillis();
    expect(other - sameClockHour(other, zone, 2)[1]!).toBe(49 * HOUR);
  });
});
