import { describe, expect, it } from 'vitest';
import { forecastWords } from '../../src/renderer/src/features/analytics/trend-words';
import { inTimeZone } from '../helpers/time-zone';

// Here, not in tests/renderer: it sets process.env.TZ, which the renderer's typings do not know.
const hm = (ms: number): string => { const d = new Date(ms); return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`; };
const prediction = (hour: number) => ({ hour, checkins: 200, low: 150, high: 250, connections: 6, backtestMape: null, method: 'm' });

describe('the forecast says "full hour" only of a full hour on this PC\'s clock', () => {
  it('in Kathmandu (UTC+5:45) the store\'s hour is 03:45–04:45: "Next hour", not "Next full hour"', () => {
    inTimeZone('Asia/Kathmandu', () => {
      const f = forecastWords(prediction(Date.parse('2026-12-03T22:00:00Z')), hm);
      expect(f.text).toBe('Next hour (03:45–04:45): expect about 200 check-ins, most likely between 150 and 250.');
    });
  });

  it('in Berlin the same hour is 23:00–00:00, a full hour', () => {
    inTimeZone('Europe/Berlin', () => {
      expect(forecastWords(prediction(Date.parse('2026-12-03T22:00:00Z')), hm).text).toMatch(/^Next full hour \(23:00–00:00\)/);
    });
  });
});
