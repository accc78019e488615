import { describe, expect, it } from 'vitest';
import { formatDay } from '../../src/renderer/src/format';

describe('membership dates on the kiosk and desk', () => {
  it('read as the locale writes a day, never as ISO, and never a day off in any time zone', () => {
    expect(formatDay('2027-03-03', new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }))).toBe('3 Mar 2027');
    expect(formatDay('2027-03-03', new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric' }))).toBe('Mar 3, 2027');
    expect(formatDay('2027-12-31', new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'short', year: 'numeric' }))).toBe('31. Dez. 2027');
    expect(formatDay('2027-03-03')).not.toMatch(/^\d{4}-/);
  });

  it('shows anything that is not a calendar date as given', () => {
    expect(formatDay('soon')).toBe('soon');
    expect(formatDay('2027-02-31')).toBe('2027-02-31');
  });
});
