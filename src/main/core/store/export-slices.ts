import { UserError } from '../../../shared/result';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

/**
 * An export is written in slices, and the console serves between them (a desk check-in, a screen's
 * request): a 7-day export held the event loop for a second when a table was copied in one go.
 * Each slice is sized from how fast the last ones went, so it takes about SLICE_TARGET_MS on any
 * machine and a fast one still writes big slices (few pauses, the same throughput). The pace is
 * the process's CPU time, not the clock's: on a busy PC the clock runs on while the console waits
 * for a core, and slices sized by it shrank until pausing was most of the work.
 */
export const SLICE_TARGET_MS = 20;
const FIRST_ROWS = 500; // the first slice also carries the statements' setup
const MIN_ROWS = 500;
const MAX_ROWS = 50_000;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A stop ends an export before it starts or at its next pause. */
export function stopIf(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UserError('export-stopped', 'The export was stopped before it finished (the console was stopping), so nothing was saved: export again once it runs.');
}

export class Slices {
  /** Rows the next slice should take. */
  size = FIRST_ROWS;
  private started = cpuMs();

  constructor(private readonly signal?: AbortSignal) {}

  /** A slice of `rows` rows is done: the next one is sized by its pace, and the console serves meanwhile. */
  async next(rows: number): Promise<void> {
    const ms = cpuMs() - this.started;
    if (rows > 0) {
      const fits = (rows * SLICE_TARGET_MS) / Math.max(ms, 0.5);
      // Halfway each time: one slow slice (a GC, a busy disk) does not shrink the next ten.
      this.size = Math.round(Math.min(MAX_ROWS, Math.max(MIN_ROWS, (this.size + fits) / 2)));
    }
    await new Promise((res) => setImmediate(res));
    stopIf(this.signal);
    this.started = cpuMs();
  }
}

/**
 * Each table an export takes: the columns its rows are read in order of (unique together), the first
 * of them the one its span is bounded by. (A day's rollup is keyed by its date, but its start `ts` is
 * as unique, and is what the span bounds.)
 */
export const TABLE_KEYS = { events: ['ts', 'id'], samples: ['ts'], hours: ['ts'], days: ['ts'], event_hours: ['hour', 'category'], uptime: ['hour', 'target'] } as const;
export type SlicedTable = keyof typeof TABLE_KEYS;

/**
 * The rows of `table` from `from` to `to` (by its first key) that match `filter` (its `?`s bound to
 * `args`), a page at a time in key order: no cursor stays open on the store's connection across a
 * pause (an open one made every write of new events meanwhile fail as "busy"). A later page's lower
 * bound is the last key read, so SQLite seeks to it: with the span's own bound beside it, SQLite
 * walked from the span's start for every page (quadratic in small pages). `select` makes the
 * statement from its WHERE and ORDER BY, ending in `LIMIT ?` (`SELECT * FROM …` to read a page,
 * `INSERT INTO … SELECT …` to copy one). Returns the statement and parameters for the page of
 * `limit` rows after the key `after` (null: the first).
 */
export function keyPages(db: Db, table: SlicedTable, span: { from: number; to: number }, filter: string, args: readonly (string | number)[], select: (where: string, order: string) => string) {
  const keys: readonly string[] = TABLE_KEYS[table];
  const order = keys.join(', ');
  const tuple = keys.length > 1 ? `(${order})` : order;
  const marks = keys.length > 1 ? `(${keys.map(() => '?').join(', ')})` : '?';
  const bounded = `${keys[0]} >= ? AND ${keys[0]} < ? AND (${filter})`;
  const first = db.prepare(select(bounded, order));
  const rest = db.prepare(select(`${bounded} AND ${tuple} > ${marks}`, order));
  return (after: readonly unknown[] | null, limit: number): { stmt: Statement; params: unknown[] } =>
    after ? { stmt: rest, params: [after[0], span.to, ...args, ...after, limit] } : { stmt: first, params: [span.from, span.to, ...args, limit] };
}

/** A row's key as keyPages reads it. */
export const keyOf = (table: SlicedTable, row: Record<string, unknown>): unknown[] => TABLE_KEYS[table].map((k) => row[k]);
