import { describe, expect, it } from 'vitest';
import { checkinBars, MAX_BARS, partWords } from '../../src/renderer/src/features/analytics/checkin-bars';
import type { SeriesPoint } from '../../src/shared/analytics';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = new Date(2026, 11, 4, 23, 41, 24).getTime();
const point = (ts: number, allowed: number, denied = 0): SeriesPoint => ({ ts, v: {} as SeriesPoint['v'], allowed, denied, measuredMs: 10_000 });
const localHm = (t: number): string => `${new Date(t).getHours()}:${String(new Date(t).getMinutes()).padStart(2, '0')}`;

describe('check-in bars are sized to the range', () => {
  it('23 check-ins in ten minutes of a 24h range are one or two hourly bars, not hairlines among 720 two-minute buckets', () => {
    const range = { from: now - 24 * HOUR, to: now };
    // The series as the store groups 24h: two-minute buckets, only where the console ran.
    const points = [0, 1, 2, 3, 4].map((i) => point(now - 10 * MIN + i * 2 * MIN - ((now - 10 * MIN) % (2 * MIN)), [3, 7, 4, 5, 2][i]!, i === 1 ? 2 : 0));
    const b = checkinBars(points, range);
    expect(b.per).toBe('hour');
    expect(b.bars.length).toBeGreaterThanOrEqual(24);
    expect(b.bars.length).toBeLessThanOrEqual(MAX_BARS + 1);
    const filled = b.bars.filter((x) => x.allowed + x.denied > 0);
    expect(filled.reduce((n, x) => n + x.allowed + x.denied, 0)).toBe(23);
    expect(filled.length).toBeLessThanOrEqual(2);
    for (const x of b.bars) expect(localHm(x.start)).toMatch(/:00$/); // on the hours of this PC's clock
    // The hour under way is a bar too, so the chart's axis runs to its end, not to "now" halfway through it.
    expect(b.bars.at(-1)!.start + b.bucketMs).toBeGreaterThanOrEqual(range.to);
    expect(b.bars[0]!.start).toBeLessThanOrEqual(range.from);
  });

  it('each preset gets bars a manager can read', () => {
    const per = (hours: number, gap: number) => checkinBars([point(now - 2 * gap, 1), point(now - gap, 1)], { from: now - hours * HOUR, to: now }).per;
    expect(per(1, 10_000)).toBe('2 minutes');
    expect(per(6, 30_000)).toBe('10 minutes');
    expect(per(24, 120_000)).toBe('hour');
    expect(per(168, HOUR)).toBe('6 hours');
    // Never finer than the series: 30 days of daily rollups are daily bars, not 12-hour ones.
    expect(per(30 * 24, 24 * HOUR)).toBe('day');
  });

  it('a check-in counts in the bar of its time, none outside the range', () => {
    const b = checkinBars([point(now - 5 * MIN, 2), point(now - 65 * MIN, 1)], { from: now - HOUR, to: now });
    expect(b.bars.reduce((n, x) => n + x.allowed, 0)).toBe(2);
    expect(b.bars.find((x) => x.allowed)!.start).toBe(new Date(2026, 11, 4, 23, 36).getTime()); // 23:36–23:38
  });
});

describe('a bar that counts part of its bucket is marked, never drawn as a whole one', () => {
  it('the hour under way at 09:13 is "so far (13 min)"; the first, cut by the range, says what it holds', () => {
    const at = new Date(2026, 11, 5, 9, 13).getTime();
    const range = { from: at - 24 * HOUR, to: at };
    const b = checkinBars([point(at - 5 * MIN, 600), point(at - 70 * MIN, 4000)], range);
    const last = b.bars.at(-1)!;
    expect(last.part).toEqual({ from: new Date(2026, 11, 5, 9).getTime(), to: at });
    expect(b.bars.slice(1, -1).every((x) => !x.part)).toBe(true);
    expect(b.bars[0]!.part).toEqual({ from: range.from, to: new Date(2026, 11, 4, 10).getTime() });
    const span = (ms: number): string => `${ms / MIN} min`;
    expect(partWords(last.part!, last.start + HOUR, at, localHm, span)).toBe('so far (13 min)');
    expect(partWords(b.bars[0]!.part!, b.bars[0]!.start + HOUR, at, localHm, span)).toBe('only 9:13–10:00 is in this range');
    // Reviewed later (an export), the range's cut-off last hour is not "so far".
    expect(partWords(last.part!, last.start + HOUR, at + 5 * HOUR, localHm, span)).toBe('only 9:00–9:13 is in this range');
  });
});
