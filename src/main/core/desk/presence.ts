import type { Statement } from 'better-sqlite3';
import { scanTimeWithin, type SequencedEvent } from '../../../shared/protocol';
import type { Clock } from '../clock';
import type { Db } from '../store/db';
import { QuietWrites } from '../store/quiet-writes';

/** More members than a gym holds at once; past it the longest-inside go first. */
export const PRESENCE_CAP = 5_000;
/**
 * Changes wait this long and go in one transaction: the feed may carry many events a second. Short, as a power cut
 * loses what waits: a member let in within the last second was let in again offline after the restart (probe22 K1).
 */
const WRITE_AFTER_MS = 250;
/** A write the disk refused is tried again this often (and whenever the desk asks who is inside). */
const RETRY_MS = 30_000;

/**
 * Who this PC saw go in and not out in the backend's live feed, kept in console.db so a restart
 * during an outage remembers it: an offline decision then turns a card already inside away
 * (a card handed to a friend) as the backend would. Bounded by `visitMs` and PRESENCE_CAP.
 */
export class Presence {
  /** Member id → since (an entry) or null (left), not yet written. */
  private readonly pending = new Map<string, { card: string; since: number } | null>();
  private timer: unknown = null;
  private readonly s: { enter: Statement; leave: Statement; since: Statement; sinceOf: Statement; held: Statement; between: Statement; old: Statement; cap: Statement };
  /** The last write was refused: answered from memory, and tried again on RETRY_MS only, not on every lookup (review22 L4). */
  private refused = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly visitMs: number,
    private readonly quiet = new QuietWrites(),
  ) {
    this.s = {
      // An older entry never replaces a newer one: a replayed snapshot repeats what is known.
      enter: db.prepare('INSERT INTO presence (member_id, card_id, since) VALUES (?, ?, ?) ON CONFLICT(member_id) DO UPDATE SET card_id = excluded.card_id, since = MAX(since, excluded.since)'),
      leave: db.prepare('DELETE FROM presence WHERE member_id = ?'),
      since: db.prepare('SELECT member_id AS member, since FROM presence WHERE (card_id = ? OR member_id = ?) AND since >= ?'),
      sinceOf: db.prepare('SELECT since FROM presence WHERE member_id = ?').pluck(),
      held: db.prepare('SELECT member_id FROM presence').pluck(),
      between: db.prepare('SELECT COUNT(*) FROM presence WHERE since > ? AND since <= ?').pluck(),
      old: db.prepare('DELETE FROM presence WHERE since < ?'),
      cap: db.prepare('DELETE FROM presence WHERE member_id IN (SELECT member_id FROM presence ORDER BY since DESC LIMIT -1 OFFSET ?)'),
    };
  }

  /** A backend event: an allowed check-in of a member is an entry at its scan, a checkout a leaving. */
  seen(e: SequencedEvent): void {
    const b = e.body;
    // Never later than this PC's now: a backend whose clock runs ahead would keep a member "inside" for hours.
    if (b.kind === 'checkin' && b.verdict.allowed && b.member) {
      const since = Math.min(this.clock.now(), b.scannedAt === undefined ? e.ts : scanTimeWithin(b.scannedAt, e.ts));
      // As on disk, an older entry (a replay) never replaces a newer one still waiting to be written.
      const had = this.pending.get(b.member.id);
      if (!had || had.since <= since) this.pending.set(b.member.id, { card: b.cardId, since });
    } else if (b.kind === 'checkout') this.pending.set(b.memberId, null);
    else return;
    if (this.timer === null) this.timer = this.clock.setTimeout(() => this.flush(), WRITE_AFTER_MS);
  }

  /** Whether the feed last showed this card (or member) going in, since `since`. */
  inside(cardId: string, memberId: string | undefined, since: number): boolean {
    return this.since(cardId, memberId, since) !== null;
  }

  /** How many the feed showed going in within (`from`, `to`] and not out since, as written (a refused write is left out: fewer, never more). */
  enteredBetween(from: number, to: number): number {
    if (!this.refused) this.flush();
    try {
      return to > from ? (this.s.between.get(from, to) as number) : 0;
    } catch {
      return 0;
    }
  }

  /** When the feed last showed this card (or member) going in, if since `after`: what the desk tells staff about an "already checked in". */
  since(cardId: string, memberId: string | undefined, after: number): number | null {
    if (!this.refused) this.flush();
    const kept = this.s.since.all(cardId, memberId ?? null, after) as { member: string; since: number }[];
    // Not written (the disk refused): what the feed said since is in memory, laid over the disk's rows per member as
    // a write would lay it (review21 K7, review22 L3): a leaving removes the row; an entry moves it to its card and
    // keeps the later time of the two.
    let at = -Infinity;
    for (const row of kept) {
      const v = this.pending.get(row.member);
      if (v === null || (v && v.card !== cardId && row.member !== memberId)) continue;
      at = Math.max(at, row.since);
    }
    for (const [member, v] of this.pending) {
      if (!v || (v.card !== cardId && member !== memberId)) continue;
      const t = Math.max(v.since, (this.s.sinceOf.get(member) as number | undefined) ?? -Infinity);
      if (t >= after) at = Math.max(at, t);
    }
    return at === -Infinity ? null : at;
  }

  /**
   * Past the cap while the disk refuses: a leaving of a member the disk does not hold goes first (it has nothing to
   * remove), then the longest inside, as on disk. A leaving the disk still needs is kept: dropped, its member would
   * stay "inside" for the visit window once the disk takes writes again.
   */
  private trim(): void {
    // Read once, and only if the disk reads: a leaving is dropped only when the disk surely has nothing for it to remove.
    let held: Set<string> | null = null;
    try {
      held = new Set(this.s.held.all() as string[]);
    } catch {
      held = null;
    }
    if (held) for (const [member, v] of this.pending) if (!v && !held.has(member)) this.pending.delete(member);
    const entries = [...this.pending].filter(([, v]) => v).sort(([, a], [, b]) => a!.since - b!.since);
    for (const [member] of entries.slice(0, Math.max(0, entries.length - PRESENCE_CAP))) this.pending.delete(member);
  }

  /** The console stops: one last write, none tried again after. */
  stop(): void {
    this.flush();
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes what is pending and forgets what is past the visit window or the cap. */
  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending.size) return;
    const changes = [...this.pending];
    const written = this.quiet.attempt('who is inside (for the offline "already checked in" check)', () =>
      this.db.transaction(() => {
        for (const [member, v] of changes) {
          if (v) this.s.enter.run(member, v.card, v.since);
          else this.s.leave.run(member);
        }
        this.s.old.run(this.clock.now() - this.visitMs);
        this.s.cap.run(PRESENCE_CAP);
      })(),
    );
    this.refused = !written;
    if (written) return this.pending.clear();
    // Kept, answered from memory meanwhile and tried again: a full disk never fails a check-in or a stop.
    if (this.pending.size > PRESENCE_CAP) this.trim();
    this.timer = this.clock.setTimeout(() => this.flush(), RETRY_MS);
  }
}
