import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/shared/analytics';
import { LOG_PAGE, refreshedRows } from '../../src/renderer/src/features/analytics/event-log-rows';

const ev = (id: number, ts = id * 1_000): StoredEvent => ({ id, ts, category: 'checkin', type: 'allowed', source: 'door', detail: `row ${id}` }) as StoredEvent;
/** Newest first, as the store answers: ids hi down to lo. */
const page = (hi: number, lo: number): StoredEvent[] => Array.from({ length: hi - lo + 1 }, (_, i) => ev(hi - i));

describe('the event log after a live refresh', () => {
  it('keeps the older rows loaded with "Load older" below the newest page, each once, and the list its length', () => {
    const shown = [...page(300, 201), ...page(200, 101)]; // the first page, then one loaded by hand
    const fresh = page(310, 211); // ten new rows since
    const rows = refreshedRows(fresh, shown);
    expect(rows.map((e) => e.id)).toEqual(page(310, 111).map((e) => e.id));
    expect(fresh).toHaveLength(LOG_PAGE);
  });

  it('is the newest page alone when nothing older was loaded, or when the page holds the whole range', () => {
    expect(refreshedRows(page(310, 211), page(300, 201)).map((e) => e.id)).toEqual(page(310, 211).map((e) => e.id));
    // Fewer than a page: everything in the range is in it (older rows loaded before have left a sliding range).
    expect(refreshedRows(page(40, 1), page(300, 101)).map((e) => e.id)).toEqual(page(40, 1).map((e) => e.id));
    expect(refreshedRows([], page(10, 1))).toEqual([]);
  });

  it('orders rows of the same time by id, as the store pages them', () => {
    const same = [ev(5, 1_000), ev(4, 1_000), ev(3, 1_000)];
    const fresh = [...page(105, 7), ev(6, 1_000)];
    expect(fresh).toHaveLength(LOG_PAGE);
    const rows = refreshedRows(fresh, [...fresh, ...same]);
    expect(rows.slice(-4).map((e) => e.id)).toEqual([6, 5, 4, 3]);
  });

  it('never lists a row twice, whatever the list held', () => {
    const fresh = page(310, 211);
    const rows = refreshedRows(fresh, [...page(300, 101), ev(250, 1)]); // a row shown out of order (older ts, an id the page has)
    expect(new Set(rows.map((e) => e.id)).size).toBe(rows.length);
  });
});
