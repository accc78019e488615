import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkinBars, partSpan, partWords } from '../../src/renderer/src/features/analytics/checkin-bars';
import { timeTicks } from '../../src/renderer/src/components/charts/time-ticks';
import { readCustomTime, toInput } from '../../src/renderer/src/features/analytics/custom-range';
import type { SeriesPoint } from '../../src/shared/analytics';
import { inTimeZone } from '../helpers/time-zone';

// The Analytics tab on a PC whose zone is not the gym's (a review PC, or a console whose "Time zone" is set
// otherwise): the store stamps day rollups at the gym's midnight, so bars, ticks and fields follow the gym's calendar.
// Here, not in tests/renderer: it sets process.env.TZ, which the renderer's typings do not know.
const HOUR = 3_600_000;
const BERLIN = 'Europe/Berlin';
const point = (ts: number, allowed: number): SeriesPoint => ({ ts, v: {} as SeriesPoint['v'], allowed, denied: 0, measuredMs: 10_000 });
const gym = (ts: number, zone = BERLIN): DateTime => DateTime.fromMillis(ts, { zone });
const at = (iso: string, zone = BERLIN): number => DateTime.fromISO(iso, { zone }).toMillis();

/** Day rollups of a Berlin gym, each stamped at Berlin midnight: 1,000 check-ins a day, `spike` on Sunday May 10. */
function berlinDays(from: string, to: string, spike = 5_000): SeriesPoint[] {
  const pts: SeriesPoint[] = [];
  for (let d = DateTime.fromISO(from, { zone: BERLIN }); d < DateTime.fromISO(to, { zone: BERLIN }); d = d.plus({ days: 1 })) pts.push(point(d.toMillis(), d.month === 5 && d.day === 10 ? spike : 1_000));
  return pts;
}

describe('week bars follow the gym\u2019s calendar, Monday to Sunday, on a PC west of the gym', () => {
  it('the gym\u2019s Sunday spike is in the week it belongs to, and every whole week holds its 7 days', () => {
    inTimeZone('America/New_York', () => {
      const range = { from: at('2026-03-01T00:00', 'America/New_York'), to: at('2026-05-31T00:00', 'America/New_York') };
      const b = checkinBars(berlinDays('2026-02-20', '2026-06-05'), range, BERLIN);
      expect(b.per).toBe('week');
      for (const x of b.bars) {
        expect(gym(x.start).toFormat('ccc HH:mm')).toBe('Mon 00:00'); // Monday midnight at the gym, whatever weekday the range starts on
        expect(gym(x.end).toFormat('ccc HH:mm')).toBe('Mon 00:00');
      }
      const spike = b.bars.find((x) => x.start === at('2026-05-04T00:00'))!;
      expect(spike.end).toBe(at('2026-05-11T00:00'));
      expect(spike.allowed).toBe(6 * 1_000 + 5_000);
      for (const x of b.bars.filter((x) => !x.part && x !== spike)) expect(x.allowed).toBe(7_000);
    });
  });

  it('the week the gym\u2019s clocks go forward is 167 h, starts and ends on Monday midnight, and holds its 7 days', () => {
    inTimeZone('America/New_York', () => {
      // Berlin went to summer time on Sunday 29 March 2026; New York three weeks before.
      const range = { from: at('2026-01-20T00:00'), to: at('2026-05-12T10:00') };
      const b = checkinBars(berlinDays('2026-01-01', '2026-05-12'), range, BERLIN);
      const dst = b.bars.find((x) => x.start === at('2026-03-23T00:00'))!;
      expect(dst.end).toBe(at('2026-03-30T00:00'));
      expect(dst.end - dst.start).toBe(167 * HOUR);
      expect(dst.allowed).toBe(7_000);
      expect(dst.clocks).toBeUndefined();
      expect(b.bars.reduce((n, x) => n + x.allowed, 0)).toBe(berlinDays('2026-01-20', '2026-05-12').reduce((n, p) => n + p.allowed, 0) + 1_000); // + May 12, under way
    });
  });

  it('the week under way says how much of it is in as days and hours, not "150 h"', () => {
    inTimeZone('America/New_York', () => {
      const now = at('2026-05-17T06:00'); // Sunday 06:00 at the gym: Monday 00:00 + 6 days 6 h
      const b = checkinBars(berlinDays('2026-02-01', '2026-05-18'), { from: now - 90 * 24 * HOUR, to: now }, BERLIN);
      const last = b.bars.at(-1)!;
      expect(last.start).toBe(at('2026-05-11T00:00'));
      expect(partWords(last.part!, last.end, now, String, partSpan)).toBe('so far (6 days 6 h)');
      expect(partSpan(150 * HOUR)).toBe('6 days 6 h');
      expect(partSpan(24 * HOUR)).toBe('1 day');
      expect(partSpan(13 * 60_000)).toBe('13 min');
    });
  });
});

describe('day and hour bars follow the gym\u2019s clock', () => {
  it('30 days of Berlin day rollups on a New York PC: one bar per Berlin day, each holding its own day', () => {
    inTimeZone('America/New_York', () => {
      const range = { from: at('2026-03-15T00:00'), to: at('2026-04-14T00:00') }; // across Berlin's change on March 29
      const b = checkinBars(berlinDays('2026-03-01', '2026-04-20'), range, BERLIN);
      expect(b.per).toBe('day');
      expect(b.bars).toHaveLength(30);
      for (const x of b.bars) {
        expect(gym(x.start).toFormat('HH:mm')).toBe('00:00');
        expect(x.allowed).toBe(1_000);
      }
      expect(b.bars.find((x) => x.start === at('2026-03-29T00:00'))!.end - at('2026-03-29T00:00')).toBe(23 * HOUR);
    });
  });

  it('6-hour bars of a gym in Kathmandu (+05:45) on a Berlin PC fall on 00/06/12/18 at the gym', () => {
    inTimeZone(BERLIN, () => {
      const zone = 'Asia/Kathmandu';
      const range = { from: at('2026-05-05T09:20', zone), to: at('2026-05-12T09:20', zone) };
      const hourly = Array.from({ length: 7 * 24 }, (_, i) => point(at('2026-05-05T10:00', zone) + i * HOUR, 1));
      const b = checkinBars(hourly, range, zone);
      expect(b.per).toBe('6 hours');
      for (const x of b.bars) expect(gym(x.start, zone).toFormat('mm')).toBe('00');
      for (const x of b.bars) expect(gym(x.start, zone).hour % 6).toBe(0);
      expect(b.bars.every((x) => !x.clocks)).toBe(true); // Berlin's clocks change nothing at a gym in Nepal
    });
  });
});

describe('axis ticks and range fields follow the gym\u2019s clock', () => {
  it('a 90-day axis ticks at the gym\u2019s midnights, a 3-week one on its Mondays', () => {
    inTimeZone('America/New_York', () => {
      for (const t of timeTicks(at('2026-02-11T05:00'), at('2026-05-12T06:00'), 6, BERLIN)) expect(gym(t).toFormat('HH:mm')).toBe('00:00');
      const weekly = timeTicks(at('2026-03-04T05:00'), at('2026-04-14T06:00'), 6, BERLIN);
      expect(weekly.length).toBeGreaterThan(2);
      for (const t of weekly) expect(gym(t).toFormat('ccc HH:mm')).toBe('Mon 00:00');
    });
  });

  it('a custom range typed on a New York PC is read on the gym\u2019s clock, its DST gap said', () => {
    inTimeZone('America/New_York', () => {
      expect(readCustomTime('2026-05-10T00:00', 'starts', BERLIN)).toEqual({ ms: Date.parse('2026-05-09T22:00:00Z'), note: null });
      expect(toInput(Date.parse('2026-05-09T22:00:00Z'), BERLIN)).toBe('2026-05-10T00:00');
      const gap = readCustomTime('2026-03-29T02:30', 'starts', BERLIN);
      expect(gap.ms).toBe(Date.parse('2026-03-29T01:30:00Z'));
      expect(gap.note).toBe('There is no 02:30 that day (the clocks went forward): the range starts at 03:30.');
      expect(readCustomTime('2026-10-25T02:30', 'ends', BERLIN).ms).toBe(Date.parse('2026-10-25T00:30:00Z'));
    });
  });
});
