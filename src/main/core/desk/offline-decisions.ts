import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { VerdictSchema, type Verdict } from '../../../shared/protocol';
import { backendId } from '../../../shared/backend-text';
import type { Outbox } from '../delivery/outbox';
import type { Db } from '../store/db';

/**
 * The verdict this PC gave a queued check-in, by its key: it goes out with the check-in. Checked, since
 * the backend refuses a malformed one (and console.db may be damaged); such a row is not sent.
 */
export function decidedOfflineLookup(db: Db): (key: string) => Verdict | undefined {
  const get = db.prepare('SELECT allowed, reason FROM offline_decisions WHERE key = ?');
  return (key) => {
    const row = get.get(key) as { allowed: number; reason: string } | undefined;
    if (!row) return undefined;
    const parsed = VerdictSchema.safeParse({ allowed: row.allowed === 1, reason: row.reason });
    return parsed.success ? parsed.data : undefined;
  };
}

/** Only what reconciling needs from the backend's reply, checked: it comes off the wire. */
const ServerVerdict = z.object({ verdict: VerdictSchema });

/**
 * Check-ins decided on this PC, stored beside their queued message until the backend answers, so a
 * verdict that differs is flagged even after a restart. The backend's verdict wins.
 */
export class OfflineDecisions {
  private readonly add: Statement;
  private readonly take: Statement;
  private readonly admitted: Statement;

  constructor(db: Db, outbox: Outbox, private readonly onConflict: (detail: string, card: string) => void) {
    // A decision waits while its check-in is queued or dead-lettered (it may be retried), no longer.
    db.exec('DELETE FROM offline_decisions WHERE key NOT IN (SELECT key FROM outbox) AND key NOT IN (SELECT key FROM dead)');
    this.add = db.prepare('INSERT OR REPLACE INTO offline_decisions (key, card_id, allowed, reason, ts) VALUES (?, ?, ?, ?, ?)');
    this.take = db.prepare('DELETE FROM offline_decisions WHERE key = ? RETURNING card_id AS card, allowed, reason');
    this.admitted = db.prepare('SELECT 1 FROM offline_decisions WHERE card_id = ? AND allowed = 1 AND ts >= ? LIMIT 1');
    // Subscribed before anything is sent, so messages restored from disk are answered too.
    outbox.on('reply', (key, op, reply) => {
      if (op !== 'checkin') return;
      try {
        this.reconcile(key, reply);
      } catch (e) {
        console.error(`front desk: could not reconcile check-in ${key.slice(0, 8)}:`, e); // never take the process down
      }
    });
  }

  record(key: string, cardId: string, verdict: Verdict, now: number): void {
    this.add.run(key, cardId, verdict.allowed ? 1 : 0, verdict.reason, now);
  }

  /** Whether this PC let the card in while offline since `since`, and the backend has not answered yet. */
  admittedSince(cardId: string, since: number): boolean {
    return this.admitted.get(cardId, since) !== undefined;
  }

  private reconcile(key: string, reply: unknown): void {
    const local = this.take.get(key) as { card: string; allowed: number; reason: string } | undefined;
    if (!local) return;
    const decided = `card ${backendId(local.card)}: decided ${local.allowed ? 'allowed' : 'denied'} offline (${local.reason})`;
    const parsed = ServerVerdict.safeParse(reply);
    if (!parsed.success) return this.onConflict(`${decided}; the backend's answer could not be read`, local.card);
    const { verdict } = parsed.data;
    if (verdict.allowed !== (local.allowed === 1)) this.onConflict(`${decided}; the backend says ${verdict.allowed ? 'allowed' : 'denied'} (${verdict.reason})`, local.card);
  }
}
