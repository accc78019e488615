import { describe, expect, it } from 'vitest';
import { tickLabel, timeTicks } from '../../src/renderer/src/components/charts/time-ticks';
import { inTimeZone } from '../helpers/time-zone';

const at = (iso: string): number => new Date(iso).getTime();
const local = (t: number): string => { const d = new Date(t); return `${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`; };

describe('chart time ticks', () => {
  it('a 5-minute live window ticks on whole minutes', () => {
    const ticks = timeTicks(at('2026-11-23T02:59:23'), at('2026-11-23T03:04:23'));
    expect(ticks.map(local)).toEqual(['23 03:00', '23 03:01', '23 03:02', '23 03:03', '23 03:04']);
  });

  it('an hour ticks every 15 minutes, and 24 hours every 6 hours on local round hours', () => {
    expect(timeTicks(at('2026-11-23T02:10:00'), at('2026-11-23T03:10:00')).map(local)).toEqual(['23 02:15', '23 02:30', '23 02:45', '23 03:00']);
    expect(timeTicks(at('2026-11-22T03:10:00'), at('2026-11-23T03:10:00')).map(local)).toEqual(['22 06:00', '22 12:00', '22 18:00', '23 00:00']);
  });

  it('seven days tick at local midnights, never more than six', () => {
    const ticks = timeTicks(at('2026-11-16T03:10:00'), at('2026-11-23T03:10:00'));
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const t of ticks) expect(local(t).endsWith('00:00')).toBe(true);
  });

  it('across a DST change, day ticks stay on local midnight and hour ticks on round hours', () => {
    inTimeZone('Europe/Berlin', () => {
      // Clocks went back on 25 Oct 2026: that day had 25 hours.
      const days = timeTicks(at('2026-10-23T12:00:00'), at('2026-10-28T12:00:00'));
      expect(days.map(local)).toEqual(['24 00:00', '25 00:00', '26 00:00', '27 00:00', '28 00:00']);
      expect(days[2]! - days[1]!).toBe(25 * 3_600_000);
      const hours = timeTicks(at('2026-10-24T22:00:00'), at('2026-10-25T23:30:00'));
      expect(hours.map(local)).toEqual(['25 00:00', '25 06:00', '25 12:00', '25 18:00']);
    });
  });

  it('two-hour ticks after the clocks go forward stay on even hours (02:00 is 03:00 that night, then 04:00, not 05:00)', () => {
    inTimeZone('Europe/Berlin', () => {
      const ticks = timeTicks(at('2026-03-29T00:00:00'), at('2026-03-29T10:00:00'));
      expect(ticks.map(local)).toEqual(['29 00:00', '29 03:00', '29 04:00', '29 06:00', '29 08:00', '29 10:00']);
    });
  });

  it('a year ticks on the first of months; an empty or reversed range has no ticks', () => {
    const ticks = timeTicks(at('2025-11-23T00:00:00'), at('2026-11-23T00:00:00'));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const t of ticks) expect(local(t)).toBe('1 00:00');
    expect(timeTicks(10, 5)).toEqual([]);
    expect(timeTicks(Number.NaN, 5)).toEqual([]);
  });

  it('labels carry the weekday once the span passes half a day', () => {
    const t = at('2026-11-23T06:00:00');
    expect(tickLabel(t, 60 * 60_000)).not.toMatch(/Mon/);
    expect(tickLabel(t, 24 * 3_600_000)).toMatch(/Mon/);
    expect(tickLabel(t, 30 * 86_400_000)).toMatch(/Nov/);
    expect(tickLabel(t, 365 * 86_400_000)).toMatch(/2026/);
  });
});
