import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import { CATEGORIES } from '../../../shared/analytics';
import { CATEGORY_WORDS } from '../../../shared/words';
import { csvField, defineCsvWords } from './csv-words';

/**
 * CSV text of the event log, built by SQLite a chunk at a time (a group_concat per window of time):
 * one call into SQLite per chunk rather than per row, and the time columns' text made once per
 * minute (a temp table) instead of two strftime calls per row, which were most of the cost. The
 * words columns come from one JS function per row (csv_words): the word tables live once, in words.ts.
 */

/** A constant as an SQL string literal. */
const sqlText = (v: string): string => `'${v.replaceAll("'", "''")}'`;

/** Two digits for 0–59 without printf. */
const two = (n: string): string => `substr('${Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0')).join('')}', (${n}) * 2 + 1, 2)`;
/** ms within the minute, right for times before 1970 too (SQLite's % keeps the sign). */
const inMinute = (ts: string): string => `(((${ts}) % 60000) + 60000) % 60000`;

export interface Segment {
  from: number;
  to: number;
  offsetMin: number;
}

/**
 * Lines (CSV_HEADER's columns, in words: see csv-words.ts) of the events in `segments` that match
 * `where` (its `?`s bound to `args`; no time bounds of its own, or SQLite may seek by those instead
 * of each window's), in time order, as chunks of about `rows` lines (or as many as it says each time). `last`: more columns'
 * text, the same on every line (the gym's name; the demo's SIMULATED_COLUMN).
 */
export function* csvChunks(db: Db, where: string, args: readonly (string | number)[], segments: Segment[], total: number, rows: number | (() => number) = 20_000, last: readonly string[] = []): Generator<{ text: string; rows: number }> {
  const want = typeof rows === 'number' ? () => rows : rows;
  const table = `temp.csv_minutes_${randomBytes(6).toString('hex')}`;
  db.exec(`CREATE TABLE ${table} (minute INTEGER PRIMARY KEY, utc TEXT NOT NULL, local TEXT NOT NULL)`);
  try {
    // The category in words; the event, its member, card and note as the screens word them (csv_words).
    const category = `CASE category ${CATEGORIES.map((c, i) => `WHEN ${i} THEN '${CATEGORY_WORDS[c]}'`).join(' ')} END`;
    defineCsvWords(db);
    const count = db.prepare(`SELECT COUNT(*) FROM events WHERE ${where} AND ts >= ? AND ts < ?`).pluck();
    const clear = db.prepare(`DELETE FROM ${table}`);
    for (const seg of segments) {
      // Written into the SQL text below: a whole number of minutes within a day, or nothing runs.
      if (!Number.isInteger(seg.offsetMin) || Math.abs(seg.offsetMin) > 24 * 60) throw new Error(`bad UTC offset ${seg.offsetMin}`);
      const shift = seg.offsetMin * 60_000;
      const fill = db.prepare(
        `INSERT INTO ${table} SELECT minute, strftime('%Y-%m-%dT%H:%M:', minute * 60, 'unixepoch'), strftime('%Y-%m-%d %H:%M:', minute * 60 + ${seg.offsetMin * 60}, 'unixepoch')
         FROM (SELECT DISTINCT (ts - ${inMinute('ts')}) / 60000 AS minute FROM events WHERE ts >= ? AND ts < ?)`,
      );
      const ms = inMinute('e.ts');
      const local = inMinute(`e.ts + ${shift}`);
      const line = `m.utc || ${two(`${ms} / 1000`)} || '.' || substr(1000 + ${ms} % 1000, 2) || 'Z,' || m.local || ${two(`${local} / 1000`)} || ',' ||
        ${category} || ',' || csv_words(e.category, e.type, e.source, e.detail) || ${last.length ? `${sqlText(last.map((v) => `,${csvField(v)}`).join(''))} || ` : ''}char(13, 10)`;
      const chunk = db
        .prepare(`SELECT group_concat(l, '') FROM (SELECT ${line} AS l FROM events e JOIN ${table} m ON m.minute = (e.ts - ${ms}) / 60000 WHERE ${where} AND e.ts >= ? AND e.ts < ? ORDER BY e.ts)`)
        .pluck();
      // Windows sized for `rows` lines (asked anew for each: an export sizes them by its pace) if
      // events were even; a burst is halved until it fits.
      for (let a = seg.from; a < seg.to; ) {
        const size = want();
        const step = Math.max(1_000, Math.floor(((seg.to - seg.from) * size) / Math.max(1, total)));
        let b = Math.min(seg.to, a + step);
        let n = count.get(...args, a, b) as number;
        while (n > 2 * size && b - a > 1) {
          b = a + Math.ceil((b - a) / 2);
          n = count.get(...args, a, b) as number;
        }
        if (n) {
          clear.run();
          fill.run(a, b);
          yield { text: chunk.get(...args, a, b) as string, rows: n };
        }
        a = b;
      }
    }
  } finally {
    db.exec(`DROP TABLE IF EXISTS ${table}`);
  }
}
