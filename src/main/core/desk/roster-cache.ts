import type { Member, MemberStatus } from '../../../shared/protocol';
import type { Db } from '../store/db';
import { searchMembers } from '../../../shared/member-search';

/** The roster: L1 a Map in memory, L2 the members table in SQLite (so it survives restarts offline). */
export class RosterCache {
  private readonly byId = new Map<string, Member>();
  private readonly byCard = new Map<string, Member>();
  private readonly s;
  syncedAt: number | null = null;

  constructor(private readonly db: Db) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO members (id, card_id, name, phone, status, expires_on, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET card_id = excluded.card_id, name = excluded.name, phone = excluded.phone,
         status = excluded.status, expires_on = excluded.expires_on, synced_at = excluded.synced_at`,
      ),
      status: db.prepare('UPDATE members SET status = ? WHERE id = ?'),
    };
    const rows = db.prepare('SELECT id, card_id AS cardId, name, phone, status, expires_on AS expiresOn, synced_at FROM members').all() as (Member & { synced_at: number })[];
    for (const { synced_at, ...m } of rows) {
      this.hold(m);
      this.syncedAt = Math.max(this.syncedAt ?? 0, synced_at);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  byCardId(card: string): Member | undefined {
    return this.byCard.get(card);
  }

  store(members: Member[], now: number): void {
    this.db.transaction(() => {
      for (const m of members) this.s.upsert.run(m.id, m.cardId, m.name, m.phone, m.status, m.expiresOn, now);
    })();
    for (const m of members) this.hold(m);
    this.syncedAt = now;
  }

  /** A check-in event told us a member's current status. */
  status(memberId: string, status: MemberStatus): void {
    const m = this.byId.get(memberId);
    if (!m || m.status === status) return;
    m.status = status;
    this.s.status.run(status, memberId);
  }

  /** The same matching as the backend (one shared rule), with the total for "20 of 134 shown". */
  search(query: string, limit = 20): { members: Member[]; total: number } {
    return searchMembers(this.byId.values(), query, limit);
  }

  /** A member by id, as a person types it on the kiosk ("m00006" too). */
  byMemberId(id: string): Member | undefined {
    return this.byId.get(id.trim().toUpperCase());
  }

  /** Pages the whole roster from the backend into both levels. */
  async sync(page: (afterId: string) => Promise<{ members: Member[]; done: boolean }>, now: number): Promise<number> {
    let after = '';
    let count = 0;
    for (;;) {
      const p = await page(after);
      this.store(p.members, now);
      count += p.members.length;
      if (p.done || !p.members.length) return count;
      after = p.members.at(-1)!.id;
    }
  }

  private hold(m: Member): void {
    const old = this.byId.get(m.id);
    if (old && old.cardId !== m.cardId) this.byCard.delete(old.cardId);
    this.byId.set(m.id, m);
    this.byCard.set(m.cardId, m);
  }
}
