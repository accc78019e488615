import { z } from 'zod';
import { AnalyticsSettingsSchema, CATEGORIES, EXPORT_MAGIC, EXPORT_VERSION, MAYBE_UNKNOWN, METRICS, LATEST_TS, SAMPLE_MS, siteInWords } from '../../../shared/analytics';
import { UserError } from '../../../shared/result';
import { MAX_METRIC, mostPerSample } from './analytics-schema';
import { backendText } from '../../../shared/backend-text';

/**
 * What an export file may hold, checked before any of it reaches the review store: an export comes
 * from another PC, so its metadata and every row are untrusted.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The 10 s samples one hour holds. */
export const HOUR_SAMPLES = HOUR / SAMPLE_MS;

/**
 * Limits for one review (all files opened together). A year of 10 s samples is 3.16 M rows; the
 * benchmarks export 1 M events, and 5 M events is about 400 MB of SQLite. The byte cap keeps the
 * in-memory review store well below what froze the host; a 512 MB upload fits.
 */
export const REVIEW_LIMITS = {
  rows: { events: 5_000_000, samples: 3_200_000, hours: 100_000, days: 10_000, event_hours: 600_000, uptime: 1_000_000 },
  bytes: 768 * 1024 * 1024,
} as const;

export type ExportTable = keyof typeof REVIEW_LIMITS.rows;
/** A `?` kind may also be null (text: no stack; num: an occupancy or latency not known; int: a count older exports lack). */
type Kind = 'int' | 'int?' | 'num' | 'num?' | 'text' | 'text?' | 'category';
export interface Column {
  name: string;
  kind: Kind;
  /** Longest text in bytes (UTF-8), or longest number written out. */
  max: number;
  /** Absent in older exports; this value is used instead. */
  absent?: number | null;
  /** A count: whole, at least 0, at most COUNT_MAX. */
  count?: true;
  /** A metric: at least 0 and at most this, as the console stores them (analytics-store metricValue). */
  most?: number;
}

/**
 * More than any gym's day (a check-in every millisecond), far less than an edited row's 1e15: one such row flattened
 * every real bar of a review's chart and read as a 100 % fall (probe25 Q11).
 */
export const COUNT_MAX = 100_000_000;

const int = (name: string): Column => ({ name, kind: 'int', max: 24 });
const count = (name: string): Column => ({ ...int(name), count: true });
const num = (name: string): Column => ({ name, kind: 'num', max: 32 });
const text = (name: string, max: number): Column => ({ name, kind: 'text', max });
const maybe: readonly string[] = MAYBE_UNKNOWN;
/**
 * A sample's figure as the console stores it: 0 to MAX_METRIC, occupancy no more than the protocol lets a backend say;
 * a rollup's sum of at most a day's samples. An edited file drew a gym of a billion, or of −5 billion (probe28b H4).
 */
const mostOf = (m: string, prefix: string): number => mostPerSample(m) * (prefix ? 86_400_000 / SAMPLE_MS : 1);
/** A sample's occupancy (schema v5) and latency (v7) may be unknown; a rollup's sum of them never is. */
const rollup = (prefix: string): Column[] => [
  ...METRICS.map((m) => ({ ...num(`${prefix}${m}`), ...(maybe.includes(m) && !prefix && { kind: 'num?' as const }), most: mostOf(m, prefix) })),
  count('allowed'),
  count('denied'),
];
/** Samples that knew the occupancy (schema v5) and the latency (v7), per rollup; absent or null: all of them. */
const knew: Column[] = MAYBE_UNKNOWN.map((m) => ({ name: `n_${m}`, kind: 'int?', max: 24, absent: null, count: true }));

/** The tables an export carries, in the order they are read; uptime came with schema v3. */
export const EXPORT_TABLES: { name: ExportTable; cols: Column[]; since: 1 | 3 }[] = [
  {
    name: 'events',
    since: 1,
    cols: [int('ts'), { name: 'category', kind: 'category', max: 24 }, text('type', 200), text('source', 2_000), text('detail', 65_536), { name: 'stack', kind: 'text?', max: 65_536 }],
  },
  { name: 'samples', since: 1, cols: [int('ts'), ...rollup('')] },
  { name: 'hours', since: 1, cols: [int('ts'), count('n'), ...rollup('sum_'), { ...num('max_latencyMs'), absent: 0, most: MAX_METRIC }, ...knew] },
  { name: 'days', since: 1, cols: [text('day', 10), int('ts'), count('n'), ...rollup('sum_'), { ...num('max_latencyMs'), absent: 0, most: MAX_METRIC }, ...knew] },
  { name: 'event_hours', since: 1, cols: [int('hour'), { name: 'category', kind: 'category', max: 24 }, count('n')] },
  { name: 'uptime', since: 3, cols: [int('hour'), text('target', 2_000), int('up'), int('n')] },
];

/** The refusal for anything that is not a sound export of ours; the message names the file and what is wrong. */
export const notAnExport = (path: string, why: string): UserError =>
  new UserError('not-an-export', `${path} is not an AV Gym Console export, or it is damaged: ${why}. Choose a .sqlite or .json file made with Export on the Analytics tab.`);

/**
 * A console's own database (analytics.db or console.db, copied from its data folder), chosen for review: not damaged,
 * and not an export; said as that, with the two ways to make one (probe25 Q7: "no export marker", and "move the -wal
 * file away", which would have thrown away its newest data).
 */
export const ownDatabaseNotForReview = (path: string, which: 'analytics' | 'console' = 'analytics'): UserError =>
  new UserError(
    'own-database',
    which === 'console'
      ? `${path} is a console's own console.db (its PINs, settings and check-ins waiting to be sent), not an export: it holds no analytics to review. Choose a .sqlite or .json file made with Export on the Analytics tab.`
      : `${path} is a console's own database (from its data folder), not an export. On that gym's console use Export on the Analytics tab (SQLite), or on any PC run npm run export -- --data-dir FOLDER, FOLDER holding this file and any -wal file beside it, and open the export that makes.`,
  );

/**
 * The console's own CSV, chosen for review: it is the spreadsheet export (check-ins and events, no
 * figures), not a damaged file; said so, with the export to make instead.
 */
export const csvNotForReview = (path: string): UserError =>
  new UserError(
    'csv-export',
    `${path} is this console's spreadsheet (CSV) export: it holds check-ins and events only, for a spreadsheet, so it does not open for review. To review this range here, export it again on the gym's console as SQLite or JSON (Analytics tab, Export) and open that file.`,
  );

/** Too much for one review: refused before memory runs out, with what to do instead. */
export const tooBig = (path: string, what: string): UserError =>
  new UserError('export-too-big', `${path} holds more than the console can open for review (${what}). Export a shorter range or fewer categories, or open fewer files at once.`);

/** SQLite keeps metadata as text; JSON as numbers. Either way a whole number in range. */
const whole = z.union([z.number(), z.string().regex(/^\d{1,16}$/).transform(Number)]).pipe(z.number().int().min(0).max(LATEST_TS));
const words = (max: number) => z.string().max(max);

const MetaSchema = z
  .object({
    magic: z.literal(EXPORT_MAGIC),
    version: z.union([z.number(), z.string().regex(/^\d{1,4}$/).transform(Number)]).pipe(z.number().int().min(1).max(EXPORT_VERSION)),
    site: words(200).transform((s) => siteInWords(backendText(s))), // shown on the review's banner: another PC's text
    timezone: AnalyticsSettingsSchema.shape.timezone,
    from: whole,
    to: whole,
    exportedAt: whole,
    app: words(200),
    exportId: words(64).default(''),
    filter: words(1_000).default(''),
    // Made by the demo: made-up visits, said on the review's banner so nobody takes them for a gym's.
    simulated: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false),
  })
  .refine((m) => m.to > m.from, 'its time range ends before it starts')
  // An export covers at most a year (the widest custom range), plus the day before for daily rollups.
  .refine((m) => m.to - m.from <= 367 * DAY, 'its time range is longer than a year');

export type ExportMeta = z.infer<typeof MetaSchema>;

/** The export's metadata, or a refusal that says what is wrong with it. */
export function parseMeta(raw: unknown, path: string): ExportMeta {
  const m = (raw ?? {}) as Record<string, unknown>;
  if (typeof m !== 'object' || m.magic !== EXPORT_MAGIC) throw notAnExport(path, 'it carries no export\'s mark (it was not made with Export)');
  const version = Number(m.version);
  if (version > EXPORT_VERSION) throw new UserError('export-too-new', `This export was made by a newer console (format ${String(m.version).slice(0, 20)}). Update the console to open it.`);
  const r = MetaSchema.safeParse(m);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  if (!field) throw notAnExport(path, issue.message);
  // In a manager's words, not the validator's ("Invalid input"), nor the settings form's ("use a name like…"): nobody
  // can edit the file (probe25 Q12).
  if (field === 'timezone') throw notAnExport(path, `its metadata field “timezone” names a time zone this PC does not know (“${String(m.timezone).slice(0, 64)}”): open it on a PC whose system is up to date`);
  throw notAnExport(path, `its metadata field “${field}” ${issue.code === 'too_big' ? 'is longer than any export writes' : 'is not what an export writes there'}`);
}

/** Counts what a review has taken in so far and refuses past REVIEW_LIMITS. */
export class ReviewBudget {
  private readonly rows = new Map<ExportTable, number>();
  private bytes = 0;

  take(path: string, table: ExportTable, bytes: number): void {
    this.takeMany(path, table, 1, bytes);
  }

  /** Takes `rows` rows of `bytes` in all at once (checked in SQL), refusing as `take` would. */
  takeMany(path: string, table: ExportTable, rows: number, bytes: number): void {
    this.check(path, table, rows, bytes);
    this.rows.set(table, this.taken(table) + rows);
    this.bytes += bytes;
  }

  /** Throws the refusal taking these would meet; takes nothing. */
  check(path: string, table: ExportTable, rows: number, bytes: number): void {
    if (this.taken(table) + rows > REVIEW_LIMITS.rows[table]) throw tooBig(path, `more than ${REVIEW_LIMITS.rows[table].toLocaleString('en')} rows of ${table}`);
    if (this.bytes + bytes > REVIEW_LIMITS.bytes) throw tooBig(path, `more than ${REVIEW_LIMITS.bytes / 1024 / 1024} MB of data`);
  }

  /** Rows of `table` this review may still take. */
  left(table: ExportTable): number {
    return REVIEW_LIMITS.rows[table] - this.taken(table);
  }

  private taken(table: ExportTable): number {
    return this.rows.get(table) ?? 0;
  }
}

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * One row of `table` as values in `cols` order, checked: numbers finite (whole where they must be),
 * texts of bounded length, categories known. `get` reads a column (undefined: missing). Returns
 * the values and their size, or throws saying which row and column is wrong.
 */
export function checkRow(path: string, table: string, index: number, cols: Column[], get: (c: Column) => unknown): { values: (string | number | null)[]; bytes: number } {
  const values: (string | number | null)[] = [];
  let bytes = 0;
  let c: Column;
  const bad = (what: string): UserError => notAnExport(path, `row ${index + 1} of ${table} has ${what} in “${c.name}”`);
  for (c of cols) {
    let v = get(c);
    if (v === undefined && c.absent !== undefined) v = c.absent;
    if (c.kind === 'text' || c.kind === 'text?') {
      if (v === null && c.kind === 'text?') {
        values.push(null);
        continue;
      }
      // An empty blob is what the SQLite reader puts for text past the longest it reads (export-read.ts `guarded`).
      if (v instanceof Uint8Array && v.length === 0) throw bad(`text longer than ${c.max} bytes`);
      if (typeof v !== 'string') throw bad(v === undefined ? 'nothing' : 'something other than text');
      const b = utf8Bytes(v);
      if (b > c.max) throw bad(`text longer than ${c.max} bytes`);
      bytes += b;
      values.push(v);
      continue;
    }
    if (v === null && (c.kind === 'num?' || c.kind === 'int?')) {
      bytes += 8;
      values.push(null);
      continue;
    }
    if (c.kind === 'category' && typeof v === 'string') v = CATEGORIES.indexOf(v as never);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(v === undefined ? 'nothing' : 'something other than a number');
    if (c.kind !== 'num' && c.kind !== 'num?' && !Number.isSafeInteger(v)) throw bad('a number that is not whole');
    if (c.kind === 'category' && (v < 0 || v >= CATEGORIES.length)) throw bad('an unknown category');
    if (c.count && (v < 0 || v > COUNT_MAX)) throw bad(`a count no gym has (${v.toLocaleString('en')})`);
    if (c.most !== undefined && (v < 0 || v > c.most)) throw bad(`a figure no console writes (${v.toLocaleString('en')})`);
    bytes += 8;
    values.push(v);
  }
  if (table === 'uptime') {
    const why = uptimeWrong(values[0] as number, values[2] as number, values[3] as number);
    if (why) throw notAnExport(path, `row ${index + 1} of uptime ${why}`);
    [values[2], values[3]] = uptimeClamped(values[2] as number, values[3] as number);
  }
  if (table === 'hours' || table === 'days') {
    const why = rollupWrong((name) => values[cols.findIndex((c) => c.name === name)] as number | null);
    if (why) throw notAnExport(path, `row ${index + 1} of ${table} ${why}`);
  }
  return { values, bytes };
}

/**
 * A rollup no console writes: made of no samples, or summing more than its samples can hold (a mean is a sum over
 * its count: one row of n = 1 and a sum of 8e9 drew 8 billion inside on every range of days; review28 V10).
 */
function rollupWrong(get: (name: string) => number | null): string | null {
  const n = get('n')!;
  if (n < 1) return 'is made of no samples';
  for (const m of METRICS) {
    if (((maybe.includes(m) ? get(`n_${m}`) : null) ?? n) > n) return `counts more samples knowing “${m}” than it has`;
    // By all its samples, not those that knew it: version 7's estimate of those may be too low in a real file (review29 V9).
    if (get(`sum_${m}`)! > mostPerSample(m) * n) return `has a total of “${m}” that its ${n.toLocaleString('en')} samples cannot make`;
  }
  return null;
}

/** rollupWrong as SQL, for sqlRowOk: columns the file lacks read as their absent value (n_…: all samples knew). */
function rollupOk(present: Set<string>): string {
  const knew = (m: string): string[] => (maybe.includes(m) && present.has(`n_${m}`) ? [`coalesce("n_${m}", "n") <= +"n"`] : []);
  return ['+"n" >= 1', ...METRICS.flatMap((m) => [...knew(m), `+"sum_${m}" <= ${mostPerSample(m)} * "n"`])].join(' AND ');
}

/**
 * An uptime row no console writes: an hour not on the hour, a negative count, more up than taken. Those
 * would give an outage longer than its hour, or a negative one. (More than an hour's samples a console
 * can write, when its clock stepped back: that is clamped, see uptimeClamped.)
 */
function uptimeWrong(hour: number, up: number, n: number): string | null {
  if (hour < 0 || hour % HOUR !== 0) return 'has an hour that does not start on the hour';
  if (up < 0 || n < 0) return 'has a negative count of samples';
  if (up > n) return 'has more samples up than were taken';
  return null;
}

/** Up and taken within one hour's samples, the down ones kept first (a clock stepped back counted some twice). */
const uptimeClamped = (up: number, n: number): [number, number] => (n <= HOUR_SAMPLES ? [up, n] : [Math.max(0, up - (n - HOUR_SAMPLES)), HOUR_SAMPLES]);

/** uptimeWrong as SQL, for sqlRowOk. */
const UPTIME_OK = `+"hour" >= 0 AND +"hour" % ${HOUR} = 0 AND +"up" >= 0 AND +"n" >= +"up"`;
/** uptimeClamped as SQL: what the copy selects for each column. */
export const SQL_UPTIME_CLAMPED: Record<string, string> = { up: `MAX(0, "up" - MAX(0, "n" - ${HOUR_SAMPLES}))`, n: `MIN("n", ${HOUR_SAMPLES})` };

/**
 * The checks of `checkRow` as SQL over a row of a SQLite export: true only for a row checkRow takes
 * with the same values, so a file whose rows all pass can be copied in SQL, unread by JavaScript.
 * It may be stricter (a whole REAL or a category written as text fails here but passes checkRow);
 * such rows are then read the slow way. `+v` drops the column's affinity, so the comparisons follow
 * storage classes (NULL < numbers < text < blob) whatever type the file declares; ±Inf is out of
 * range (SQLite stores NaN as NULL). Columns the file lacks (`present`) read as their `absent` value.
 */
export function sqlRowOk(cols: Column[], present: Set<string>, table = ''): string {
  const MAX_SAFE = Number.MAX_SAFE_INTEGER;
  const checks = cols.filter((c) => present.has(c.name)).map((c) => {
    const v = `"${c.name}"`;
    switch (c.kind) {
      case 'text':
        return `typeof(${v}) = 'text' AND octet_length(${v}) <= ${c.max}`;
      case 'text?':
        return `typeof(${v}) IN ('text', 'null') AND coalesce(octet_length(${v}), 0) <= ${c.max}`;
      case 'int':
        return `typeof(${v}) = 'integer' AND +${v} BETWEEN ${c.count ? `0 AND ${COUNT_MAX}` : `-${MAX_SAFE} AND ${MAX_SAFE}`}`;
      case 'int?':
        return `${v} IS NULL OR (typeof(${v}) = 'integer' AND +${v} BETWEEN ${c.count ? `0 AND ${COUNT_MAX}` : `-${MAX_SAFE} AND ${MAX_SAFE}`})`;
      case 'category':
        return `typeof(${v}) = 'integer' AND +${v} BETWEEN 0 AND ${CATEGORIES.length - 1}`;
      case 'num':
        return `+${v} BETWEEN ${c.most === undefined ? '-1.7976931348623157e308 AND 1.7976931348623157e308' : `0 AND ${c.most}`}`;
      case 'num?':
        return `${v} IS NULL OR +${v} BETWEEN ${c.most === undefined ? '-1.7976931348623157e308 AND 1.7976931348623157e308' : `0 AND ${c.most}`}`;
    }
  });
  // Columns first: the rule compares them only once each is known to be a number.
  if (table === 'uptime') checks.push(`CASE WHEN ${checks.map((c) => `(${c})`).join(' AND ')} THEN ${UPTIME_OK} ELSE 0 END`);
  if (table === 'hours' || table === 'days') checks.push(`CASE WHEN ${checks.map((c) => `(${c})`).join(' AND ')} THEN ${rollupOk(present)} ELSE 0 END`);
  return checks.length ? checks.map((c) => `(${c})`).join(' AND ') : '1';
}

/** A row's size as checkRow counts it (text in bytes, 8 a number), for rows that pass sqlRowOk. */
export function sqlRowBytes(cols: Column[], present: Set<string>): string {
  let numbers = 0;
  const texts: string[] = [];
  for (const c of cols) {
    if (c.kind === 'text' || c.kind === 'text?') {
      if (present.has(c.name)) texts.push(`coalesce(octet_length("${c.name}"), 0)`);
    } else numbers++;
  }
  return [...texts, String(numbers * 8)].join(' + ');
}
