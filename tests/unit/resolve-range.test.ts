import { describe, expect, it } from 'vitest';
import { resolveRange } from '../../src/shared/analytics';

const HOUR = 3_600_000;

describe('what "the last 7 days" covers', () => {
  it('across the clocks going forward: from 09:00 seven days back on the gym calendar, not 08:00 (7 × 24 h)', () => {
    const now = Date.parse('2026-03-30T07:00:00Z'); // Monday 09:00 in Berlin (CEST)
    const r = resolveRange({ last: '7d' }, now, 'Europe/Berlin');
    expect(r).toEqual({ from: Date.parse('2026-03-23T08:00:00Z'), to: now }); // Monday 09:00 (CET)
    expect(r.to - r.from).toBe(167 * HOUR);
  });

  it('across the clocks going back the week holds 169 hours; a week without a change holds 168', () => {
    const now = Date.parse('2026-10-26T08:00:00Z'); // Monday 09:00 CET
    expect(now - resolveRange({ last: '7d' }, now, 'Europe/Berlin').from).toBe(169 * HOUR);
    const plain = Date.parse('2026-06-10T08:00:00Z');
    expect(plain - resolveRange({ last: '7d' }, plain, 'Europe/Berlin').from).toBe(168 * HOUR);
  });

  it('hours stay hours, and a custom range is what it says', () => {
    const now = Date.parse('2026-03-29T03:30:00Z');
    expect(resolveRange({ last: '24h' }, now, 'Europe/Berlin')).toEqual({ from: now - 24 * HOUR, to: now });
    expect(resolveRange({ from: 5, to: 9 }, now, 'Europe/Berlin')).toEqual({ from: 5, to: 9 });
  });
});
