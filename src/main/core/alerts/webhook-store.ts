import type { AlertNotice, DeliveryView } from '../../../shared/health';
import { hidePassword } from '../../../shared/webhook-address';
import type { Db } from '../store/db';

export interface DueRow {
  id: string;
  url: string;
  body: string;
  attempts: number;
}

interface Row {
  id: string;
  url: string;
  kind: AlertNotice['kind'];
  alert: string;
  state: DeliveryView['state'];
  attempts: number;
  next_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created: number;
  updated: number;
}

const KEEP_MS = 30 * 86_400_000;

/**
 * A notice goes to an address only once every older one about the same alert has gone or been given up:
 * a resolved notice that overtook its firing notice's retry left the receiver holding the alert open.
 */
const IN_TURN = "NOT EXISTS (SELECT 1 FROM webhook_deliveries o WHERE o.state = 'pending' AND o.url = d.url AND o.alert = d.alert AND o.rowid < d.rowid)";

/** The webhook deliveries' SQL: pending rows are the durable queue, finished rows the delivery log. */
export class WebhookStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      add: db.prepare("INSERT OR IGNORE INTO webhook_deliveries (id, url, body, kind, alert, state, next_at, created, updated) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)"),
      due: db.prepare(`SELECT id, url, body, attempts FROM webhook_deliveries d WHERE state = 'pending' AND next_at <= ? AND ${IN_TURN} ORDER BY created, id LIMIT ?`),
      nextAt: db.prepare(`SELECT MIN(next_at) AS t FROM webhook_deliveries d WHERE state = 'pending' AND next_at > ? AND ${IN_TURN}`),
      delivered: db.prepare("UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, next_at = NULL, updated = ? WHERE id = ? AND url = ?"),
      // Only while pending: one ended while on the wire (its address removed) keeps why it ended (review26 V11).
      retry: db.prepare("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, next_at = ?, updated = ? WHERE id = ? AND url = ? AND state = 'pending'"),
      dead: db.prepare("UPDATE webhook_deliveries SET state = 'dead', attempts = attempts + ?, last_status = ?, last_error = ?, next_at = NULL, updated = ? WHERE id = ? AND url = ? AND state = 'pending'"),
      moveUrl: db.prepare("UPDATE OR IGNORE webhook_deliveries SET url = ?, attempts = 0, next_at = ?, last_status = NULL, last_error = NULL, updated = ? WHERE url = ? AND state = 'pending'"),
      killUrl: db.prepare("UPDATE webhook_deliveries SET state = 'dead', last_error = ?, next_at = NULL, updated = ? WHERE url = ? AND state = 'pending'"),
      retireTests: db.prepare("UPDATE webhook_deliveries SET state = 'dead', last_error = ?, next_at = NULL, updated = ? WHERE url = ? AND state = 'pending' AND kind = 'test'"),
      list: db.prepare('SELECT id, url, kind, alert, state, attempts, next_at, last_status, last_error, created, updated FROM webhook_deliveries ORDER BY created DESC, url LIMIT ?'),
      pending: db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE state = 'pending'"),
      prune: db.prepare("DELETE FROM webhook_deliveries WHERE state != 'pending' AND updated < ?"),
      shift: db.prepare("UPDATE webhook_deliveries SET next_at = next_at + ? WHERE state = 'pending'"),
      // The wait left is at most the wait that was set (next_at − updated: a clock set back since leaves
      // it whole, not longer by the step), and never more than `longest`.
      settle: db.prepare("UPDATE webhook_deliveries SET next_at = @now + MAX(0, MIN(next_at - @now, next_at - updated, @longest)) WHERE state = 'pending'"),
    };
  }

  /**
   * One row per address, committed together before anything is sent. A test replaces the tests still retrying to its
   * address: it would otherwise wait its turn behind them, up to a day, while IT tested a fix (probe25 Q2).
   */
  add(n: AlertNotice, urls: string[], body: string, now: number): void {
    this.db.transaction(() => {
      for (const url of urls) {
        if (n.kind === 'test') this.s.retireTests.run('A newer test to this address replaced it.', now, url);
        this.s.add.run(n.id, url, body, n.kind, n.alert, now, now, now);
      }
    })();
  }

  due(now: number, limit: number): DueRow[] {
    return this.s.due.all(now, limit) as DueRow[];
  }

  /** The next retry due after `now`: one due already is on the wire (or taken when one finishes), and would set no timer (probe25 Q6). */
  nextAt(now: number): number | null {
    return (this.s.nextAt.get(now) as { t: number | null }).t;
  }

  delivered(r: DueRow, status: number, now: number): void {
    this.s.delivered.run(status, now, r.id, r.url);
  }

  retry(r: DueRow, status: number | null, error: string, at: number, now: number): void {
    this.s.retry.run(status, error, at, now, r.id, r.url);
  }

  dead(r: DueRow, status: number | null, error: string, now: number, attempted = true): void {
    this.s.dead.run(attempted ? 1 : 0, status, error, now, r.id, r.url);
  }

  /** Every pending delivery to an address the receiver retired (410). */
  killUrl(url: string, why: string, now: number): void {
    this.s.killUrl.run(why, now, url);
  }

  /** Every pending delivery to an address corrected (Edit) goes to the new one, from its first try. */
  moveUrl(from: string, to: string, now: number): void {
    this.s.moveUrl.run(to, now, now, from);
  }

  pendingCount(): number {
    return (this.s.pending.get() as { n: number }).n;
  }

  /** The log as staff see it: a password an older console kept in an address is hidden, there and in errors. */
  list(limit = 100): DeliveryView[] {
    return (this.s.list.all(limit) as Row[]).map((r) => ({
      id: r.id, url: hidePassword(r.url), alert: r.alert, kind: r.kind, state: r.state, attempts: r.attempts,
      lastStatus: r.last_status, lastError: r.last_error && hidePassword(r.last_error), created: r.created, updated: r.updated, nextAt: r.next_at,
    }));
  }

  /** The PC's clock was set by `ms`: the waiting retries move with it, so each still waits the time it was given. */
  shift(ms: number): void {
    this.s.shift.run(ms);
  }

  /**
   * At start, the retries saved by an earlier run, as this PC's clock reads now: none waits longer
   * than it was told to at its last attempt, nor than `longestMs`, whatever the clock did meanwhile.
   */
  settle(now: number, longestMs: number): void {
    this.s.settle.run({ now, longest: longestMs });
  }

  /** The log keeps a month of finished deliveries. */
  prune(now: number): void {
    this.s.prune.run(now - KEEP_MS);
  }
}
