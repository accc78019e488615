import { describe, expect, it } from 'vitest';
import { RangeSchema } from '../../src/shared/analytics';
import { showsWhole, wholeExport } from '../../src/renderer/src/features/analytics/review-span';

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
