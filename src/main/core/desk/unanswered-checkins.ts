import type { Statement } from 'better-sqlite3';
import { VerdictSchema, type Verdict } from '../../../shared/protocol';
import type { Clock } from '../clock';
import type { Outbox } from '../delivery/outbox';
import type { Db } from '../store/db';
import type { QuietWrites } from '../store/quiet-writes';

/**
 * How long after the backend took a check-in this PC decided (its ack) its answer may take: a reply comes within the
 * request's own deadline (10 s), so past this it is not coming (the backend lost it, or fell over after the ack).
 */
export const UNANSWERED_AFTER_MS = 60_000;

/**
 * A check-in this PC decided, that the backend took and never answered: `at` when this PC decided it (wall ms);
 * `waitedMs` how long after its ack, or null when this console stopped first (told at the next start).
 */
export interface Unanswered {
  key: string;
  card: string;
  decided: Verdict;
  at: number;
  waitedMs: number | null;
}

/** Acks of check-ins not decided here yet, kept this long: the ack may come before the desk decides (within 1.5 s). */
const EARLY_ACKS = 256;

type Row = { key: string; card: string; allowed: number; reason: string; ts: number };

/**
 * Check-ins this PC decided that the backend took (acked) and then never answered: "will be confirmed" was said at the
 * door and nothing would ever say it was not (probe28b H5). Told once, a minute after the ack, or at the next start if
 * the console stopped first; the ack is kept on the decision's row for that. A reply, a refusal after the ack (told
 * for IT already) or a check-in that lapsed unsent ends the wait.
 */
export class UnansweredCheckins {
  /** Keys with a decision row: an ack of anything else (most acks) costs no read. */
  private readonly decided: Set<string>;
  private readonly early = new Map<string, number>();
  private readonly waits = new Map<string, unknown>();
  private readonly markAcked: Statement;
  private readonly row: Statement;

  constructor(
    db: Db,
    outbox: Outbox,
    private readonly clock: Clock,
    private readonly quiet: QuietWrites,
    private readonly tell: (u: Unanswered) => void,
  ) {
    this.decided = new Set(db.prepare('SELECT key FROM offline_decisions').pluck().all() as string[]);
    this.markAcked = db.prepare('UPDATE offline_decisions SET acked = ? WHERE key = ? AND acked IS NULL');
    this.row = db.prepare('SELECT key, card_id AS card, allowed, reason, ts FROM offline_decisions WHERE key = ?');
    outbox.on('acked', (key) => {
      if (this.decided.has(key)) return this.acked(key, this.clock.mono());
      this.early.set(key, this.clock.mono());
      if (this.early.size > EARLY_ACKS) this.early.delete(this.early.keys().next().value!);
    });
    outbox.on('refused', (key) => this.settled(key));
    outbox.on('lapsed', (key) => this.settled(key));
  }

  /**
   * The rows a start finds with no message left to send (acked before the console stopped, never answered): told now.
   * Call before they are deleted.
   */
  toldAtStart(rows: readonly (Row & { acked: number | null })[]): void {
    for (const r of rows) if (r.acked !== null) this.told(r, null);
  }

  /** The desk decided `key` (its row is written): an ack that came first starts the wait now. */
  decidedNow(key: string): void {
    this.decided.add(key);
    const at = this.early.get(key);
    if (at === undefined) return;
    this.early.delete(key);
    this.acked(key, at);
  }

  /** Its answer came (or its row went): nothing to tell. */
  settled(key: string): void {
    this.decided.delete(key);
    this.early.delete(key);
    const t = this.waits.get(key);
    if (t === undefined) return;
    this.clock.clearTimeout(t);
    this.waits.delete(key);
  }

  /** Stops waiting (the console stopping): what is still awaited is told at the next start, from its row. */
  stop(): void {
    for (const t of this.waits.values()) this.clock.clearTimeout(t);
    this.waits.clear();
  }

  private acked(key: string, at: number): void {
    if (this.waits.has(key)) return;
    // Kept on the row so a restart still tells it; a full disk only loses that (the wait below still runs).
    this.quiet.attempt("check-ins the gym's system took (this PC's verdicts awaiting its answer)", () => this.markAcked.run(this.clock.now(), key));
    this.waits.set(
      key,
      this.clock.setTimeout(
        () => {
          this.waits.delete(key);
          const r = this.row.get(key) as Row | undefined;
          if (r && this.decided.has(key)) this.told(r, UNANSWERED_AFTER_MS);
        },
        Math.max(0, UNANSWERED_AFTER_MS - (this.clock.mono() - at)),
      ),
    );
  }

  private told(r: Row, waitedMs: number | null): void {
    this.decided.delete(r.key);
    const decided = VerdictSchema.safeParse({ allowed: r.allowed === 1, reason: r.reason });
    if (decided.success) this.tell({ key: r.key, card: r.card, decided: decided.data, at: r.ts, waitedMs });
  }
}
