import { describe, expect, it } from 'vitest';
import { RangeSchema } from '../../src/shared/analytics';
import { drawnWords, showsWhole, wholeExport, zoomTo } from '../../src/renderer/src/features/analytics/review-span';

const DAY = 86_400_000;
const end = Date.UTC(2026, 11, 5, 3);

describe('the range an opened export is shown on', () => {
  it('is all its files cover, or the last year of a longer merge (a range holds at most one)', () => {
    expect(wholeExport({ from: end - 7 * DAY, to: end })).toEqual({ from: end - 7 * DAY, to: end });
    const merged = wholeExport({ from: end - 700 * DAY, to: end });
    expect(merged).toEqual({ from: end - 366 * DAY, to: end });
    expect(RangeSchema.safeParse(merged).success).toBe(true);
  });

  it('knows when what is shown is all of it', () => {
    const span = { from: end - 7 * DAY, to: end };
    expect(showsWhole(span, span)).toBe(true);
    expect(showsWhole({ from: end - DAY, to: end }, span)).toBe(false);
  });
});

describe('figures over a sliver of the range', () => {
  const week = { from: end - 7 * DAY, to: end };
  const minutes = { from: end - DAY + 2 * 60_000, to: end - DAY + 8 * 60_000 };

  it('are zoomed to with a minute\'s margin, within the range; figures over most of it are not', () => {
    expect(zoomTo(minutes, week)).toEqual({ from: minutes.from - 60_000, to: minutes.to + 60_000 });
    expect(RangeSchema.safeParse(zoomTo(minutes, week)).success).toBe(true);
    expect(zoomTo({ from: week.to - 20_000, to: week.to }, week)).toEqual({ from: week.to - 80_000, to: week.to });
    expect(zoomTo({ from: week.from, to: week.to - DAY }, week)).toBeNull();
    expect(zoomTo(null, week)).toBeNull();
    // One sample, zoomed to: it stays zoomed (the note does not come back asking again).
    const one = { from: end - DAY, to: end - DAY + 10_000 };
    expect(zoomTo(one, zoomTo(one, week)!)).toBeNull();
  });

  it('say one day once, and both days when they span two', () => {
    const at = (h: number, m: number): number => new Date(2026, 11, 5, h, m).getTime();
    expect(drawnWords({ from: at(6, 2), to: at(6, 8) })).toMatch(/^\S+ ?[AP]?M? to \S+ ?[AP]?M? on \S+ \S+ 2026$|^.+ to .+ on .*5.*2026$/);
    expect(drawnWords({ from: at(6, 2), to: at(6, 8) }).split('2026')).toHaveLength(2);
    expect(drawnWords({ from: at(23, 0), to: at(23, 0) + 2 * 3_600_000 }).split('2026')).toHaveLength(3);
    // A span that ends at midnight ends that day.
    expect(drawnWords({ from: at(23, 0), to: at(23, 0) + 3_600_000 }).split('2026')).toHaveLength(2);
  });
});
