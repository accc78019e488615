import { EventEmitter } from 'node:events';
import { ACTION_KINDS, AUTO_CHECKOUT_MS, LIMITS, type GymEvent, type Member, type MemberStatus, type Replies, type SequencedEvent, type Verdict } from '../shared/protocol';
import { EventLog } from './event-log';
import { boundScanTime, type ActionResult, type CheckinExtras, type CheckinSource, type GymStore, type Replay, type StoreEvents } from './store';
import { searchMembers } from '../shared/member-search';
import { seedRoster } from './roster';

export interface GymOptions {
  rosterSize?: number;
  seed?: number;
  capacity?: number;
  /** A second allowed check-in within this window is a duplicate, even after leaving. */
  duplicateWindowMs?: number;
  /** Members still inside after this long are checked out automatically. */
  maxVisitMs?: number;
  replayRetention?: number;
  now?: () => number;
}

/** The reference gym's capacity unless told otherwise (the demo gym's too). */
export const DEFAULT_CAPACITY = 250;
/** How long a member may stay before the backend checks them out: it has no check-out request of its own. */
export const DEFAULT_MAX_VISIT_MS = AUTO_CHECKOUT_MS;

/**
 * The gym all backend instances share (in-process): one roster, one occupancy, one sequenced event log.
 * Requests are idempotent by their client-generated id. Synchronous: the embedded demo's store.
 */
export class Gym extends EventEmitter<StoreEvents> implements GymStore {
  readonly log: EventLog;
  /** Memory never becomes unreachable. */
  readonly available = true;
  readonly capacity: number;
  private readonly byId = new Map<string, Member>();
  private readonly byCard = new Map<string, Member>();
  private readonly inside = new Map<string, number>();
  private readonly lastAllowed = new Map<string, number>();
  private readonly replies = new Map<string, Replies['checkin']>();
  private readonly duplicateWindowMs: number;
  private readonly maxVisitMs: number;
  private readonly now: () => number;
  /** How many times each idempotency key was applied; tests read it to prove exactly-once. */
  readonly applied = new Map<string, number>();
  readonly overrides: { memberId: string; note: string; staff: string; at: number }[] = [];
  /** Staff and system actions in the order they were applied (bounded). */
  readonly actions: { key: string; kind: string; data: string }[] = [];
  private readonly actionKeys = new Set<string>();

  constructor(opts: GymOptions = {}) {
    super();
    this.now = opts.now ?? Date.now;
    this.capacity = opts.capacity ?? DEFAULT_CAPACITY;
    this.duplicateWindowMs = opts.duplicateWindowMs ?? 2 * 60_000;
    this.maxVisitMs = opts.maxVisitMs ?? DEFAULT_MAX_VISIT_MS;
    this.log = new EventLog(opts.replayRetention ?? LIMITS.replayRetention, this.now);
    for (const m of seedRoster(opts.rosterSize, opts.seed, this.now())) {
      this.byId.set(m.id, m);
      this.byCard.set(m.cardId, m);
    }
  }

  get members(): IterableIterator<Member> {
    return this.byId.values();
  }

  get occupancy(): number {
    return this.inside.size;
  }

  isInside(memberId: string): boolean {
    return this.inside.has(memberId);
  }

  verdictFor(member: Member | undefined): Verdict {
    if (!member) return { allowed: false, reason: 'unknown-card' };
    if (member.status === 'expired' || member.status === 'frozen' || member.status === 'unpaid') {
      return { allowed: false, reason: member.status };
    }
    const last = this.lastAllowed.get(member.id);
    if (this.inside.has(member.id) || (last !== undefined && this.now() - last < this.duplicateWindowMs)) {
      return { allowed: false, reason: 'duplicate' };
    }
    if (this.inside.size >= this.capacity) return { allowed: false, reason: 'capacity-full' };
    return { allowed: true, reason: member.status === 'expiring' ? 'expiring-soon' : 'ok' };
  }

  /** Applies a check-in once per `requestId`; a repeat returns the first reply unchanged (GymStore.checkIn). */
  checkIn(cardId: string, source: CheckinSource, requestId?: string, { override, scannedAt, decidedOffline }: CheckinExtras = {}): Replies['checkin'] {
    const previous = requestId ? this.replies.get(requestId) : undefined;
    if (previous) return previous;
    const scan = scannedAt === undefined ? undefined : boundScanTime(scannedAt, this.now());
    const member = this.byCard.get(cardId);
    let verdict = this.verdictFor(member);
    // Staff may let a known member in past any denial but capacity; an unknown card stays out.
    if (override && !verdict.allowed && member && verdict.reason !== 'capacity-full') {
      // Nor past capacity by another road: a frozen member was let into a full gym (probe27a P2). One inside adds nobody.
      if (!this.inside.has(member.id) && this.inside.size >= this.capacity) verdict = { allowed: false, reason: 'capacity-full' };
      else {
        verdict = { allowed: true, reason: 'override' };
        this.overrides.push({ memberId: member.id, note: override.note, staff: override.staff, at: this.now() });
      }
    }
    // Turned away at the door while the PC was offline: the member did not come in, so they are never counted inside.
    if (verdict.allowed && decidedOffline && !decidedOffline.allowed) verdict = decidedOffline;
    if (verdict.allowed && member) {
      // A held check-in's visit started at its scan: the maximum visit and the duplicate window count from then.
      const since = scan ?? this.now();
      this.inside.set(member.id, since);
      this.lastAllowed.set(member.id, since);
    }
    const event = this.emitEvent({
      kind: 'checkin',
      cardId,
      member: member ? { id: member.id, name: member.name, status: member.status } : null,
      verdict,
      source,
      occupancy: this.inside.size,
      ...(scan !== undefined && { scannedAt: scan }),
      ...(decidedOffline && { decidedOffline }),
      ...(verdict.reason === 'override' && override ? { override: { note: override.note, staff: override.staff } } : {}),
      ...(requestId && { requestId }),
    });
    const reply = { verdict, member: member ?? null, occupancy: this.inside.size, seq: event.seq };
    if (requestId) this.remember(requestId, reply);
    return reply;
  }

  /** Marks a member as already inside (no event): a gym that was open before the backend started. */
  admit(memberId: string, since: number): boolean {
    const m = this.byId.get(memberId);
    if (!m || this.inside.has(memberId) || this.inside.size >= this.capacity) return false;
    this.inside.set(memberId, since);
    this.lastAllowed.set(memberId, since);
    return true;
  }

  checkOut(memberId: string, auto = false): boolean {
    const member = this.byId.get(memberId);
    if (!member || !this.inside.delete(memberId)) return false;
    this.emitEvent({ kind: 'checkout', memberId, name: member.name, auto, occupancy: this.inside.size });
    return true;
  }

  /** Checks out everyone past the maximum visit length. */
  sweep(): number {
    const cutoff = this.now() - this.maxVisitMs;
    let count = 0;
    for (const [id, since] of this.inside) if (since <= cutoff && this.checkOut(id, true)) count++;
    return count;
  }

  /** Applies an action once per key; refuses kinds it does not know (a rejection retrying cannot fix). */
  action(key: string, kind: string, data: string): ActionResult {
    if (!(ACTION_KINDS as readonly string[]).includes(kind)) return { ok: false, code: 'unknown-action', message: `This backend does not know the action "${kind}".` };
    if (this.actionKeys.has(key)) return { ok: true, applied: false };
    this.actionKeys.add(key);
    this.applied.set(key, (this.applied.get(key) ?? 0) + 1);
    this.actions.push({ key, kind, data });
    // Trim in chunks: shifting a 100k array on every action would be quadratic.
    if (this.actions.length > LIMITS.idempotencyWindow * 1.1) {
      for (const old of this.actions.splice(0, this.actions.length - LIMITS.idempotencyWindow)) {
        this.actionKeys.delete(old.key);
        this.applied.delete(old.key); // the tally is kept as long as the key is: a backend that runs for weeks must not grow
      }
    }
    return { ok: true, applied: true };
  }

  head(): number {
    return this.log.lastSeq;
  }

  replay(after: number): Replay {
    return { ...this.log.since(after), head: this.log.lastSeq, epoch: this.log.epoch };
  }

  setMemberStatus(memberId: string, status: MemberStatus): boolean {
    const m = this.byId.get(memberId);
    if (!m) return false;
    const changed = { ...m, status };
    this.byId.set(memberId, changed);
    this.byCard.set(m.cardId, changed);
    return true;
  }

  rosterPage(afterId: string, limit: number): { members: Member[]; done: boolean } {
    const all = [...this.byId.values()];
    const start = afterId ? all.findIndex((m) => m.id === afterId) + 1 : 0;
    const members = all.slice(start, start + limit);
    return { members, done: start + limit >= all.length };
  }

  lookup(query: string, limit = 20): Member[] {
    return this.search(query, limit).members;
  }

  /** The first `limit` matches and how many match in all. */
  search(query: string, limit = 20): Replies['lookup'] {
    return searchMembers(this.byId.values(), query, limit);
  }

  snapshot(recent = 50): Replies['snapshot'] {
    return { head: this.log.lastSeq, occupancy: this.inside.size, capacity: this.capacity, recent: this.log.recent(recent), epoch: this.log.epoch };
  }

  private emitEvent(body: GymEvent): SequencedEvent {
    const event = this.log.append(body);
    this.emit('event', event);
    return event;
  }

  private remember(requestId: string, reply: Replies['checkin']): void {
    this.applied.set(requestId, (this.applied.get(requestId) ?? 0) + 1);
    this.replies.set(requestId, reply);
    if (this.replies.size > LIMITS.idempotencyWindow) {
      const oldest = this.replies.keys().next().value;
      if (oldest !== undefined) {
        this.replies.delete(oldest);
        this.applied.delete(oldest);
      }
    }
  }
}
