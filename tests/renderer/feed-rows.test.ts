import { describe, expect, it } from 'vitest';
import { clockSaidWords, feedOrderNote, feedRows, feedTime, feedTimeParts, LATE_BY_MS } from '../../src/renderer/src/features/overview/feed-rows';
import { formatStamp, formatTime } from '../../src/renderer/src/format';
import type { CheckinEntry } from '../../src/shared/state';

const T = Date.UTC(2026, 11, 5, 6, 7, 0);
let seq = 0;
const row = (sAfter: number, source: CheckinEntry['source'], name: string, extra: Partial<CheckinEntry> = {}): CheckinEntry => ({
  seq: ++seq, ts: T + sAfter * 1000, cardId: `40${seq}`, memberId: `M${seq}`, name, status: 'active', allowed: true, reason: 'ok', source, note: null, ...extra,
});

describe('the live check-ins list', () => {
  it('keeps arrival order, newest first, and marks a row scanned before rows that reached the backend ahead of it', () => {
    // As the probe saw it: a kiosk's 06:07:26 scan, decided offline, reaches the backend after rows of 06:07:34.
    const list = [row(30, 'door', 'A'), row(34, 'desk', 'B'), row(34.5, 'door', 'C'), row(26, 'kiosk', 'Maya', { waited: true }), row(36, 'door', 'D')];
    const rows = feedRows(list);
    expect(rows.map((r) => r.c.name)).toEqual(['D', 'Maya', 'C', 'B', 'A']);
    expect(rows.filter((r) => r.late).map((r) => r.c.name)).toEqual(['Maya']);
    // Two PCs' clocks a second apart, two scans a moment apart: not late.
    expect(feedRows([row(10, 'door', 'E'), row(10 - (LATE_BY_MS - 1) / 1000, 'kiosk', 'F', { waited: true })]).some((r) => r.late)).toBe(false);
    // Only the newest are shown, still judged against all that arrived before them.
    expect(feedRows(list, 2).map((r) => [r.c.name, r.late])).toEqual([['D', false], ['Maya', true]]);
  });

  it('says the list is by arrival while a row on it is above rows scanned after it, and only then', () => {
    // probe-walk15 #2: 09:35:28 (reached 09:36) listed above 09:35:34, read as scan order.
    const outOfOrder = feedRows([row(0, 'door', 'A'), row(34, 'desk', 'Farid'), row(28, 'kiosk', 'Liam', { arrivedAt: T + 65_000, waited: true })]);
    expect(outOfOrder.map((r) => r.c.name)).toEqual(['Liam', 'Farid', 'A']);
    expect(feedOrderNote(outOfOrder)).toMatch(/^Newest to reach the backend first: .*above ones scanned after it\.$/);
    expect(feedOrderNote(feedRows([row(0, 'door', 'A'), row(5, 'desk', 'B')]))).toBeNull();
    // Once the late row has left the rows shown, the orders agree again.
    expect(feedOrderNote(feedRows([row(0, 'door', 'A'), row(34, 'desk', 'B'), row(28, 'kiosk', 'C', { waited: true }), row(40, 'door', 'D')], 1))).toBeNull();
  });

  // probe24 P2: a backend clock stepped back 10 minutes marked every new row "reached the backend late, after later
  // scans" under the note that check-ins had waited, though each was sent and answered at once.
  it('never says a row that did not wait reached the backend late: rows out of order without waiting are clocks', () => {
    const stepped = feedRows([row(600, 'desk', 'A'), row(610, 'desk', 'B'), row(5, 'desk', 'C'), row(7, 'door', 'D')]);
    expect(stepped.filter((r) => r.late)).toEqual([]);
    expect(feedOrderNote(stepped)).toBeNull();
    // Two instances' clocks 8 s apart, events from both in turn.
    expect(feedRows([row(10, 'door', 'E'), row(2, 'door', 'F'), row(11, 'door', 'G'), row(3, 'door', 'H')]).some((r) => r.late)).toBe(false);
    // One that did wait among them still is.
    expect(feedRows([row(600, 'desk', 'A'), row(5, 'desk', 'C'), row(500, 'kiosk', 'K', { waited: true })]).filter((r) => r.late).map((r) => r.c.name)).toEqual(['K']);
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

// probe-hostile17 F5: one row stamped 5 years ahead (kept across restarts) marked every later row "reached the backend
// after check-ins scanned later", and the list's order note showed though nothing waited; its date read "Dec 5", no year.
describe('a row whose time is past belief', () => {
  const now = T + 60_000;
  const years5 = 5 * 365 * 86_400_000;
  it('is neither late nor a time later rows are judged by, in the list or its note', () => {
    const list = [row(0, 'door', 'A'), row(years5 / 1000, 'door', 'Fiona'), row(20, 'door', 'Nora'), row(21, 'desk', 'Ned'), { ...row(0, 'door', 'Eve'), ts: 0 }];
    const rows = feedRows(list, 50, now);
    expect(rows.map((r) => r.c.name)).toEqual(['Eve', 'Ned', 'Nora', 'Fiona', 'A']);
    expect(rows.filter((r) => r.late).map((r) => r.c.name)).toEqual([]);
    expect(feedOrderNote(rows)).toBeNull();
    // A real late one among them is still marked.
    expect(feedRows([...list, row(5, 'kiosk', 'Maya', { waited: true })], 50, now).filter((r) => r.late).map((r) => r.c.name)).toEqual(['Maya']);
  });

  // probe26a A2: "the backend's clock said" read as the backend's fault while Health said this PC's clock was off.
  it('a row main took as of its arrival says the backend’s stamp, with its year, and blames neither clock', () => {
    const said = new Date(2031, 11, 5, 4, 7, 14).getTime();
    expect(clockSaidWords(said, now)).toBe(`the backend stamped ${formatStamp(said, now)}`);
    expect(clockSaidWords(said, now)).toMatch(/2031/);
  });
});

describe('a date in the list', () => {
  const now = new Date(2026, 11, 6, 4, 9).getTime();
  it('carries its year when not this year, and never cuts the time off it', () => {
    const ahead = new Date(2031, 11, 5, 4, 7, 14).getTime();
    expect(formatStamp(ahead, now)).toMatch(/2031/);
    expect(formatStamp(ahead, now).endsWith(formatTime(ahead))).toBe(true);
    expect(formatStamp(new Date(2025, 11, 6, 9).getTime(), now)).toMatch(/2025/);
    expect(feedTimeParts(ahead, now)).toEqual({ date: expect.stringMatching(/2031/), time: formatTime(ahead) });
    // This year's: the date alone, as before; today's: the time alone.
    expect(formatStamp(new Date(2026, 11, 4, 9).getTime(), now)).not.toMatch(/2026/);
    expect(feedTimeParts(now - 60_000, now)).toEqual({ date: null, time: formatTime(now - 60_000) });
  });
});
