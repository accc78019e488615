import { LIMITS, type Member, type MemberStatus, type Replies } from '../../../shared/protocol';
import { personName } from '../../../shared/person-name';
import { UserError } from '../../../shared/result';
import type { Db } from '../store/db';
import { QuietWrites } from '../store/quiet-writes';
import { searchMembers } from '../../../shared/member-search';

/**
 * What one sync may bring. A big gym has tens of thousands of members; 100,000 is several times
 * that and still about 100 MB in memory at the longest names the protocol allows. At 200 a page
 * that is 500 pages; twice as many lets a backend send half-full pages.
 */
export const ROSTER_LIMITS = { maxMembers: 100_000, maxPages: 1_000 } as const;

/** Asks for the page after `afterId`; `check` finds what is wrong with a reply (null when nothing), so the socket that sent it is blamed. */
export type RosterPager = (afterId: string, check: (reply: Replies['roster']) => string | null) => Promise<Replies['roster']>;

/** The roster: L1 a Map in memory, L2 the members table in SQLite (so it survives restarts offline). */
export class RosterCache {
  private readonly byId = new Map<string, Member>();
  private readonly byCard = new Map<string, Member>();
  private readonly s;
  syncedAt: number | null = null;
  /**
   * Syncs begun so far, the one that last replaced the copy, and the one paging now: counted, not timed, so a wall
   * clock stepped back cannot make a newer Find look older than a sync (review20b L3).
   */
  private syncsBegun = 0;
  private replacedBy = 0;
  private paging = 0;
  private syncing: Promise<number> | null = null;
  /** Members a lookup or an event told us about while a sync pages: fresher than the sync's copy. */
  private touched: Set<string> | null = null;

  /** Statuses an event or a reply told that the disk refused: in memory already, written with the next that takes. */
  private readonly unsaved = new Map<string, MemberStatus>();
  /** Members a lookup returned that the disk refused: the same. */
  private readonly unsavedFound = new Map<string, Member>();

  constructor(
    private readonly db: Db,
    private readonly quiet = new QuietWrites(),
  ) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO members (id, card_id, name, phone, status, expires_on, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET card_id = excluded.card_id, name = excluded.name, phone = excluded.phone,
         status = excluded.status, expires_on = excluded.expires_on, synced_at = excluded.synced_at`,
      ),
      // A member a Find brought: dated 0 when new, so a copy of such members alone is not taken for a synced roster
      // after a restart; one a sync brought keeps its sync's date.
      found: db.prepare(
        `INSERT INTO members (id, card_id, name, phone, status, expires_on, synced_at) VALUES (?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT(id) DO UPDATE SET card_id = excluded.card_id, name = excluded.name, phone = excluded.phone,
         status = excluded.status, expires_on = excluded.expires_on`,
      ),
      status: db.prepare('UPDATE members SET status = ? WHERE id = ?'),
      clear: db.prepare('DELETE FROM members'),
    };
    // Bounded even here: a copy grown past the limit before there was one loads in part, and the next sync replaces it.
    const rows = db.prepare('SELECT id, card_id AS cardId, name, phone, status, expires_on AS expiresOn, synced_at FROM members LIMIT ?').all(ROSTER_LIMITS.maxMembers) as (Member & { synced_at: number })[];
    for (const { synced_at, ...m } of rows) {
      // Kept by an older console, whose cleaning left invisible characters in names: cleaned as a sync's are.
      this.hold({ ...m, name: personName(m.name, LIMITS.maxNameLength) });
      if (synced_at > 0) this.syncedAt = Math.max(this.syncedAt ?? 0, synced_at);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  byCardId(card: string): Member | undefined {
    return this.byCard.get(card);
  }

  /** Taken when a lookup is asked, and given back with its answer to `store`. */
  stamp(): number {
    return this.syncsBegun;
  }

  /**
   * Members a lookup returned, asked when `stamp()` said `asked`. A whole roster synced since is fresher: an answer that
   * came later than it is dropped, not stored over it (review19 L9). Past the limit only known members are updated:
   * lookups must not grow the copy without end. `syncedAt` is left to whole syncs: a few members looked up are not the roster.
   */
  store(members: Member[], asked: number): void {
    // A sync begun since it was asked brings newer pages than it (review20 L3).
    if (asked < this.replacedBy || (this.touched !== null && asked < this.paging)) return;
    const kept = members.filter((m) => this.byId.has(m.id) || this.byId.size < ROSTER_LIMITS.maxMembers);
    // The backend answered: a disk that refuses the copy must not turn its answer into "the backend could not answer" (readme24 R1).
    for (const m of kept) this.unsavedFound.set(m.id, m);
    const found = [...this.unsavedFound.values()];
    if (this.quiet.attempt("the roster copy's looked-up members", () => this.db.transaction(() => found.forEach((m) => this.s.found.run(m.id, m.cardId, m.name, m.phone, m.status, m.expiresOn)))())) this.unsavedFound.clear();
    for (const m of kept) {
      this.hold(m);
      this.touched?.add(m.id);
    }
  }

  /** A check-in event told us a member's current status. */
  status(memberId: string, status: MemberStatus): void {
    const m = this.byId.get(memberId);
    if (!m || m.status === status) return;
    m.status = status;
    this.touched?.add(memberId);
    // The backend has it recorded: a copy the disk cannot update must not fail the check-in or the feed that told it.
    this.unsaved.set(memberId, status);
    const changes = [...this.unsaved];
    if (this.quiet.attempt("the roster copy's member statuses", () => this.db.transaction(() => changes.forEach(([id, st]) => this.s.status.run(st, id)))())) this.unsaved.clear();
  }

  /** The same matching as the backend (one shared rule), with the total for "20 of 134 shown". */
  search(query: string, limit = 20): { members: Member[]; total: number } {
    return searchMembers(this.byId.values(), query, limit);
  }

  /** A member by id: exactly as the backend has it, else as a person types it on the kiosk ("m00006" too). */
  byMemberId(id: string): Member | undefined {
    return this.byId.get(id) ?? this.byId.get(id.trim().toUpperCase());
  }

  /**
   * Pages the whole roster from the backend, then puts it in place of the copy in one go: a sync
   * that fails part way (a lost backend, a page that breaks the rules, a roster past the limits)
   * leaves the copy as it was. One sync at a time; a second caller shares the first's.
   */
  sync(page: RosterPager, now: number): Promise<number> {
    return (this.syncing ??= this.pageAll(page, now).finally(() => (this.syncing = null)));
  }

  private async pageAll(page: RosterPager, now: number): Promise<number> {
    const sync = (this.paging = ++this.syncsBegun);
    const staged = new Map<string, Member>();
    const cards = new Map<string, string>();
    // Members whose record this sync could not read: they are still members, so their older record is kept.
    const unread = new Set<string>();
    this.touched = new Set();
    try {
      let after = '';
      for (let pages = 1; ; pages++) {
        const from = after;
        // Judged only until the page is answered: a hedge's copy of the same page arriving later is a
        // late answer, not a page that repeats what the first copy staged.
        let answered = false;
        const p = await page(from, (reply) => (answered ? null : pageProblem(reply, from, staged)));
        answered = true;
        // Checked again here: the check above blames the socket, this one stops the sync whoever pages.
        const problem = pageProblem(p, from, staged);
        if (problem) throw new UserError('roster-bad-page', `The backend sent a roster that breaks the protocol (${problem}); the copy on this PC was left as it was.`);
        for (const m of p.members) {
          // A card that moved to another member while we paged: the later page is the newer truth.
          const had = cards.get(m.cardId);
          if (had !== undefined && had !== m.id) staged.delete(had);
          cards.set(m.cardId, m.id);
          staged.set(m.id, m);
        }
        for (const id of p.leftOut?.ids ?? []) unread.add(id);
        if (staged.size > ROSTER_LIMITS.maxMembers) throw tooLarge(`more than ${ROSTER_LIMITS.maxMembers.toLocaleString('en')} members`);
        if (p.done) break;
        if (pages >= ROSTER_LIMITS.maxPages) throw tooLarge(`more than ${ROSTER_LIMITS.maxPages.toLocaleString('en')} pages`);
        after = nextAfter(p)!;
      }
      const read = staged.size;
      for (const id of unread) {
        const older = this.byId.get(id);
        // Unless its card went to a member this sync did read: the card is theirs now.
        if (older && !staged.has(id) && !cards.has(older.cardId)) staged.set(id, older);
      }
      this.replace(staged, now);
      this.replacedBy = sync;
      return read;
    } finally {
      this.touched = null;
    }
  }

  /** The synced roster in place of the copy, in both levels; what changed meanwhile keeps its fresher word. */
  private replace(staged: Map<string, Member>, now: number): void {
    const fresher = new Map<string, string>(); // card → member id, from what changed meanwhile
    for (const id of this.touched ?? []) {
      const m = this.byId.get(id);
      if (!m) continue;
      staged.set(id, m);
      fresher.set(m.cardId, id);
    }
    // A card is one member's: where the sync's copy and a fresher one disagree, the fresher keeps it.
    for (const [id, m] of staged) if ((fresher.get(m.cardId) ?? id) !== id) staged.delete(id);
    this.db.transaction(() => {
      this.s.clear.run();
      for (const m of staged.values()) this.s.upsert.run(m.id, m.cardId, m.name, m.phone, m.status, m.expiresOn, now);
    })();
    this.unsaved.clear(); // written with the synced copy
    this.unsavedFound.clear();
    this.byId.clear();
    this.byCard.clear();
    for (const m of staged.values()) this.hold(m);
    this.syncedAt = now;
  }

  private hold(m: Member): void {
    const old = this.byId.get(m.id);
    if (old && old.cardId !== m.cardId) this.byCard.delete(old.cardId);
    this.byId.set(m.id, m);
    this.byCard.set(m.cardId, m);
  }
}

/**
 * What is wrong with one roster page, read against its request and the pages before it; null when
 * nothing. A page that repeats members does not move the cursor on: paging it would never end.
 */
function pageProblem(reply: Replies['roster'], afterId: string, seen: ReadonlyMap<string, Member>): string | null {
  // Members it held that could not be read are left out (the rest taken); a page of only those still moves on.
  const next = nextAfter(reply);
  if (!reply.done && next === undefined) return reply.leftOut ? 'the roster page said more was to come but held no member this console could read' : 'the roster page said more was to come but held no members';
  if (!reply.done && (next === afterId || seen.has(next!))) return 'the roster page repeated members already sent, so paging would never end';
  const ids = new Set<string>();
  for (const m of reply.members) {
    if (m.id === afterId || seen.has(m.id) || ids.has(m.id)) return 'the roster page repeated members already sent, so paging would never end';
    ids.add(m.id);
  }
  return null;
}

/** Where the page after this one starts: past its last member as sent (even one left out, see protocol.ts), else its last one read. */
const nextAfter = (reply: Replies['roster']): string | undefined => reply.after ?? reply.members.at(-1)?.id;

function tooLarge(what: string): UserError {
  return new UserError('roster-too-large', `The backend's roster has ${what}, past what this console keeps; the copy on this PC was left as it was. Check the backend's roster.`);
}
