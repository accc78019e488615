import { describe, expect, it } from 'vitest';
import { formatDay, formatStamp, formatTime } from '../../src/renderer/src/format';

describe('membership dates on the kiosk and desk', () => {
  it('read as the locale writes a day, never as ISO, and never a day off in any time zone', () => {
    expect(formatDay('2027-03-03', new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }))).toBe('3 Mar 2027');
    expect(formatDay('2027-03-03', new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric' }))).toBe('Mar 3, 2027');
    expect(formatDay('2027-12-31', new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'short', year: 'numeric' }))).toBe('31. Dez. 2027');
    expect(formatDay('2027-03-03')).not.toMatch(/^\d{4}-/);
  });

  it('a date with a time (as some gym systems send it) reads as its day, as the date as written', () => {
    const fmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
    expect(formatDay('2027-03-31T23:59:59Z', fmt)).toBe('31 Mar 2027');
    expect(formatDay('2027-03-31 00:00:00+02:00', fmt)).toBe('31 Mar 2027');
  });

  it('shows anything that is not a calendar date as given', () => {
    expect(formatDay('soon')).toBe('soon');
    expect(formatDay('2027-02-31')).toBe('2027-02-31');
  });
});

describe('a moment in a list that spans days (the audit log)', () => {
  it('is the time as every list writes it, with the date before it when not today', () => {
    const now = new Date(2026, 11, 5, 12, 0).getTime();
    const today = new Date(2026, 11, 5, 9, 8, 23).getTime();
    const before = new Date(2026, 11, 3, 9, 8, 23).getTime();
    expect(formatStamp(today, now)).toBe(formatTime(today));
    expect(formatStamp(before, now)).toMatch(new RegExp(`^\\D*3\\D*, ${formatTime(before)}$`));
    expect(formatStamp(before, now)).not.toMatch(/\d+\/\d+\/\d{4}/);
  });
});
