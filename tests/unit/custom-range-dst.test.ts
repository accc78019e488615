import { describe, expect, it } from 'vitest';
import { readCustomTime } from '../../src/renderer/src/features/analytics/custom-range';
import { inTimeZone } from '../helpers/time-zone';

describe('a custom range typed where the clocks change says what it took', () => {
  it('02:30 on the night the clocks go forward does not exist: taken as 03:30, and said', () => {
    inTimeZone('Europe/Berlin', () => {
      const r = readCustomTime('2026-03-29T02:30', 'starts');
      expect(r.ms).toBe(Date.parse('2026-03-29T01:30:00Z'));
      expect(r.note).toBe('There is no 02:30 that day (the clocks went forward): the range starts at 03:30.');
    });
  });

  it('02:30 on the night the clocks go back came twice: the first is taken, and said', () => {
    inTimeZone('Europe/Berlin', () => {
      const r = readCustomTime('2026-10-25T02:30', 'ends');
      expect(r.ms).toBe(Date.parse('2026-10-25T00:30:00Z'));
      expect(r.note).toBe('02:30 came twice that night (the clocks went back): the range ends at the first 02:30.');
    });
  });

  it('an ordinary time says nothing', () => {
    inTimeZone('Europe/Berlin', () => {
      expect(readCustomTime('2026-10-25T04:30', 'starts')).toEqual({ ms: Date.parse('2026-10-25T03:30:00Z'), note: null });
      expect(readCustomTime('2026-03-29T01:59', 'starts').note).toBeNull();
    });
  });
});
