import { opWords } from '../../../shared/words';
import type { Db } from '../store/db';
import type { AuditLog } from '../store/audit-log';
import { LANES, type Lane } from './lanes';
import { MAX_DEAD_LETTERS } from './outbox-bounds';

export interface StoredMessage {
  seq: number;
  key: string;
  lane: Lane;
  op: string;
  body: string;
  /** This PC's wall clock when it was queued: when the card was scanned, for a check-in. */
  created: number;
  /** The waiting clock (waiting-clock.ts) when its day in the outbox began: when it was queued, or retried. */
  waitingSince: number;
  /** Its own time to live on the waiting clock, for a message that must happen soon or not at all; null: the outbox's. */
  ttlMs: number | null;
  attempts: number;
}

export interface DeadLetter extends Omit<StoredMessage, 'waitingSince' | 'ttlMs'> {
  reason: string;
  failedAt: number;
}

type DeadRow = Omit<DeadLetter, 'lane' | 'failedAt'> & { lane: number; failed_at: number };
type Row = Omit<DeadRow, 'reason' | 'failed_at'> & { waiting_since: number; ttl_ms: number | null };
const fromRow = (r: Row): StoredMessage => ({ seq: r.seq, key: r.key, lane: LANES[r.lane]!, op: r.op, body: r.body, created: r.created, waitingSince: r.waiting_since, ttlMs: r.ttl_ms, attempts: r.attempts });
const fromDead = (r: DeadRow): DeadLetter => ({ seq: r.seq, key: r.key, lane: LANES[r.lane]!, op: r.op, body: r.body, created: r.created, attempts: r.attempts, reason: r.reason, failedAt: r.failed_at });

/**
 * The outbox's SQL, prepared once. Writes come in groups, one transaction each (group commit): a
 * commit that accepts messages is fsync'd (synchronous=FULL); one that only forgets acknowledged
 * messages or counts attempts is not, since losing it to a power cut costs a resend that the
 * backend drops by its key, never a message.
 */
export class OutboxStore {
  private readonly s;

  /** At least as many as the dead letters (retries and discards only lower it); null until first counted. */
  private deadAtMost: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      insert: db.prepare('INSERT INTO outbox (seq, key, lane, op, body, created, waiting_since, ttl_ms, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM outbox WHERE seq = ?'),
      forget: db.prepare('DELETE FROM outbox WHERE key = ? AND ttl_ms IS NOT NULL'),
      removeRange: db.prepare('DELETE FROM outbox WHERE seq BETWEEN ? AND ?'),
      attempts: db.prepare('UPDATE outbox SET attempts = ? WHERE seq = ?'),
      page: db.prepare('SELECT * FROM outbox WHERE lane = ? AND seq > ? ORDER BY seq LIMIT ?'),
      // Bytes as sent (UTF-8), not characters.
      waiting: db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0) AS bytes FROM outbox'),
      oldest: db.prepare('SELECT created FROM outbox ORDER BY seq LIMIT 1'),
      maxSeq: db.prepare('SELECT MAX(seq) AS m FROM (SELECT seq FROM outbox UNION ALL SELECT seq FROM dead)'),
      bury: db.prepare('INSERT OR REPLACE INTO dead (seq, key, lane, op, body, created, attempts, reason, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      deadList: db.prepare('SELECT * FROM dead ORDER BY failed_at DESC LIMIT ?'),
      deadGet: db.prepare('SELECT * FROM dead WHERE key = ?'),
      deadRemove: db.prepare('DELETE FROM dead WHERE key = ?'),
      deadCount: db.prepare('SELECT COUNT(*) AS n FROM dead'),
      // Staff actions go before check-ins, each oldest first.
      deadPrune: db.prepare("DELETE FROM dead WHERE seq IN (SELECT seq FROM dead ORDER BY op = 'checkin', failed_at LIMIT ?)"),
      full: db.prepare('PRAGMA synchronous = FULL'),
      normal: db.prepare('PRAGMA synchronous = NORMAL'),
      // Never back: every stamp written stays at or under it, so the next run's messages stamp later than all of them.
      saveWaited: db.prepare('UPDATE outbox_clock SET waited = MAX(waited, ?)'),
      waited: db.prepare('SELECT waited FROM outbox_clock'),
    };
    this.tx = db.transaction((adds: readonly StoredMessage[], acked: number[], attempts: readonly [number, number][], waited: number) => this.writeGroup(adds, acked, attempts, waited));
  }

  /**
   * Inserts new messages, deletes acknowledged ones (by seq, a run of consecutive seqs in one
   * statement), records attempt counts and the waiting clock's reading `waited`, all in one commit.
   * `acked` is sorted here, in place.
   */
  commit(adds: readonly StoredMessage[], acked: number[], attempts: readonly [number, number][], waited: number): void {
    if (adds.length) return this.tx(adds, acked, attempts, waited);
    // The connection is shared (audit, settings, roster): it goes back to FULL straight after.
    this.s.normal.run();
    try {
      this.tx(adds, acked, attempts, waited);
    } finally {
      this.s.full.run();
    }
  }

  private readonly tx: (adds: readonly StoredMessage[], acked: number[], attempts: readonly [number, number][], waited: number) => void;

  private writeGroup(adds: readonly StoredMessage[], acked: number[], attempts: readonly [number, number][], waited: number): void {
    const insert = this.s.insert;
    for (const m of adds) insert.run(m.seq, m.key, LANES.indexOf(m.lane), m.op, m.body, m.created, m.waitingSince, m.ttlMs, m.attempts);
    this.s.saveWaited.run(waited);
    if (acked.length) {
      acked.sort((a, b) => a - b);
      let from = acked[0]!;
      let to = from;
      for (let i = 1; i <= acked.length; i++) {
        const seq = acked[i];
        if (seq === to + 1) {
          to = seq;
          continue;
        }
        if (from === to) this.s.remove.run(from);
        else this.s.removeRange.run(from, to);
        if (seq !== undefined) from = to = seq;
      }
    }
    for (const [n, seq] of attempts) this.s.attempts.run(n, seq);
  }

  page(lane: Lane, afterSeq: number, limit: number): StoredMessage[] {
    return (this.s.page.all(LANES.indexOf(lane), afterSeq, limit) as Row[]).map(fromRow);
  }

  /** What waits unsent: messages and bytes of message text. */
  waiting(): { count: number; bytes: number } {
    return this.s.waiting.get() as { count: number; bytes: number };
  }

  /** Where the waiting clock stood when last saved (waiting-clock.ts). */
  waited(): number {
    return (this.s.waited.get() as { waited: number }).waited;
  }

  oldestCreated(): number | null {
    return (this.s.oldest.get() as { created: number } | undefined)?.created ?? null;
  }

  maxSeq(): number {
    return (this.s.maxSeq.get() as { m: number | null }).m ?? 0;
  }

  /** Moves a message to the dead letters; past MAX_DEAD_LETTERS the oldest go (returns how many). */
  bury(m: Omit<StoredMessage, 'waitingSince' | 'ttlMs'>, reason: string, at: number): number {
    return this.db.transaction(() => {
      this.s.bury.run(m.seq, m.key, LANES.indexOf(m.lane), m.op, m.body, m.created, m.attempts, reason, at);
      this.s.remove.run(m.seq);
      // A staff screen sending what the backend refuses filled the disk at 3.7 MB/s: the list is bounded.
      // Counted only near the bound: an expiry sweep buries thousands, and a count per burial scanned them all.
      this.deadAtMost = (this.deadAtMost ?? this.deadCount()) + 1;
      if (this.deadAtMost <= MAX_DEAD_LETTERS) return 0;
      const count = this.deadCount();
      this.deadAtMost = Math.min(count, MAX_DEAD_LETTERS);
      return count > MAX_DEAD_LETTERS ? this.s.deadPrune.run(count - MAX_DEAD_LETTERS).changes : 0;
    })();
  }

  /** A now-or-never message that expired: it leaves, and is no dead letter (outbox.ts expire). */
  lapse(seq: number): void {
    this.s.remove.run(seq);
  }

  /** A now-or-never message its sender gave up on (outbox.ts forget). */
  forget(key: string): void {
    this.s.forget.run(key);
  }

  deadList(limit: number): DeadLetter[] {
    return (this.s.deadList.all(limit) as DeadRow[]).map(fromDead);
  }

  dead(key: string): DeadLetter | null {
    const r = this.s.deadGet.get(key) as DeadRow | undefined;
    return r ? fromDead(r) : null;
  }

  deadCount(): number {
    return (this.s.deadCount.get() as { n: number }).n;
  }

  /**
   * Moves a dead letter back into the outbox under a new sequence (it goes to the back of its lane) as
   * `body`, its day beginning at the waiting clock's reading `waited`. The audit row commits with the
   * move: a retry is never done without a record, nor recorded undone.
   */
  revive(d: DeadLetter, seq: number, body: string, waited: number, actor: string): void {
    this.db.transaction(() => {
      this.s.deadRemove.run(d.key);
      this.s.insert.run(seq, d.key, LANES.indexOf(d.lane), d.op, body, d.created, waited, null, 0);
      this.s.saveWaited.run(waited);
      this.audit.record(actor, 'dlq.retry', opWords(d.op).toLowerCase(), d, undefined);
    })();
  }

  discard(d: DeadLetter, actor: string): void {
    this.db.transaction(() => {
      this.s.deadRemove.run(d.key);
      this.audit.record(actor, 'dlq.discard', opWords(d.op).toLowerCase(), d, undefined);
    })();
  }
}
