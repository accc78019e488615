import { CATEGORIES } from '../../../shared/analytics';
import { readCheckinDetail, REASON_WORDS, typeWords } from '../../../shared/words';
import type { Db } from './db';

/**
 * The CSV's columns: what a manager's spreadsheet sorts and filters by, in the screens' words. A
 * check-in names its member, member id and card (two members may share a name), and an override says
 * why and who let them in. `site`, last, is the gym's name on every row: rows of two gyms' CSVs pasted
 * into one sheet still say whose they are.
 */
export const CSV_HEADER = 'time_utc,local_time,category,event,source,member,member_id,card,note,overridden_by,detail,site';

/**
 * The header line as an export writes it: `local_time` says its zone, "local_time (Europe/Berlin)", as
 * a manager reading 01:33 beside a screen's 12:33 AM must know. In the header's cell, not a note line
 * above it: every import takes the first row as the header.
 */
export const csvHeader = (zone: string): string => CSV_HEADER.replace('local_time', csvField(`local_time (${zone})`));

/**
 * The demo's CSV has one more column, last, on every row: its visits are made up, and a row copied
 * into another sheet keeps saying so. (A note line above the header would break "first row is the
 * header" for every import.) Plain text, no comma or quote: written into the SQL as it is.
 */
export const SIMULATED_COLUMN = { name: 'simulated', value: 'made up by the demo: not real visits' } as const;

/**
 * A CSV field, as `quoted` in csv-lines writes one in SQL: quoted when it holds a quote, comma or line
 * break, and opened with an apostrophe when a spreadsheet would run it as a formula.
 */
export function csvField(v: string): string {
  // Most cells are empty or plain: one test, and they go as they are (this runs for every cell of a million rows).
  if (!v || !NEEDS_CARE.test(v)) return v;
  if (FORMULA.test(v)) return `"'${v.replaceAll('"', '""')}"`;
  return `"${v.replaceAll('"', '""')}"`;
}
const FORMULA = /^[=+\-@\t\r]/;
const NEEDS_CARE = /^[=+\-@\t\r]|[",\n\r]/;

/**
 * The columns after the category of one stored event: event, source, member, member id, card, note,
 * overridden by, detail. A check-in's detail ("duplicate Rosa Zhang", "unknown-card 9999999999", or
 * this console's with the note, member id, card and staff after tabs) is taken apart into the verdict
 * in words and its own columns; any other event keeps its detail.
 */
export function csvWords(category: number, type: string, source: string, detail: string): string {
  const f = csvField;
  if (category === CHECKIN && (type === 'allowed' || type === 'denied')) {
    const c = readCheckinDetail(detail);
    if (Object.hasOwn(REASON_WORDS, c.reason)) {
      // The store keeps the name, or the card number when the card is nobody's; older stores only that.
      const cardOnly = c.card ? c.who === c.card && !c.memberId : c.reason === 'unknown-card' || /^\d+$/.test(c.who);
      const card = c.card || (cardOnly ? c.who : '');
      return `${f(REASON_WORDS[c.reason as keyof typeof REASON_WORDS])},${f(source)},${cardOnly ? '' : f(c.who)},${f(c.memberId)},${f(card)},${f(c.note)},${f(c.staff)},${f(c.extra)}`;
    }
  }
  return `${f(typeWords(type))},${f(source)},,,,,,${f(detail)}`;
}
const CHECKIN = CATEGORIES.indexOf('checkin');

/** Makes `csv_words(category, type, source, detail)` callable from the CSV query on `db`. */
export function defineCsvWords(db: Db): void {
  db.function('csv_words', { deterministic: true, varargs: false }, (category: unknown, type: unknown, source: unknown, detail: unknown) =>
    csvWords(Number(category), String(type ?? ''), String(source ?? ''), String(detail ?? '')),
  );
}
