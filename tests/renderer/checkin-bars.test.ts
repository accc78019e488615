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

// probe-time16b #4: Custom Feb 28 00:00 → Mar 1 00:00 at 11:11 drew the 10:00–12:00 bar (1 h 11 min of data) like the full ones.
describe('a range reaching past the data’s end', () => {
  const at = new Date(2028, 1, 29, 11, 11).getTime();
  const range = { from: new Date(2028, 1, 28).getTime(), to: new Date(2028, 2, 1).getTime() };
  const points = Array.from({ length: 35 }, (_, i) => point(range.from + i * HOUR + 30 * MIN, 400));

  it('marks the bar holding now as so far, and draws none after it as data', () => {
    const b = checkinBars(points, range, undefined, at);
    expect(b.per).toBe('2 hours');
    const under = b.bars.find((x) => x.start <= at && at < x.end)!;
    expect(under.part).toEqual({ from: new Date(2028, 1, 29, 10).getTime(), to: at });
    expect(partWords(under.part!, under.end, at, localHm, (ms) => `${ms / MIN} min`)).toBe('so far (71 min)');
    const after = b.bars.filter((x) => x.start > at);
    expect(after.length).toBe(6);
    expect(after.every((x) => x.ahead && !x.part && x.allowed === 0)).toBe(true);
    expect(b.bars.filter((x) => x.start < under.start).every((x) => !x.ahead && !x.part)).toBe(true);
  });

  // Reviewed on another PC days later: the export's last bar said "so far (26 s)" though nothing is under way there.
  it('an export’s last bar is cut at its end, not "so far"', () => {
    const end = new Date(2028, 1, 29, 18, 0, 26).getTime();
    const b = checkinBars(points, range, undefined, end);
    const last = b.bars.filter((x) => !x.ahead).at(-1)!;
    expect(last.part).toEqual({ from: new Date(2028, 1, 29, 18).getTime(), to: end });
    const words = partWords(last.part!, last.end, end, localHm, (ms) => `${ms / 1000} s`, true);
    expect(words).toBe("cut at the export's end (26 s)");
    // A range ending inside the export still says what it holds.
    const cut = { from: new Date(2028, 1, 29, 9).getTime(), to: new Date(2028, 1, 29, 9, 30).getTime() };
    expect(partWords(cut, cut.from + HOUR, end, localHm, String, true)).toBe('only 9:00–9:30 is in this range');
  });
});
