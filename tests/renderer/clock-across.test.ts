import { describe, expect, it } from 'vitest';
import { clockAcross } from '../../src/renderer/src/format';
import { halvesWords } from '../../src/renderer/src/features/analytics/trend-words';

// probe26a A3: the night the clocks went back, the 1h range read "(01:00 AM to 01:30 AM) with … (01:30 AM to 01:00 AM)".
describe('times across a range in which the clocks change', () => {
  const NY = 'America/New_York';
  const fallBack = Date.UTC(2026, 10, 1, 6, 0); // 01:00 EST, an hour after 01:00 EDT
  it('name the zone, so the repeated hour says which it is', () => {
    const range = { from: fallBack - 3_600_000, to: fallBack };
    const clock = clockAcross(range, NY);
    expect(clock(range.from)).toMatch(/01:00\sAM EDT/);
    expect(clock(range.to)).toMatch(/01:00\sAM EST/);
    expect(halvesWords(range, () => 'Nov 1', clock)).toMatch(/01:00\sAM EDT to 01:30\sAM EDT\) with the second half \(01:30\sAM EDT to 01:00\sAM EST\)/);
  });
  it('say the time alone on any other night', () => {
    const range = { from: fallBack + 86_400_000, to: fallBack + 90_000_000 };
    expect(clockAcross(range, NY)(range.from)).toMatch(/^01:00\sAM$/);
  });
});
