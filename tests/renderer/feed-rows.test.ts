import { describe, expect, it } from 'vitest';
import { feedOrderNote, feedRows, feedTime, LATE_BY_MS } from '../../src/renderer/src/features/overview/feed-rows';
import { formatTime } from '../../src/renderer/src/format';
import type { CheckinEntry } from '../../src/shared/state';

const T = Date.UTC(2026, 11, 5, 6, 7, 0);
let seq = 0;
const row = (sAfter: number, source: CheckinEntry['source'], name: string, extra: Partial<CheckinEntry> = {}): CheckinEntry => ({
  seq: ++seq, ts: T + sAfter * 1000, cardId: `40${seq}`, memberId: `M${seq}`, name, status: 'active', allowed: true, reason: 'ok', source, note: null, ...extra,
});

describe('the live check-ins list', () => {
  it('keeps arrival order, newest first, and marks a row scanned before rows that reached the backend ahead of it', () => {
    // As the probe saw it: a kiosk's 06:07:26 scan, decided offline, reaches the backend after rows of 06:07:34.
    const list = [row(30, 'door', 'A'), row(34, 'desk', 'B'), row(34.5, 'door', 'C'), row(26, 'kiosk', 'Maya'), row(36, 'door', 'D')];
    const rows = feedRows(list);
    expect(rows.map((r) => r.c.name)).toEqual(['D', 'Maya', 'C', 'B', 'A']);
    expect(rows.filter((r) => r.late).map((r) => r.c.name)).toEqual(['Maya']);
    // Two PCs' clocks a second apart, two scans a moment apart: not late.
    expect(feedRows([row(10, 'door', 'E'), row(10 - (LATE_BY_MS - 1) / 1000, 'kiosk', 'F')]).some((r) => r.late)).toBe(false);
    // Only the newest are shown, still judged against all that arrived before them.
    expect(feedRows(list, 2).map((r) => [r.c.name, r.late])).toEqual([['D', false], ['Maya', true]]);
  });

  it('says the list is by arrival while a row on it is above rows scanned after it, and only then', () => {
    // probe-walk15 #2: 09:35:28 (reached 09:36) listed above 09:35:34, read as scan order.
    const outOfOrder = feedRows([row(0, 'door', 'A'), row(34, 'desk', 'Farid'), row(28, 'kiosk', 'Liam', { arrivedAt: T + 65_000 })]);
    expect(outOfOrder.map((r) => r.c.name)).toEqual(['Liam', 'Farid', 'A']);
    expect(feedOrderNote(outOfOrder)).toMatch(/^Newest to reach the backend first: .*above ones scanned after it\.$/);
    expect(feedOrderNote(feedRows([row(0, 'door', 'A'), row(5, 'desk', 'B')]))).toBeNull();
    // Once the late row has left the rows shown, the orders agree again.
    expect(feedOrderNote(feedRows([row(0, 'door', 'A'), row(34, 'desk', 'B'), row(28, 'kiosk', 'C'), row(40, 'door', 'D')], 1))).toBeNull();
  });

});

// probe-time16b #6: a backend 2 days ahead sent rows of "04:30:12 PM" at 03:00 PM, with nothing saying they were not today's.
describe('a live row’s time', () => {
  const now = new Date(2026, 5, 10, 15, 0).getTime();
  it('is the time alone when today, with the date when not', () => {
    const today = new Date(2026, 5, 10, 14, 59, 30).getTime();
    expect(feedTime(today, now)).toBe(formatTime(today));
    const ahead = new Date(2026, 5, 12, 16, 30, 12).getTime();
    expect(feedTime(ahead, now)).not.toBe(formatTime(ahead));
    expect(feedTime(ahead, now)).toMatch(/12/);
    expect(feedTime(ahead, now).endsWith(formatTime(ahead))).toBe(true);
  });
});
