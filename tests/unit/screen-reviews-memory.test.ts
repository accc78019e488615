import { describe, expect, it } from 'vitest';
import { Session } from '../../src/main/core/auth/session';
import { ScreenReviews, type OpenedReview } from '../../src/main/core/analytics/screen-reviews';
import type { AnalyticsStore } from '../../src/main/core/store/analytics-store';

/**
 * The reviews open on a console's screens are held in its memory: together they are bounded, so two
 * managers each opening a large export cannot take the front-desk PC's memory from the live desk.
 */

const MB = 1024 * 1024;
const review = (bytes: number, closed: string[], name: string): OpenedReview => ({
  store: { db: { close: () => closed.push(name) } } as unknown as AnalyticsStore,
  refs: [name],
  sites: ['North'],
  simulated: false,
  files: [`${name}.sqlite`],
  from: 0,
  to: 1,
  skipped: [],
  bytes,
});

describe('the memory the reviews of a console hold', () => {
  it('refuses one that would pass what the console allows beside those open on other screens, in words a manager can act on', () => {
    const released: string[][] = [];
    const closed: string[] = [];
    const reviews = new ScreenReviews((refs) => released.push(refs), 100 * MB);
    const [a, b] = [new Session('manager'), new Session('manager')];
    // One alone always opens, even past the allowance: the review's own limits bound it.
    reviews.show(a, review(120 * MB, closed, 'big'));
    expect(() => reviews.roomForBytes(b, 10 * MB)).toThrow(/needs 10 MB of the console's memory, and the reviews open on other screens already use 120 MB of the 100 MB the console allows for reviews.*Close one there \(Back to live data\), then open this one again/);
    expect(() => reviews.show(b, review(10 * MB, closed, 'small'))).toThrow(expect.objectContaining({ code: 'reviews-memory-full' }));
    // The refused one is let go (its database closed, its uploads released); the other screen's stays.
    expect(closed).toEqual(['small']);
    expect(released).toEqual([['small']]);
    expect(reviews.of(b)).toBeNull();
    expect(reviews.of(a)?.files).toEqual(['big.sqlite']);
    // A screen's own review is not counted against it: a new one takes its place.
    expect(() => reviews.roomForBytes(a, 90 * MB)).not.toThrow();
    // Closed there, room is made.
    reviews.close(a);
    reviews.show(a, review(60 * MB, closed, 'a2'));
    reviews.show(b, review(40 * MB, closed, 'b2'));
    expect(() => reviews.show(b, review(41 * MB, closed, 'b3'))).toThrow(/already use 60 MB of the 100 MB/);
    expect(reviews.of(b)?.files).toEqual(['b2.sqlite']);
  });
});
