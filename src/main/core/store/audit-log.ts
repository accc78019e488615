import type { AuditAction } from '../../../shared/words';
import type { AuditView } from '../../../shared/contract';
import type { Db } from './db';

/** One audit row: who, when, what, and the state before and after (JSON). */
export type AuditEntry = AuditView;

/** `undefined` stores SQL NULL; anything else, `null` included, its JSON. */
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/**
 * What staff did, kept in the audit table of the local-state database. Its own class so auth, the desk
 * and the handlers need not reach through the outbox to write a row; on the outbox's connection, a row
 * written inside the outbox's transaction commits with it.
 */
export class AuditLog {
  private readonly s;

  constructor(db: Db, private readonly now: () => number) {
    this.s = {
      add: db.prepare('INSERT INTO audit (ts, actor, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?)'),
      list: db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
      countSince: db.prepare('SELECT COUNT(*) AS n FROM audit WHERE action = ? AND ts >= ?'),
    };
  }

  record(actor: string, action: AuditAction, subject: string, before: unknown, after: unknown): void {
    this.s.add.run(this.now(), actor, action, subject, json(before), json(after));
  }

  /** How many times `action` was recorded since `ts` (wrong PINs, for the sign-in check). */
  countSince(action: string, ts: number): number {
    return (this.s.countSince.get(action, ts) as { n: number }).n;
  }

  /** Newest first. */
  list(limit = 200): AuditEntry[] {
    return this.s.list.all(limit) as AuditEntry[];
  }
}
