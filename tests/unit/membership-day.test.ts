import { describe, expect, it } from 'vitest';
import { endDay, gymDay, hasEnded, statusOn } from '../../src/shared/membership-day';
import { inTimeZone } from '../helpers/time-zone';

const at = (iso: string): number => new Date(iso).getTime();
const ending = (expiresOn: string, status: 'active' | 'expiring' | 'expired' | 'frozen' | 'unpaid' = 'expiring') => ({ status, expiresOn });

// probe-time16b #1: offline, a membership ended since the last sync was let in as "expires soon".
describe("a membership's standing on the gym's day", () => {
  it("says the gym's day, whatever this PC's zone: a gym east of the PC and one west of it", () => {
    const moment = at('2026-07-01T11:30:00Z');
    for (const pc of ['America/Los_Angeles', 'UTC', 'Asia/Tokyo', 'Pacific/Chatham']) {
      inTimeZone(pc, () => {
        expect(gymDay(moment, 'Pacific/Chatham')).toBe('2026-07-02'); // 00:15 on Jul 2 there (+12:45)
        expect(gymDay(moment, 'Pacific/Auckland')).toBe('2026-07-01'); // 23:30 on Jul 1 there (+12)
        expect(gymDay(moment, 'America/Los_Angeles')).toBe('2026-07-01'); // 04:30 on Jul 1 there
        expect(gymDay(moment, 'Pacific/Pago_Pago')).toBe('2026-07-01'); // 00:30 on Jul 1 there (−11)
        expect(gymDay(at('2026-07-01T10:59:59Z'), 'Pacific/Pago_Pago')).toBe('2026-06-30');
      });
    }
  });

  it("turns at the gym's midnight, not the PC's: a gym west of the PC (PC in Tokyo, gym in New York)", () => {
    inTimeZone('Asia/Tokyo', () => {
      const m = ending('2026-07-01');
      const before = at('2026-07-02T03:59:59.999Z'); // 23:59:59.999 on Jul 1 in New York; already Jul 2, 12:59 in Tokyo
      expect(statusOn(m, gymDay(before, 'America/New_York'))).toBe('expiring');
      expect(statusOn(m, gymDay(before + 1, 'America/New_York'))).toBe('expired');
    });
  });

  it("turns at the gym's midnight, not the PC's: a gym east of the PC (PC in Los Angeles, gym in Auckland)", () => {
    inTimeZone('America/Los_Angeles', () => {
      const m = ending('2026-07-01', 'active');
      const midnight = at('2026-07-01T12:00:00Z'); // 00:00 on Jul 2 in Auckland (+12); 05:00 on Jul 1 in Los Angeles
      expect(statusOn(m, gymDay(midnight - 1, 'Pacific/Auckland'))).toBe('active');
      expect(statusOn(m, gymDay(midnight, 'Pacific/Auckland'))).toBe('expired');
    });
  });

  it('keeps a membership in good standing through its last day, and keeps frozen, unpaid and expired as stored', () => {
    expect(statusOn(ending('2026-07-02'), '2026-07-02')).toBe('expiring');
    expect(statusOn(ending('2026-07-09', 'active'), '2026-07-02')).toBe('active');
    expect(statusOn(ending('2026-07-01', 'frozen'), '2026-07-02')).toBe('frozen');
    expect(statusOn(ending('2026-07-01', 'unpaid'), '2026-07-02')).toBe('unpaid');
    expect(statusOn(ending('2026-07-09', 'expired'), '2026-07-02')).toBe('expired');
    expect(statusOn(ending('2025-12-31'), '2026-01-01')).toBe('expired'); // across the year's end
  });

  it('reads ISO dates, and ISO dates with a time (the date as written); anything else keeps the stored status', () => {
    expect(endDay('2026-07-02')).toBe('2026-07-02');
    expect(endDay(' 2026-07-02 ')).toBe('2026-07-02');
    expect(endDay('2026-07-02T23:59:59Z')).toBe('2026-07-02');
    expect(endDay('2026-07-02T00:00:00.000+05:30')).toBe('2026-07-02');
    expect(endDay('2028-02-29')).toBe('2028-02-29');
    for (const odd of ['2026-02-30', '2027-02-29', '2026-13-01', '07/02/2026', '2 Jul 2026', '20260702', '', 'never', '2026-07-02 until renewed']) {
      expect(endDay(odd)).toBeNull();
      expect(statusOn(ending(odd, 'active'), '2099-01-01')).toBe('active');
    }
    expect(hasEnded('2026-07-01', '2026-07-02')).toBe(true);
    expect(hasEnded('2026-07-02', '2026-07-02')).toBe(false);
  });
});
