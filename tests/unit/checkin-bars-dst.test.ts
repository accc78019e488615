import { describe, expect, it } from 'vitest';
import { checkinBars } from '../../src/renderer/src/features/analytics/checkin-bars';
import type { SeriesPoint } from '../../src/shared/analytics';
import { inTimeZone } from '../helpers/time-zone';

// Here, not in tests/renderer: it sets process.env.TZ, which the renderer's typings do not know.
const MIN = 60_000;
const HOUR = 60 * MIN;
const point = (ts: number, allowed: number, denied = 0): SeriesPoint => ({ ts, v: {} as SeriesPoint['v'], allowed, denied, measuredMs: 10_000 });
const localHm = (t: number): string => `${new Date(t).getHours()}:${String(new Date(t).getMinutes()).padStart(2, '0')}`;

describe('across a DST change, bars stay on the round hours of the wall clock', () => {
  const hourly = (from: number, to: number): SeriesPoint[] => Array.from({ length: (to - from) / HOUR }, (_, i) => point(from + i * HOUR, 1));

  it.each([
    ['the week after the clocks go forward', 'Europe/Berlin', '2026-03-26T12:00:00Z', '2026-04-02T12:00:00Z', '5 hours: the clocks went forward'],
    ['the week after the clocks go back', 'Europe/Berlin', '2026-10-22T12:00:00Z', '2026-10-29T12:00:00Z', '7 hours: the clocks went back'],
    ['New York, spring', 'America/New_York', '2026-03-05T17:00:00Z', '2026-03-12T17:00:00Z', '5 hours: the clocks went forward'],
  ])('7 days of 6-hour bars in %s (%s): every bar on 00/06/12/18, the one across the change says its length', (_, tz, from, to, words) => {
    inTimeZone(tz, () => {
      const range = { from: Date.parse(from), to: Date.parse(to) };
      const b = checkinBars(hourly(range.from, range.to), range);
      expect(b.per).toBe('6 hours');
      for (const x of b.bars) expect(localHm(x.start)).toMatch(/^(0|6|12|18):00$/);
      const changed = b.bars.filter((x) => x.clocks);
      expect(changed.map((x) => x.clocks)).toEqual([words]);
      expect(changed[0]!.end - changed[0]!.start).toBe((words.startsWith('5') ? 5 : 7) * HOUR);
      // Every hour counted once: the bar across the change holds its 5 or 7.
      expect(b.bars.reduce((n, x) => n + x.allowed, 0)).toBe((range.to - range.from) / HOUR);
      for (const [i, x] of b.bars.entries()) if (i > 0) expect(x.start).toBe(b.bars[i - 1]!.end);
    });
  });

  it('hourly bars over the night the clocks go back: the repeated hour is a bar of its own, none two hours long', () => {
    inTimeZone('Europe/Berlin', () => {
      const range = { from: Date.parse('2026-10-24T12:00:00Z'), to: Date.parse('2026-10-25T12:00:00Z') };
      const b = checkinBars(hourly(range.from, range.to), range);
      expect(b.per).toBe('hour');
      expect(b.bars.every((x) => x.end - x.start === HOUR && !x.clocks)).toBe(true);
      expect(b.bars.filter((x) => localHm(x.start) === '2:00')).toHaveLength(2);
    });
  });

  it('a range starting inside the repeated hour begins with the bar it starts in', () => {
    inTimeZone('Europe/Berlin', () => {
      const from = Date.parse('2026-10-25T01:30:00Z'); // 02:30 the second time (CET)
      const b = checkinBars([point(from + 10 * MIN, 3)], { from, to: from + 24 * HOUR }); // hourly bars
      expect(b.bars[0]!.start).toBe(Date.parse('2026-10-25T01:00:00Z'));
      expect(b.bars[0]!.start).toBeLessThanOrEqual(from);
      expect(b.bars[0]!.allowed).toBe(3);
    });
  });
});
