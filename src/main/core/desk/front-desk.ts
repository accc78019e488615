import type { CheckinResult, DeskSettings } from '../../../shared/desk';
import { DEFAULT_DESK_SETTINGS, DeskSettingsSchema, isCardId, isTypeable, readCard, StoredDeskSettingsSchema } from '../../../shared/desk';
import { AUTO_CHECKOUT_MS, checkinReplyProblem, LIMITS, type CheckinReplyProblem, type Member, type Replies, type SequencedEvent, type Verdict } from '../../../shared/protocol';
import { UserError } from '../../../shared/result';
import { backendId } from '../../../shared/backend-text';
import { liveStampBelievable } from '../../../shared/backend-clock';
import type { Clock } from '../clock';
import type { Outbox } from '../delivery/outbox';
import type { AuditLog } from '../store/audit-log';
import type { Db } from '../store/db';
import { SettingsStore } from '../store/settings-store';
import type { PoolManager } from '../pool/manager';
import type { RosterCache } from './roster-cache';
import { OfflineDecisions, type Answered } from './offline-decisions';
import { answeredOtherwiseWords, deskSettingsDamagedWords, reconsideredWords, unansweredCheckinWords, wrongCheckinAnswerWords } from '../../../shared/words';
import type { AnsweredCheckin } from '../../../shared/state';
import { ANSWERED_CHECKINS_KEPT } from '../../../shared/state';
import { Presence } from './presence';
import { OwnEvents, type Pending } from './own-events';
import { CHECKIN_DISK_REFUSAL, diskProblem } from '../disk-words';
import { QuietWrites } from '../store/quiet-writes';
import { RosterSync, SYNC_EVERY_MS, type RosterRefusal, type RosterSyncDeps } from './roster-sync';
import { RecentAdmissions, REPEAT_MS, type Admission } from './recent-admissions';
import { gymDay, statusOn } from '../../../shared/membership-day';

export type { RosterRefusal } from './roster-sync';

const BOUNCE_MS = 2_000;
/** A Find waits this long for the backend when the roster copy can answer instead (said as "the backend could not answer"). */
export const LOOKUP_WITHIN_MS = 2_500;
/** How long a member let in offline counts as inside, for the offline passback check: a visit, as the backend counts one. */
export const OFFLINE_VISIT_MS = AUTO_CHECKOUT_MS;

export interface DeskDeps {
  pools: PoolManager;
  outbox: Outbox;
  audit: AuditLog;
  cache: RosterCache;
  db: Db;
  clock: Clock;
  /** A check-in this PC decided itself that the backend answered otherwise (or unreadably): said for staff. */
  onConflict(detail: string): void;
  /** A check-in this PC decided itself that the backend took and never answered: said for staff. */
  onUnanswered?(detail: string): void;
  /** The backend answered a check-in this PC decided itself (`FrontDesk.answered` changed). */
  onAnswered?(): void;
  /** A card shown again where it was just let in, taken as the same visit and not sent: said for staff. */
  onRepeat?(detail: string): void;
  /** A check-in answer that cannot be right, found where the desk reads it: the backend's error, for IT (`raw`: for the log file). */
  onWrong?(detail: string, raw: string): void;
  /** How long a scan waits for the backend's verdict before deciding from the cache. */
  verdictWaitMs?: number;
  /** A roster sync was refused (`refusal`, and how long until the next), or one completed after refusals (null). */
  onRosterSync?: RosterSyncDeps['onRosterSync'];
  /** The gym's time zone (Analytics' "Time zone"): whose calendar says which day it is, for memberships' end dates. */
  gymZone(): string;
  /** The desk and kiosk settings saved on this PC could not all be read (staff's words): said once a start. */
  onSettingsDamaged?(detail: string): void;
  /** Who was inside as the backend last said it believably, its capacity, and when (wall ms); null: not known. */
  lastOccupancy?(): { count: number; capacity: number; at: number } | null;
}

/**
 * How much longer a check-in waits for the backend when this PC could not keep its own verdict (a full disk):
 * the backend has it and is only slow, so its answer is worth a few seconds more than a refusal at the door.
 */
export const DISK_REFUSED_WAIT_MS = 5_000;

const brief = (m: Member | null | undefined): CheckinResult['member'] => (m ? { id: m.id, cardId: m.cardId, name: m.name, status: m.status, expiresOn: m.expiresOn } : null);

/**
 * The front desk and the kiosk: lookup, check-in (through the durable outbox), staff override,
 * a bounce filter, and decisions from the cached roster when no backend answers in time.
 */
export class FrontDesk {
  readonly cache: RosterCache;
  /** Who the live feed showed inside: fed through `seen`, asked by decideOffline. */
  readonly presence: Presence;
  private readonly own: OwnEvents;
  /** Check-ins waiting on their reply, told of each event: one whose own event came is decided at once. */
  private readonly waking = new Set<() => void>();
  private readonly lastScan = new Map<string, number>();
  private readonly admitted: RecentAdmissions;
  private syncTimer: NodeJS.Timeout | null = null;
  private readonly roster: RosterSync;
  private readonly decisions: OfflineDecisions;
  private readonly saved: SettingsStore;
  /** console.db writes around a check-in that a full disk must not turn into a failed one: said once in the log. */
  private readonly quiet = new QuietWrites();
  /** Overrides the audit log could not take yet (a full disk), oldest first: written with the next that takes. */
  private readonly unaudited: { staff: string; card: string; note: string }[] = [];
  /** The backend's answers to check-ins this PC decided itself, newest first: a verdict still on screen follows them. */
  private answers: AnsweredCheckin[] = [];
  /**
   * The station that showed each verdict this PC decided, while its answer is awaited (in memory: after a restart no
   * verdict is on screen to follow). A member turned away, then let in by the backend, was let in at that station.
   */
  private readonly decidedAt = new Map<string, string>();
  /** The card each recent check-in from this PC was sent for, by its key: an event under that key for another card is not believed. */
  private readonly sentCards = new Map<string, string>();
  settings: DeskSettings;

  constructor(private readonly d: DeskDeps) {
    this.cache = d.cache;
    // Damaged or hand-edited: the fields that read are kept, and staff are told which went back (probe28b H3).
    this.saved = new SettingsStore(d.db, {
      warn: (line, damage) => {
        console.warn(`settings: ${line}`);
        if (damage.whole || damage.fields.length) d.onSettingsDamaged?.(deskSettingsDamagedWords(damage.fields));
      },
    });
    this.settings = this.saved.get('desk', StoredDeskSettingsSchema, DEFAULT_DESK_SETTINGS);
    this.decisions = new OfflineDecisions(d.db, d.outbox, (a) => this.answeredNow(a), this.quiet, {
      clock: d.clock,
      tell: (u) => d.onUnanswered?.(unansweredCheckinWords(this.who(u.card), u.decided, u.at, u.waitedMs)),
    });
    this.presence = new Presence(d.db, d.clock, OFFLINE_VISIT_MS, this.quiet);
    this.own = new OwnEvents(this.presence);
    this.admitted = new RecentAdmissions(d.clock);
    this.roster = new RosterSync({ cache: d.cache, pools: d.pools, clock: d.clock, db: d.db, onRosterSync: d.onRosterSync });
  }

  /** The backend's answers to check-ins this PC decided itself, newest first (the state's `answeredCheckins`). */
  get answered(): AnsweredCheckin[] {
    return this.answers;
  }

  /** The card this PC sent as `key` when it is not `card`: a check-in event naming this PC's request for another card. */
  sentOtherwise(key: string, card: string): string | undefined {
    const sent = this.sentCards.get(key);
    return sent !== undefined && sent !== card ? sent : undefined;
  }

  /** What this PC decided for the check-in of `card` sent as `key` (a live event's `requestId`), if it decided it. */
  decidedFor(key: string, card: string): Verdict | undefined {
    return this.decisions.decidedFor(key, card);
  }

  private answeredNow(a: Answered): void {
    if (a.wrong) this.tellWrong(a.card, a.wrong, 'this PC had decided the check-in itself while the gym\'s system was slow or away');
    this.answers = [{ key: a.key, decided: a.decided, verdict: a.backend }, ...this.answers].slice(0, ANSWERED_CHECKINS_KEPT);
    const station = this.decidedAt.get(a.key);
    this.decidedAt.delete(a.key);
    if (!a.backend || a.backend.allowed !== a.decided.allowed) {
      // An overruled admission is forgotten, so a rescan of that card asks the backend again.
      this.admitted.forget(a.card);
      // Let in after all, and the station now says "go ahead": a rescan there is the same visit, as for any admission.
      if (a.backend?.allowed && station !== undefined) this.admitted.admitted(station, a.card, brief(this.d.cache.byCardId(a.card)));
      this.d.onConflict(reconsideredWords(this.who(a.card), a.decided, a.backend));
    }
    this.d.onAnswered?.();
  }

  /** A card as the event log names it: its member from the roster copy, if known. */
  private who(card: string): string {
    const m = this.d.cache.byCardId(card);
    return m ? `${m.name} (card ${backendId(card)})` : `Card ${backendId(card)}`;
  }

  /** The last roster sync refused, until one completes: Health says it, and syncs back off meanwhile. */
  get rosterRefused(): RosterRefusal | null {
    return this.roster.refused;
  }

  /** Why the last sync's roster could not be saved (a full disk), until one is: Health says it. */
  get rosterNotSaved(): string | null {
    return this.roster.notSaved;
  }

  start(): void {
    const sync = (): void => {
      if (!this.roster.due) return;
      void this.sync().catch(() => {}); // offline: try again next time; a refusal is told by sync()
    };
    this.d.pools.on('activity', (a) => a.type === 'connected' && !this.d.cache.syncedAt && sync());
    this.syncTimer = setInterval(sync, SYNC_EVERY_MS);
    this.syncTimer.unref();
    sync();
  }

  stop(): void {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.presence.stop();
    this.decisions.stop();
    this.auditOverrides();
  }

  sync(): Promise<number> {
    return this.roster.sync();
  }

  configure(next: DeskSettings): DeskSettings {
    if (next.busyAt && next.nearlyFullAt && next.nearlyFullAt < next.busyAt) {
      // Said at the field that has to change, in the words of the labels on the form.
      throw new UserError('warnings-order', `Nearly full at must be at least Busy at (${next.busyAt} people), or 0 for the default.`, { field: 'nearlyFullAt' });
    }
    this.settings = this.saved.set('desk', DeskSettingsSchema, next);
    return this.settings;
  }

  /** A backend event, live or replayed (feed.ts): who is inside, and the events of check-ins still waiting here. */
  seen(e: SequencedEvent, live = false): void {
    // A live event happened now: a stamp minutes off its arrival is the backend's clock, so who is inside counts from
    // the arrival, as the live list does (toCheckinEntry). A clock hours behind let a card passed back in (probe28b H2).
    const now = this.d.clock.now();
    this.own.seen(live && !liveStampBelievable(e.ts, now) ? { ...e, ts: now } : e);
    for (const wake of this.waking) wake();
  }

  /** The feed resynced up to `head` (its events follow through `seen`). */
  resynced(head: number): void {
    this.own.resync(head);
  }

  /** The backend when it answers, else the cache; says which, how many match in all when known, and how many could not be read. */
  async lookup(query: string): Promise<{ members: Member[]; source: 'backend' | 'cache'; total?: number; leftOut?: number; today: string }> {
    const today = this.today();
    if (this.d.pools.connectionView().state !== 'offline') {
      try {
        const stamp = this.d.cache.stamp();
        const asked = this.d.pools.request('lookup', { query });
        // With a copy to fall back on, staff wait LOOKUP_WITHIN_MS at most: a backend that takes requests and answers
        // late held the old list on screen for the request's whole time and its retries. A late answer still fills the copy.
        const r = this.d.cache.size > 0 ? await this.within(asked, LOOKUP_WITHIN_MS) : await asked;
        if (r === null) {
          asked.then((late) => this.d.cache.store(late.members, stamp)).catch(() => {});
          throw new Error('lookup late');
        }
        this.d.cache.store(r.members, stamp);
        // An older backend sends no total; one smaller than the list it came with is not believed. Its total counts
        // the members left out (their records unreadable) too: they are said apart, not as more to narrow down.
        const left = r.leftOut?.count ?? 0;
        const total = r.total !== undefined && r.total - left >= r.members.length ? r.total - left : undefined;
        return { members: r.members, source: 'backend', ...(total !== undefined && { total }), ...(left > 0 && { leftOut: left }), today };
      } catch {
        // fall through to the cache
      }
    }
    if (this.d.cache.size === 0) throw this.noCopy();
    // The copy's statuses are the last sync's: a membership ended since is listed as ended, as the offline check-in decides it.
    const found = this.d.cache.search(query);
    return { ...found, members: found.members.map((m) => ({ ...m, status: statusOn(m, today) })), source: 'cache', today };
  }

  /**
   * The card to check in, or null when the scan is no card ("not read"). A card the roster copy holds is
   * taken exactly, whatever it looks like; a typed member id ("M00006") stands for that member's card,
   * since the backend checks cards only (member ids are not card-shaped, so this comes before the check).
   * The cached roster answers; the backend is asked only for a code with letters.
   */
  private async cardFor(scanned: string, withinMs: number): Promise<string | null> {
    const known = (c: string): boolean => this.d.cache.byCardId(c) !== undefined;
    const code = readCard(scanned, known);
    if (known(code)) return code;
    const cached = this.d.cache.byMemberId(code);
    if (cached) return cached.cardId;
    const card = isCardId(code) ? code : null;
    if (/^\d+$/.test(code) || !isTypeable(code) || code.length > LIMITS.maxIdLength || this.d.pools.connectionView().state === 'offline') return card;
    // Within the scan's own wait: a backend that takes requests but never answers must not hold the member at the door.
    const asked = this.d.pools.request('lookup', { query: code });
    asked.catch(() => {}); // answered after the wait, or failed: nobody waits on it any more
    try {
      const r = await this.within(asked, withinMs);
      return r?.members.find((m) => m.id.toLowerCase() === code.toLowerCase())?.cardId ?? card;
    } catch {
      return card;
    }
  }

  /** `p`'s answer, or null when it has not come within `ms`. */
  private within<T>(p: Promise<T>, ms: number): Promise<T | null> {
    let timer: unknown;
    const late = new Promise<null>((r) => (timer = this.d.clock.setTimeout(() => r(null), ms)));
    return Promise.race([p, late]).finally(() => this.d.clock.clearTimeout(timer));
  }

  /** "0 found" would be a lie when there is nothing to search: say why, and what to do. */
  private noCopy(): UserError {
    const why = this.d.pools.connectionView().cause;
    const detail = why ? `${why.text.charAt(0).toLowerCase()}${why.text.slice(1)} ${why.next}` : 'lookups work again once the console connects; check the Backend card on Overview.';
    return new UserError('no-roster-copy', `No copy of the members list on this PC yet, and the backend is unreachable: ${detail}`);
  }

  /** Today on the gym's calendar, "2026-07-09": what screens compare a membership's end date with. */
  today(): string {
    return gymDay(this.d.clock.now(), this.d.gymZone());
  }

  /** The roster copy's member for `cardId` as of today: its status was the backend's at the last sync, its end date may have passed since. */
  private nowFor(cardId: string): Member | undefined {
    const m = this.d.cache.byCardId(cardId);
    return m && { ...m, status: statusOn(m, this.today()) };
  }

  /**
   * Who is inside as far as this PC can tell while the backend does not answer, counted as the backend counts: its
   * last count, less those the feed showed going in whose automatic check-out has come since, plus those this PC let
   * in (and not yet out; `mine`). Null: no count from the backend to start from. Overview shows it while the backend
   * is away (readme27 W3) or has not answered check-ins decided here, so staff see the count the desk turns members away by.
   */
  countHere(): { count: number; capacity: number; mine: number } | null {
    const last = this.d.lastOccupancy?.();
    if (!last) return null;
    const now = this.d.clock.now();
    const gone = now - AUTO_CHECKOUT_MS;
    // Everyone the last count held has had their check-out by now, seen entering or not: it adds nothing (review27 V2).
    const held = last.at <= gone ? 0 : Math.max(0, last.count - this.presence.enteredBetween(last.at - AUTO_CHECKOUT_MS, gone));
    // Every member let in here the backend has not answered: `at` moves on to when the link was lost, and one let in
    // just before that, with no answer, is in no count of the backend's (review27 V1). Each once, and none the feed
    // showed inside: one already inside, let back in by override, adds nobody, as the backend counts.
    let mine = 0;
    for (const card of this.decisions.admittedCardsSince(gone)) if (!this.presence.inside(card, this.d.cache.byCardId(card)?.id, gone)) mine++;
    return { count: held + mine, capacity: last.capacity, mine };
  }

  /** The count when it has reached the capacity: the gym's limit holds offline too (probe27a P1), for what this PC decides by itself. */
  private fullAsFarAsKnown(): number | null {
    const here = this.countHere();
    return here && here.capacity > 0 && here.count >= here.capacity ? here.count : null;
  }

  /**
   * The decision the stated offline policy makes from the cached roster, on the member's standing today, in the
   * backend's order: the membership, then a second entry, then a full gym (probe27a P1).
   */
  decideOffline(cardId: string): { verdict: Verdict; member: Member | undefined; occupancy?: number } {
    const member = this.nowFor(cardId);
    const p = this.settings.offlinePolicy;
    const letIn = (): { verdict: Verdict; member: Member | undefined; occupancy?: number } => {
      // A second entry is a card passed back.
      if (this.insideHere(cardId, member)) return { verdict: { allowed: false, reason: 'duplicate' }, member };
      const full = this.fullAsFarAsKnown();
      if (full !== null) return { verdict: { allowed: false, reason: 'capacity-full' }, member, occupancy: full };
      return { verdict: { allowed: true, reason: member?.status === 'expiring' ? 'expiring-soon' : 'ok' }, member };
    };
    if (!member) return p.unknownCard === 'allow' ? letIn() : { verdict: { allowed: false, reason: 'unknown-card' }, member };
    if (p.allowStatuses.includes(member.status)) return letIn();
    const reason = member.status === 'frozen' || member.status === 'unpaid' || member.status === 'expired' ? member.status : 'expired';
    return { verdict: { allowed: false, reason }, member };
  }

  /** Inside as far as this PC knows: the live feed showed the member go in and not out, or this PC let the card in while offline. */
  private insideHere(cardId: string, member: Member | undefined): boolean {
    const since = this.d.clock.now() - OFFLINE_VISIT_MS;
    return this.presence.inside(cardId, member?.id, since) || this.decisions.admittedSince(cardId, since);
  }

  /**
   * `scanned` is the scan as it came (CheckinRequestSchema): read here, where the roster copy is, not from `cardId`.
   * `station` is the screen that scanned (a kiosk screen, a desk window): its own rescans are the same visit.
   * `beforeSend` hears, once a scan is to be sent, whether the roster copy lacks its card, and may refuse it by
   * throwing (the check-in budget's ceiling on unknown cards): this is the one place that fact is decided.
   */
  async checkin(
    req: { cardId: string; scanned?: string; source: 'desk' | 'kiosk'; override?: { note: string } },
    staff: string,
    station: string = req.source,
    beforeSend?: (unknownCard: boolean) => void,
  ): Promise<CheckinResult> {
    const notRead: CheckinResult = { ignored: 'not-read', verdict: null, member: null, offline: false, occupancy: null };
    const scanned = req.scanned ?? req.cardId;
    if (!scanned.trim()) return notRead;
    // One wait for the whole scan: the lookup of a typed member id and the verdict share it.
    const started = this.d.clock.mono();
    const budget = this.d.pools.connectionView().state === 'offline' ? 0 : (this.d.verdictWaitMs ?? 1_500);
    const card = await this.cardFor(scanned, budget / 2);
    if (card === null) return notRead;
    const now = this.d.clock.mono();
    const last = this.lastScan.get(card);
    this.lastScan.set(card, now);
    if (!req.override && last !== undefined && now - last < BOUNCE_MS) return { ignored: 'bounce', verdict: null, member: null, offline: false, occupancy: null };
    if (this.lastScan.size > 5_000) this.lastScan.clear();
    // A card this station let in moments ago is the same visit (REPEAT_MS, or longer while its verdict can still be
    // on screen): nothing is sent, so no "already checked in" denial is logged against the member, and the desk's
    // list keeps the one admission the backend recorded. An override is always sent: staff mean it.
    const again = req.override ? undefined : this.admitted.within(station, card, Math.max(REPEAT_MS, this.settings.verdictSeconds * 1_000));
    if (again) {
      this.tellRepeat(req.source, card, again);
      return { ignored: 'repeat', verdict: null, member: again.member, insideSince: again.wallAt, offline: again.offline, occupancy: null, today: this.today() };
    }
    // A card the roster copy lacks (made-up ones among them) may not take the queue's last places: a member's scan can (outbox-bounds.ts).
    const unknownCard = !req.override && !this.d.cache.byCardId(card);
    try {
      beforeSend?.(unknownCard);
    } catch (e) {
      // Refused, so not read: the member told to scan again is not taken for the reader's double read.
      if (last === undefined) this.lastScan.delete(card);
      else this.lastScan.set(card, last);
      throw e;
    }
    const own = this.own.watch(card, req.source);
    try {
      // The gym's day with every verdict: its end date is said "ended on" once past, whoever decided.
      return { ...(await this.decide(req, staff, station, card, unknownCard, started + budget, own)), today: this.today() };
    } finally {
      this.own.done(own);
    }
  }

  /** Sends the check-in and gives the backend's verdict, or this PC's when none comes by `deadline` (monotonic). */
  private async decide(req: { source: 'desk' | 'kiosk'; override?: { note: string } }, staff: string, station: string, card: string, unknownCard: boolean, deadline: number, own: Pending): Promise<CheckinResult> {
    let onReply: (r: Replies['checkin']) => void = () => {};
    const replied = new Promise<Replies['checkin']>((resolve) => (onReply = resolve));
    const override = req.override ? { note: req.override.note, staff } : undefined;
    const { key } = await this.d.outbox.enqueue('realtime', 'checkin', { cardId: card, source: req.source, override }, { onReply: (r) => onReply(this.withMember(r as Replies['checkin'], card)), unknownCard });
    own.key = key;
    this.sentCards.set(key, card);
    if (this.sentCards.size > 1_000) this.sentCards.delete(this.sentCards.keys().next().value!);
    if (override) this.unaudited.push({ staff, card, note: override.note });
    this.auditOverrides(); // sent: a full disk now must not fail it

    const left = this.d.pools.connectionView().state === 'offline' ? 0 : Math.max(0, deadline - this.d.clock.mono());
    // Its own live event is the backend's verdict: taken at once, not after the rest of the wait (a backend slow to
    // answer held every member 1.5 s at the door). Unless it names a member the roster copy lacks: the answer names them in full.
    const named = (): boolean => {
      const seen = own.event?.body.member;
      return !seen || this.d.cache.byCardId(card)?.id === seen.id;
    };
    let wake = (): void => {};
    const ownEvent = new Promise<null>((r) => (wake = () => own.event && named() && r(null)));
    // Its reply, or null when none came within `ms` (its own event may have come).
    const answer = async (ms: number): Promise<Replies['checkin'] | null> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      this.waking.add(wake);
      wake(); // it may have come while the check-in was queued
      try {
        return await Promise.race([replied, ownEvent, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
      } finally {
        this.waking.delete(wake);
        clearTimeout(timer);
      }
    };
    let reply = await answer(left);
    // An answer about another card's member, or against its own record, is no verdict for this card: this PC decides.
    const wrong = reply && checkinReplyProblem(reply, card);
    if (wrong) {
      this.tellWrong(card, wrong, 'this PC decided the check-in from its copy of the roster');
      return this.decideHere(override, card, station);
    }
    const local = reply || own.event ? null : this.localVerdict(override, card);
    // Kept with the queued message, so the check survives a restart before the backend answers.
    if (local) {
      try {
        this.decisions.record(key, card, local.verdict, this.d.clock.now());
      } catch (e) {
        const disk = diskProblem(e);
        if (!disk) throw e;
        // The backend is there, only slow: it has the check-in, and its answer is the verdict. A refusal here would
        // fail a check-in it records (the desk scans again and hears "already checked in").
        if (this.d.pools.connectionView().state !== 'offline') reply = await answer(DISK_REFUSED_WAIT_MS);
        // Nothing here is kept (the outbox holds the check-in in memory, sent when the backend answers, lost at a
        // restart): a verdict the console cannot stand behind is not shown as one.
        if (!reply && !own.event) throw new UserError(`disk-${disk}`, CHECKIN_DISK_REFUSAL[disk], { detail: (e as Error).message });
        const late = reply && checkinReplyProblem(reply, card);
        if (late) {
          this.tellWrong(card, late, 'this PC decided the check-in from its copy of the roster');
          return this.decideHere(override, card, station);
        }
      }
    }
    if (reply) {
      // The backend has recorded it: a roster copy the disk cannot update does not undo that (RosterCache.status never throws for it).
      if (reply.member) this.d.cache.status(reply.member.id, reply.member.status);
      if (reply.verdict.allowed) this.admitted.admitted(station, card, brief(reply.member));
      return { ignored: null, verdict: reply.verdict, member: brief(reply.member), offline: false, occupancy: reply.occupancy, ...this.insideSince(reply.verdict, card, reply.member) };
    }
    // No answer yet, but the live feed showed the backend deciding it: that is its verdict (its answer is late).
    if (own.event) {
      const { verdict, member: seen, occupancy } = own.event.body;
      // Its member in full from the roster copy (the event names no expiry date); one the copy lacks is left unnamed.
      const cached = this.d.cache.byCardId(card);
      const member = seen && cached?.id === seen.id ? { ...cached, status: seen.status } : null;
      if (verdict.allowed) this.admitted.admitted(station, card, brief(member));
      // Its reply, when it comes, is the backend's answer: if it says otherwise, the desk follows it (by `key`).
      void replied.then((r) => this.replyAfterEvent(key, card, station, verdict, r));
      return { ignored: null, verdict, member: brief(member), offline: false, key, occupancy, ...this.insideSince(verdict, card, member) };
    }
    if (!local) throw new Error('front desk: a check-in with no verdict'); // cannot be: decided above when nothing came
    if (local.verdict.allowed) this.admitted.admitted(station, card, brief(local.member), true);
    this.decidedAt.set(key, station);
    // Bounded: answers that never come (a check-in discarded from the dead letters) must not pile up.
    if (this.decidedAt.size > 1_000) this.decidedAt.delete(this.decidedAt.keys().next().value!);
    // The backend up with its database down answers "cannot record": the desk says that, not "could not answer".
    const storageDown = this.d.pools.connectionView().cause?.kind === 'storage-unavailable';
    return { ignored: null, verdict: local.verdict, member: brief(local.member), offline: true, key, ...(storageDown && { storageDown }), occupancy: local.occupancy ?? null, ...this.insideSince(local.verdict, card, local.member) };
  }

  /**
   * A check-in the backend answered with something that cannot be right: it has the check-in (nothing waits to
   * send, nothing is reconciled), so the verdict is this PC's, from its roster copy, as when it does not answer.
   */
  private decideHere(override: { note: string } | undefined, card: string, station: string): CheckinResult {
    const local = this.localVerdict(override, card);
    if (local.verdict.allowed) this.admitted.admitted(station, card, brief(local.member), true);
    return { ignored: null, verdict: local.verdict, member: brief(local.member), offline: true, wrongAnswer: true, occupancy: local.occupancy ?? null, ...this.insideSince(local.verdict, card, local.member) };
  }

  /** Overrides staff made, into the audit log: one the disk refuses waits here (said once in the log), never failing its check-in. */
  private auditOverrides(): void {
    while (this.unaudited.length) {
      const o = this.unaudited[0]!;
      if (!this.quiet.attempt('the audit log (staff overrides)', () => this.d.audit.record(o.staff, 'checkin.override', `card ${backendId(o.card)}`, undefined, { note: o.note }))) {
        if (this.unaudited.length > 1_000) this.unaudited.shift(); // bounded: the oldest goes first
        return;
      }
      this.unaudited.shift();
    }
  }

  /** This PC's verdict: the offline policy's, or a staff override of a member the roster copy knows. */
  private localVerdict(override: { note: string } | undefined, card: string): { verdict: Verdict; member: Member | undefined; occupancy?: number } {
    // Staff may let a known member in past any denial this PC made, a full gym included: its count is an estimate (it
    // cannot see people leave), and staff can see the floor. The backend, back, still turns it down if the gym is full.
    // Only past a denial, as the backend does: one let in anyway is no override (review27 V9's shared table).
    const own = this.decideOffline(card);
    return override && !own.verdict.allowed && this.d.cache.byCardId(card) ? { verdict: { allowed: true, reason: 'override' }, member: this.nowFor(card) } : own;
  }

  /** The backend's error, counted with its protocol errors and told in the event log for IT (`then`: what this PC did instead). */
  private tellWrong(card: string, p: CheckinReplyProblem, then: string): void {
    const raw = p.kind === 'other-card' ? `checkin reply for card ${card} names card ${p.named}` : `checkin reply lets card ${card} in (${p.reason}) with member status ${p.status}`;
    this.d.onWrong?.(wrongCheckinAnswerWords(card, p, then), raw);
  }

  /**
   * A check-in shown from its live event, then answered otherwise by its reply (a backend that sent two events for
   * one request): the reply wins, as it does over a verdict this PC decided itself; staff see the change and why.
   */
  private replyAfterEvent(key: string, card: string, station: string, shown: Verdict, r: Replies['checkin']): void {
    const wrong = checkinReplyProblem(r, card);
    if (wrong) return this.tellWrong(card, wrong, "the verdict shown stays the one of the gym's system's live event for this card");
    if (r.verdict.allowed === shown.allowed && r.verdict.reason === shown.reason) return;
    if (r.verdict.allowed) this.admitted.admitted(station, card, brief(r.member));
    else this.admitted.forget(card);
    const a: AnsweredCheckin = { key, decided: shown, verdict: r.verdict, fromEvent: true, member: brief(r.member) };
    this.answers = [a, ...this.answers].slice(0, ANSWERED_CHECKINS_KEPT);
    const who = r.member ? `${r.member.name} (card ${backendId(card)})` : `Card ${backendId(card)}`;
    this.d.onConflict(answeredOtherwiseWords(who, shown, r.verdict));
    this.d.onAnswered?.();
  }

  /** An answer whose member record could not be read names them from the roster copy: the verdict is the backend's all the same. */
  private withMember(r: Replies['checkin'], card: string): Replies['checkin'] {
    if (r.member || !r.leftOut) return r;
    return { ...r, member: this.d.cache.byCardId(card) ?? null };
  }

  /** A rescan waved through as the same visit is sent nowhere: staff still see it in the event log. */
  private tellRepeat(source: 'desk' | 'kiosk', card: string, again: Admission): void {
    const who = again.member ? `${again.member.name} (card ${backendId(card)})` : `Card ${backendId(card)}`;
    const place = source === 'kiosk' ? 'the kiosk' : 'the front desk';
    const secs = Math.max(1, Math.round((this.d.clock.mono() - again.at) / 1_000));
    const how = again.offline ? 'let in by this PC while the backend was away' : 'let in';
    this.d.onRepeat?.(`${who} shown again at ${place} ${secs} s after being ${how} there: taken as the same visit, not sent to the backend.`);
  }

  /** For "already checked in": when the live feed showed them go in, so the desk can say so. */
  private insideSince(v: Verdict, card: string, m: Member | null | undefined): { insideSince?: number } {
    if (v.reason !== 'duplicate') return {};
    const after = this.d.clock.now() - OFFLINE_VISIT_MS;
    // Let in here while the backend was away is inside too, since then: staff judge "left and came back" by it (probe27a P6).
    const at = this.presence.since(card, m?.id, after) ?? this.decisions.admittedAt(card, after);
    return at === null ? {} : { insideSince: at };
  }

  requireNote(note: string | undefined): void {
    if (!note || note.trim().length < 3) throw new UserError('note-required', 'An override needs a note saying why.');
  }
}
