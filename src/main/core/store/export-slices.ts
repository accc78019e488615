import { UserError } from '../../../shared/result';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

/**
 * An export is written in slices, and the console serves between them (a desk check-in, a screen's
 * request): a 7-day export held the event loop for a second when a table was copied in one go.
 * Each slice is sized from how fast the last ones went, so it takes about TARGET_MS on any machine
 * and a fast one still writes big slices (few pauses, the same throughput).
 */
export const SLICE_TARGET_MS = 20;
const FIRST_ROWS = 1_000;
const MIN_ROWS = 100;
const MAX_ROWS = 50_000;

/** A stop ends an export before it starts or at its next pause. */
export function stopIf(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UserError('export-stopped', 'The export was stopped before it finished (the console was stopping), so nothing was saved: export again once it runs.');
}

export class Slices {
  /** Rows the next slice should take. */
  size = FIRST_ROWS;
  private started = performance.now();

  constructor(private readonly signal?: AbortSignal) {}

  /** A slice of `rows` rows is done: the next one is sized by its pace, and the console serves meanwhile. */
  async next(rows: number): Promise<void> {
    const ms = performance.now() - this.started;
    if (rows > 0) {
      const fits = (rows * SLICE_TARGET_MS) / Math.max(ms, 0.5);
      // Halfway each time: one slow slice (a GC, a busy disk) does not shrink the next ten.
      this.size = Math.round(Math.min(MAX_ROWS, Math.max(MIN_ROWS, (this.size + fits) / 2)));
    }
    await new Promise((res) => setImmediate(res));
    stopIf(this.signal);
    this.started = performance.now();
  }
}

/** Each table an export takes, the columns its rows are read in order of (its primary key). */
export const TABLE_KEYS = { events: ['ts', 'id'], samples: ['ts'], hours: ['ts'], days: ['day'], event_hours: ['hour', 'category'], uptime: ['hour', 'target'] } as const;
export type SlicedTable = keyof typeof TABLE_KEYS;

/**
 * The rows of `table` matching `where` (its `?`s bound to `args`), a page at a time in key order: no
 * cursor stays open on the store's connection across a pause (an open one made every write of new
 * events meanwhile fail as "busy"). `select` makes the statement from its WHERE and ORDER BY, ending
 * in `LIMIT ?` (`SELECT * FROM …` to read a page, `INSERT INTO … SELECT …` to copy one). Returns the
 * statement and parameters for the page of `limit` rows after the key `after` (null: the first).
 */
export function keyPages(db: Db, table: SlicedTable, where: string, args: readonly (string | number)[], select: (where: string, order: string) => string) {
  const keys: readonly string[] = TABLE_KEYS[table];
  const order = keys.join(', ');
  const tuple = keys.length > 1 ? `(${order})` : order;
  const marks = keys.length > 1 ? `(${keys.map(() => '?').join(', ')})` : '?';
  const first = db.prepare(select(where, order));
  const rest = db.prepare(select(`${where} AND ${tuple} > ${marks}`, order));
  return (after: readonly unknown[] | null, limit: number): { stmt: Statement; params: unknown[] } => ({ stmt: after ? rest : first, params: [...args, ...(after ?? []), limit] });
}

/** A row's key as keyPages reads it. */
export const keyOf = (table: SlicedTable, row: Record<string, unknown>): unknown[] => TABLE_KEYS[table].map((k) => row[k]);
