import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { checkinReplyProblem, MEMBER_STATUSES, VerdictSchema, type CheckinReplyProblem, type Verdict } from '../../../shared/protocol';
import type { Clock } from '../clock';
import { UnansweredCheckins, type Unanswered } from './unanswered-checkins';
import type { Outbox } from '../delivery/outbox';
import type { Db } from '../store/db';
import { QuietWrites } from '../store/quiet-writes';

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

/** Only what reconciling needs from the backend's reply, checked: it comes off the wire. Its member, to match it to the card. */
const ServerVerdict = z.object({ verdict: VerdictSchema, member: z.object({ cardId: z.string(), status: z.enum(MEMBER_STATUSES) }).nullable().catch(null) });

/** A check-in this PC decided itself, once the backend answered it: `backend` null when its answer could not be read. */
export interface Answered {
  key: string;
  card: string;
  decided: Verdict;
  backend: Verdict | null;
  /** Why the answer was not used (another card's member, or against its own record): `backend` is null then. */
  wrong?: CheckinReplyProblem;
}

/** Answers kept in memory, so the check-in's live event (which may come after its reply) still knows what this PC said. */
const KEPT_ANSWERS = 200;

/**
 * Check-ins decided on this PC, stored beside their queued message until the backend answers, so a
 * verdict that differs is flagged even after a restart. The backend's verdict wins.
 */
export class OfflineDecisions {
  private readonly add: Statement;
  private readonly take: Statement;
  private readonly drop: Statement;
  private readonly admitted: Statement;
  private readonly admittedAll: Statement;
  private readonly one: Statement;
  private readonly answers = new Map<string, Answered>();
  /** Answered, but their row could not be removed (a full disk): no longer waiting, removed once the disk takes it. */
  private readonly unremoved = new Set<string>();
  /** Those the backend took and never answered, told (probe28b H5). */
  private readonly unanswered: UnansweredCheckins | null;

  constructor(
    db: Db,
    outbox: Outbox,
    private readonly onAnswer: (a: Answered) => void,
    private readonly quiet = new QuietWrites(),
    unanswered?: { clock: Clock; tell(u: Unanswered): void },
  ) {
    // A decision waits while its check-in is queued or dead-lettered (it may be retried), no longer; one the backend
    // took before the console stopped, and never answered, is told as such first.
    const gone = 'FROM offline_decisions WHERE key NOT IN (SELECT key FROM outbox) AND key NOT IN (SELECT key FROM dead)';
    this.unanswered = unanswered ? new UnansweredCheckins(db, outbox, unanswered.clock, quiet, unanswered.tell) : null;
    this.unanswered?.toldAtStart(db.prepare(`SELECT key, card_id AS card, allowed, reason, ts, acked ${gone}`).all() as Parameters<UnansweredCheckins['toldAtStart']>[0]);
    db.exec(`DELETE ${gone}`);
    this.add = db.prepare('INSERT OR REPLACE INTO offline_decisions (key, card_id, allowed, reason, ts) VALUES (?, ?, ?, ?, ?)');
    this.take = db.prepare('DELETE FROM offline_decisions WHERE key = ? RETURNING card_id AS card, allowed, reason');
    this.drop = db.prepare('DELETE FROM offline_decisions WHERE key = ?');
    this.admitted = db.prepare('SELECT key, ts FROM offline_decisions WHERE card_id = ? AND allowed = 1 AND ts >= ?');
    this.admittedAll = db.prepare('SELECT key, card_id AS card FROM offline_decisions WHERE allowed = 1 AND ts >= ?');
    this.one = db.prepare('SELECT card_id AS card, allowed, reason FROM offline_decisions WHERE key = ?');
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

  /** Stops waiting for answers (the console stopping): what is still awaited is told at the next start. */
  stop(): void {
    this.unanswered?.stop();
  }

  record(key: string, cardId: string, verdict: Verdict, now: number): void {
    this.add.run(key, cardId, verdict.allowed ? 1 : 0, verdict.reason, now);
    this.unanswered?.decidedNow(key);
    this.removeAnswered();
  }

  /** Rows of answered check-ins the disk refused to remove, removed now if it takes them. */
  private removeAnswered(): void {
    if (!this.unremoved.size) return;
    const keys = [...this.unremoved];
    if (this.quiet.attempt("answered check-ins (this PC's verdicts the gym's system has answered)", () => keys.forEach((k) => this.drop.run(k)))) this.unremoved.clear();
  }

  /** The cards this PC let in while offline since `since` that the backend has not answered yet (so not in its count), each once. */
  admittedCardsSince(since: number): Set<string> {
    return new Set((this.admittedAll.all(since) as { key: string; card: string }[]).filter((r) => !this.unremoved.has(r.key)).map((r) => r.card));
  }

  /** Whether this PC let the card in while offline since `since`, and the backend has not answered yet. */
  admittedSince(cardId: string, since: number): boolean {
    return this.admittedAt(cardId, since) !== null;
  }

  /** When this PC last let the card in while offline since `since` (wall ms), the backend not having answered yet; null: it did not. */
  admittedAt(cardId: string, since: number): number | null {
    const rows = this.admitted.all(cardId, since) as { key: string; ts: number }[];
    return rows.filter((r) => !this.unremoved.has(r.key)).reduce<number | null>((at, r) => (at === null || r.ts > at ? r.ts : at), null);
  }

  /**
   * What this PC decided for the check-in sent as `key`, while it waits or since the backend answered it: a
   * check-in sent before this PC decided (the backend slow, not away) carries no `decidedOffline`, so its live
   * event is matched to the decision here by its request id, and its card: an event for another card under this
   * id (a backend that mislabels ids) is not this PC's decision.
   */
  decidedFor(key: string, card: string): Verdict | undefined {
    const kept = this.answers.get(key);
    if (kept) return kept.card === card ? kept.decided : undefined;
    const row = this.one.get(key) as { card: string; allowed: number; reason: string } | undefined;
    if (row && row.card !== card) return undefined;
    const parsed = row && VerdictSchema.safeParse({ allowed: row.allowed === 1, reason: row.reason });
    return parsed?.success ? parsed.data : undefined;
  }

  private reconcile(key: string, reply: unknown): void {
    if (this.unremoved.has(key)) return; // answered already (a second reply)
    this.unanswered?.settled(key);
    let local: { card: string; allowed: number; reason: string } | undefined;
    // Answered whether or not the disk takes the row's removal: this PC's verdict is compared all the same, and
    // the row (no longer waiting) is removed once it does. A full disk must not lose the backend's answer.
    if (!this.quiet.attempt("answered check-ins (this PC's verdicts the gym's system has answered)", () => (local = this.take.get(key) as typeof local))) {
      local = this.one.get(key) as typeof local;
      if (local) this.unremoved.add(key);
    } else this.removeAnswered();
    if (!local) return;
    const decided = VerdictSchema.safeParse({ allowed: local.allowed === 1, reason: local.reason });
    if (!decided.success) return; // a damaged row: nothing this PC can stand behind to compare
    const parsed = ServerVerdict.safeParse(reply);
    const wrong = parsed.success ? checkinReplyProblem(parsed.data, local.card) : null;
    const answered: Answered = { key, card: local.card, decided: decided.data, backend: parsed.success && !wrong ? parsed.data.verdict : null, ...(wrong && { wrong }) };
    this.answers.set(key, answered);
    if (this.answers.size > KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    this.onAnswer(answered);
  }
}
