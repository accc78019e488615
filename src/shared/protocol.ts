import { z } from 'zod';
import { parseBoundedJson } from './json-guard';
import { backendLines, backendText } from './backend-text';
import { personName } from './person-name';

/**
 * Wire protocol between the console and a gym backend instance. See docs/protocol.md.
 * v2 adds each instance's load to `welcome` and `pong`; a v1 peer never sees it.
 */
export const PROTOCOL_VERSION = 2;
export const SUPPORTED_VERSIONS: readonly number[] = [1, 2];

export const LIMITS = {
  /** Larger frames are refused by both peers (ws maxPayload) before parsing. */
  maxFrameBytes: 64 * 1024,
  /** A hello must arrive this soon after the socket opens. */
  helloTimeoutMs: 5_000,
  /** Server events kept for replay; older resumes get `gap: true`. */
  replayRetention: 50_000,
  /** Request ids remembered for idempotent replies. */
  idempotencyWindow: 100_000,
  maxIdLength: 64,
  /** The backend token in `hello`; the console refuses a longer one wherever it is typed, given or saved. */
  maxTokenLength: 256,
  maxQueryLength: 100,
  maxCardIdLength: 32,
  /** Names, phone numbers, dates and messages: generous for people, small for memory. */
  maxNameLength: 200,
  /**
   * Text only people read (names, phone numbers, an override's note and staff) longer than its bound is cut to
   * it, not refused: a roster imported from elsewhere can hold a longer name, and refusing it cost the whole
   * event or roster page. Past this it is not text for people at all (an attack, a bug) and is refused.
   */
  maxShownTextLength: 1_000,
  maxMessageLength: 1_000,
  /** A staff or system action's kind and its data (a note, a door): the console refuses longer at its own boundary. */
  maxActionKindLength: 40,
  maxActionDataLength: 8_192,
  /** Members in one lookup or roster reply, events in one snapshot. */
  maxMembersPerReply: 200,
  maxRecentEvents: 500,
  /**
   * The oldest `scannedAt` a backend takes as it is; an older one is taken as this old. A day: as long
   * as a console's outbox keeps a check-in waiting while it runs, so only one kept over a PC switched
   * off, or a dead letter staff retried days later, reaches it.
   */
  maxScanAgeMs: 24 * 3_600_000,
} as const;

export const MEMBER_STATUSES = ['active', 'expiring', 'expired', 'frozen', 'unpaid'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Why a check-in was allowed or denied. A denial always carries one of the denied reasons. */
export const ALLOW_REASONS = ['ok', 'expiring-soon', 'override'] as const;
export const DENY_REASONS = ['expired', 'frozen', 'unpaid', 'unknown-card', 'duplicate', 'capacity-full'] as const;
export type AllowReason = (typeof ALLOW_REASONS)[number];
export type DenyReason = (typeof DENY_REASONS)[number];

const id = z.string().min(1).max(LIMITS.maxIdLength);
const cardId = z.string().min(1).max(LIMITS.maxCardIdLength);
/** Read by people only, so cut to `max` rather than refused (see maxShownTextLength); cleaned as backend-text.ts says. */
const shown = (max: number) => z.string().max(LIMITS.maxShownTextLength).transform((s) => backendText(s, max));
const name = shown(LIMITS.maxNameLength);
/** A member's name: nothing in it anyone cannot see, and never blank (person-name.ts). */
const memberName = z.string().max(LIMITS.maxShownTextLength).transform((s) => personName(s, LIMITS.maxNameLength));
// A message keeps its line breaks only so its first line can be told from a stack trace; each screen shows one line.
const message = z.string().max(LIMITS.maxMessageLength).transform(backendLines);
/** Counts and sequence numbers: whole, not negative, exact in a double. */
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/**
 * A wall-clock time (a backend's, or a console's scan) in ms since 1970, within the range a JavaScript
 * Date holds (±8.64e15). Only that is refused: a clock that is wrong by hours or years is still a clock,
 * and the console's clock check says so in words; ±1e300 is not a time at all. A fraction of a ms (a
 * Python backend's time.time() * 1000) is allowed and dropped here, as a Date drops it: every time
 * taken from the wire is whole, so it is stored as the whole number its SQLite column says it is.
 */
const wallClockMs = z
  .number()
  .finite()
  .min(0)
  .max(8.64e15)
  .transform((t) => Math.trunc(t));
/** The most people a backend may say are in one building, or it holds: a bound on the wire, not a belief. */
export const MOST_PEOPLE = 1_000_000;
/** People in one building: occupancy and capacity, each on its own; one against the other is occupancyProblem's. */
const people = count.max(MOST_PEOPLE);

/**
 * What a gym can hold, as far as the console believes a backend: the largest sports halls hold a few thousand.
 * Inside, the count may run past the capacity (overrides, members let in by a PC while the backend was away),
 * but not by half as many again (plus a few, for a small studio).
 */
export const OCCUPANCY_BOUNDS = { maxCapacity: 20_000, overBy: 0.5, overSlack: 20 } as const;

/**
 * A visit's longest stay: the reference backend checks a member out by itself this long after entry (there is no other
 * check-out), and while the backend is away this PC counts the same way: who is inside, and a card passed back.
 */
export const AUTO_CHECKOUT_MS = 3 * 3_600_000;

/** Why an occupancy the backend reported cannot be a count of people in a gym (occupancyProblem). */
export type OccupancyProblem = { kind: 'capacity'; capacity: number } | { kind: 'over'; count: number; capacity: number };

/**
 * A backend's count of who is inside against its capacity (0: none set), for what no building holds: a capacity past
 * OCCUPANCY_BOUNDS.maxCapacity, or a count past what that capacity (or, with none, the bound) can be overrun by. The
 * backend's error: the screens keep the last believable figure (negative or fractional counts never parse: `count`).
 */
export function occupancyProblem(count: number, capacity: number): OccupancyProblem | null {
  const b = OCCUPANCY_BOUNDS;
  if (capacity > b.maxCapacity) return { kind: 'capacity', capacity };
  const most = capacity > 0 ? Math.floor(capacity * (1 + b.overBy)) + b.overSlack : b.maxCapacity;
  return count > most ? { kind: 'over', count, capacity } : null;
}
/**
 * Which numbering of the event stream a `seq` belongs to: opaque, and new whenever the backend's log
 * starts over from 1 (a Redis that restarted empty, a backend restarted from scratch). Optional: older
 * backends leave it out.
 */
const epoch = z.string().min(1).max(64).regex(/^[\w.:-]+$/).optional();

/** v2: how busy an instance is, so consoles spread their requests across instances, not only within. */
export const InstanceLoadSchema = z.object({
  /** Console sockets that completed the handshake on this instance, ours included. */
  sessions: count.max(1_000_000),
  /** How late the instance's event loop runs (ms, recent 90th percentile). */
  lagMs: z.number().finite().nonnegative().max(600_000),
});
export type InstanceLoad = z.infer<typeof InstanceLoadSchema>;

/**
 * `id` and `cardId` are kept exactly as sent: the console sends them back (a check-in, a roster page's
 * cursor). Screens show them through `backendId`. Phone and expiry are only read by people: cleaned here.
 */
export const MemberSchema = z.object({
  id,
  cardId,
  name: memberName,
  phone: shown(32),
  status: z.enum(MEMBER_STATUSES),
  expiresOn: z.string().max(32).transform((s) => backendText(s)),
});
export type Member = z.infer<typeof MemberSchema>;

export const VerdictSchema = z.discriminatedUnion('allowed', [
  z.object({ allowed: z.literal(true), reason: z.enum(ALLOW_REASONS) }),
  z.object({ allowed: z.literal(false), reason: z.enum(DENY_REASONS) }),
]);
export type Verdict = z.infer<typeof VerdictSchema>;

export const CHECKIN_SOURCES = ['door', 'desk', 'kiosk'] as const;

export const GymEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('checkin'),
    cardId,
    member: MemberSchema.pick({ id: true, name: true, status: true }).nullable(),
    verdict: VerdictSchema,
    source: z.enum(CHECKIN_SOURCES),
    occupancy: people,
    /** When the card was scanned, if that was before the backend got it (a check-in queued offline); `ts` is when it got it. */
    scannedAt: wallClockMs.optional(),
    /** What the console decided while the backend was away, if it did; `verdict` is the backend's, which wins. */
    decidedOffline: VerdictSchema.optional(),
    /** A staff override: who let the member in and why, so every console can show it. Older backends leave it out. */
    override: z.object({ note: shown(500), staff: shown(64) }).optional(),
    /** The `id` of the request that made it, so the console that sent it knows its own event. Older backends leave it out. */
    requestId: z.string().max(LIMITS.maxIdLength).optional(),
  }),
  z.object({
    kind: z.literal('checkout'),
    memberId: id,
    name: memberName,
    auto: z.boolean(),
    occupancy: people,
  }),
]);
export type GymEvent = z.infer<typeof GymEventSchema>;

/** Requests a client may make; each op's body and reply are typed here. */
export const RequestBodies = {
  checkin: z.object({
    cardId,
    source: z.enum(CHECKIN_SOURCES),
    /** Staff letting a denied member in anyway; the note says why. */
    override: z.object({ note: z.string().trim().min(3).max(500), staff: z.string().max(64) }).optional(),
    /**
     * The console's wall clock at the scan, sent by a check-in that waited (the backend was away), so the
     * visit is recorded then. The backend bounds it (docs/protocol.md); an older backend drops it unread.
     */
    scannedAt: wallClockMs.optional(),
    /**
     * The verdict the console gave the member itself, the backend being away: carried into the event so
     * every console can flag one the backend overrules. An older backend drops it unread.
     */
    decidedOffline: VerdictSchema.optional(),
  }),
  /** One page of the roster, for the console's offline cache. */
  roster: z.object({ afterId: z.string().max(LIMITS.maxIdLength), limit: z.number().int().min(1).max(200) }),
  lookup: z.object({ query: z.string().min(1).max(LIMITS.maxQueryLength) }),
  snapshot: z.object({}),
  /** A staff or system action (door open, note, sync…); unknown kinds are refused for good. */
  action: z.object({ kind: z.string().min(1).max(LIMITS.maxActionKindLength), data: z.string().max(LIMITS.maxActionDataLength) }),
} as const;

export const ACTION_KINDS = ['door.open', 'staff.note', 'sync', 'notify', 'broadcast'] as const;
export type Op = keyof typeof RequestBodies;

/** A `scannedAt` as a receiver takes it: never after `at` (when it got it), never more than a day before. */
export const scanTimeWithin = (scannedAt: number, at: number): number => Math.min(at, Math.max(at - LIMITS.maxScanAgeMs, scannedAt));

export const SequencedEventSchema = z.object({ seq: count.min(1), ts: wallClockMs, body: GymEventSchema });
export type SequencedEvent = z.infer<typeof SequencedEventSchema>;

/**
 * An event whose place in the stream can be read (its `seq` and `ts`) but whose body cannot (an id past its
 * bound, an unknown kind): it costs that one event, never the stream after it (docs/protocol.md).
 */
export interface UnreadableEvent {
  seq: number;
  ts: number;
  /** What was wrong, for the log and IT: never the frame's content. */
  problem: string;
}
const EventPlace = z.object({ seq: count.min(1), ts: wallClockMs });

/** One event of a list (a snapshot's `recent`): the event, or its place and what was wrong with it. */
function readEvent(raw: unknown): { ok: true; event: SequencedEvent } | { ok: false; problem: string; unreadable: UnreadableEvent | null } {
  const parsed = SequencedEventSchema.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  const problem = firstIssue(parsed.error);
  const place = EventPlace.safeParse(raw);
  return { ok: false, problem, unreadable: place.success ? { ...place.data, problem } : null };
}

/**
 * A snapshot's history, each event on its own: one that cannot be read is left out and named in
 * `unreadable` (its seq, null when even that is unreadable). Refused whole, it kept the console from ever
 * catching up (probe-hostile15 R1): they are history only, shown, never applied.
 */
function readRecent(items: unknown[]): { recent: SequencedEvent[]; unreadable?: { seq: number | null; problem: string }[] } {
  const recent: SequencedEvent[] = [];
  const unreadable: { seq: number | null; problem: string }[] = [];
  for (const item of items) {
    const r = readEvent(item);
    if (r.ok) recent.push(r.event);
    else unreadable.push({ seq: r.unreadable?.seq ?? null, problem: r.problem });
  }
  return unreadable.length ? { recent, unreadable } : { recent };
}

/**
 * Members of one reply the console could not read (an id past its bound, a status it does not know): left
 * out one by one, so one bad record costs that member, never the page or the search (docs/protocol.md).
 */
export interface LeftOutMembers {
  count: number;
  /** What was wrong with the first, for the log and IT: never the record's content. */
  problem: string;
  /** One mark per member left out (its id as sent, bounded), so the same record is told once however often it comes. */
  marks: string[];
  /** The ids of those whose id itself could be read: the roster copy keeps its older record of them. */
  ids: string[];
}

/** A left-out member's mark: its id as sent where it has one (cut: it may be far past the bound), else what was wrong. */
const markOf = (raw: unknown, problem: string): string => {
  const sent = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof sent === 'string' ? `id ${sent.slice(0, LIMITS.maxIdLength + 1)} (${sent.length})` : `no id: ${problem}`;
};

/** A reply's members, each on its own: the readable ones in order, and the rest counted in `leftOut`. */
export function readMembers(items: readonly unknown[]): { members: Member[]; leftOut?: LeftOutMembers } {
  const members: Member[] = [];
  let leftOut: LeftOutMembers | undefined;
  for (const item of items) {
    const parsed = MemberSchema.safeParse(item);
    if (parsed.success) {
      members.push(parsed.data);
      continue;
    }
    const problem = firstIssue(parsed.error);
    leftOut ??= { count: 0, problem, marks: [], ids: [] };
    leftOut.count++;
    leftOut.marks.push(markOf(item, problem));
    const known = id.safeParse(typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined);
    if (known.success) leftOut.ids.push(known.data);
  }
  return leftOut ? { members, leftOut } : { members };
}

/**
 * Where the next roster page starts: after the page's last member as sent, even one left out, when its id
 * can be sent back; else after the last one read. Without it a page whose last members cannot be read
 * would be asked for again and again, or (all of it unreadable) end the sync.
 */
function nextAfter(items: readonly unknown[], read: readonly Member[]): string | undefined {
  const last = items.at(-1);
  const sent = id.safeParse(typeof last === 'object' && last !== null ? (last as { id?: unknown }).id : undefined);
  return sent.success ? sent.data : read.at(-1)?.id;
}

// The list is bounded as a whole (a reply of more is not the protocol); its members are read one by one.
const members = z.array(z.unknown()).max(LIMITS.maxMembersPerReply);

/** Each op's reply body, checked before anything uses it: a backend is a peer, not a trusted caller. */
export const ReplyBodies = {
  /** Its member read on its own: one the console cannot read costs the record (`leftOut`), never the verdict. */
  checkin: z.object({ verdict: VerdictSchema, member: z.unknown(), occupancy: people, seq: count }).transform(({ member, ...rest }) => {
    if (member === null) return { ...rest, member: null };
    const read = readMembers([member]);
    return { ...rest, member: read.members[0] ?? null, ...(read.leftOut && { leftOut: read.leftOut }) };
  }),
  /** total: all matches, of which `members` are the first; older backends leave it out. */
  lookup: z.object({ members, total: count.optional() }).transform(({ members, ...rest }) => ({ ...rest, ...readMembers(members) })),
  snapshot: z
    .object({ head: count, occupancy: people, capacity: people, recent: z.array(z.unknown()).max(LIMITS.maxRecentEvents), epoch })
    .transform(({ recent, ...rest }) => ({ ...rest, ...readRecent(recent) })),
  action: z.object({ applied: z.boolean() }),
  /** `after`: where the next page starts (see nextAfter); not on the wire. */
  roster: z.object({ members, done: z.boolean() }).transform(({ members, done }) => {
    const read = readMembers(members);
    const after = nextAfter(members, read.members);
    return { ...read, done, ...(after !== undefined && { after }) };
  }),
} satisfies { [O in Op]: z.ZodType };
export type Replies = { [O in Op]: z.infer<(typeof ReplyBodies)[O]> };

/** Statuses a backend turns a member away for: an admission of one (other than a staff override) contradicts itself. */
const NOT_LET_IN: readonly MemberStatus[] = ['expired', 'frozen', 'unpaid'];

/** Why a check-in's answer is no answer to the check-in sent (checkinReplyProblem). */
export type CheckinReplyProblem = { kind: 'other-card'; named: string } | { kind: 'contradicts'; reason: AllowReason; status: MemberStatus };

/**
 * What makes a check-in's answer no answer to the check-in sent for `cardId` (null when it can stand): a member
 * record for another card (the backend mixed up its replies or its roster), or an admission, other than an
 * override, of a member the same answer says is expired, frozen or unpaid. The console cannot tell which part is
 * wrong, so the verdict is not shown for this card (docs/protocol.md, "Answers that cannot be right").
 */
export function checkinReplyProblem(reply: { verdict: Verdict; member: Pick<Member, 'cardId' | 'status'> | null }, cardId: string): CheckinReplyProblem | null {
  const m = reply.member;
  if (!m) return null;
  if (m.cardId !== cardId) return { kind: 'other-card', named: m.cardId };
  const v = reply.verdict;
  if (v.allowed && v.reason !== 'override' && NOT_LET_IN.includes(m.status)) return { kind: 'contradicts', reason: v.reason, status: m.status };
  return null;
}

export const STREAM = 'gym';

const ClientReq = z.discriminatedUnion('op', [
  z.object({ t: z.literal('req'), id, op: z.literal('checkin'), body: RequestBodies.checkin }),
  z.object({ t: z.literal('req'), id, op: z.literal('lookup'), body: RequestBodies.lookup }),
  z.object({ t: z.literal('req'), id, op: z.literal('snapshot'), body: RequestBodies.snapshot }),
  z.object({ t: z.literal('req'), id, op: z.literal('action'), body: RequestBodies.action }),
  z.object({ t: z.literal('req'), id, op: z.literal('roster'), body: RequestBodies.roster }),
]);

export const ClientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), versions: z.array(z.number().int()).min(1).max(16), token: z.string().max(LIMITS.maxTokenLength), client: z.string().max(64) }),
  z.object({ t: z.literal('ping'), ts: z.number() }),
  z.object({ t: z.literal('sub'), stream: z.literal(STREAM), after: z.number().int().nonnegative() }),
  z.object({ t: z.literal('unsub'), stream: z.literal(STREAM) }),
  ClientReq,
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ERROR_CODES = [
  'bad-frame',
  'frame-too-large',
  'unsupported-version',
  'unauthorized',
  'not-ready',
  'bad-request',
  'internal',
  /** The backend is up but its shared storage (Redis) is not: nothing was applied, retry later. */
  'backend-storage-unavailable',
] as const;

export const ServerFrameSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('welcome'),
    version: z.number().int().min(1).max(1_000),
    instance: name,
    // Neither is used by the console; bounded so that what is read is a number a peer could mean.
    heartbeatMs: z.number().int().positive().max(86_400_000),
    limits: z.object({ maxFrameBytes: z.number().int().positive().max(2 ** 30) }),
    load: InstanceLoadSchema.optional(), // v2
  }),
  // head: the newest event sequence, so a lost tail shows within one heartbeat.
  // ts: the console's monotonic ms, echoed; whether it answers a ping is the heartbeat's to say.
  z.object({ t: z.literal('pong'), ts: z.number().finite().nonnegative(), head: count, load: InstanceLoadSchema.optional() /* v2 */ }),
  z.object({ t: z.literal('ack'), id }),
  // The body is checked against its op's schema (ReplyBodies) by whoever knows the op.
  z.discriminatedUnion('ok', [
    z.object({ t: z.literal('reply'), id, ok: z.literal(true), body: z.unknown() }),
    z.object({ t: z.literal('reply'), id, ok: z.literal(false), error: z.object({ code: z.string().max(64), message }) }),
  ]),
  // capacity: the gym's now, at every (re)subscribe, so a backend restarted with another is seen; older backends leave it out.
  z.object({ t: z.literal('subbed'), stream: z.literal(STREAM), head: count, gap: z.boolean(), epoch, capacity: people.optional() }),
  z.object({ t: z.literal('event'), stream: z.literal(STREAM), seq: count.min(1), ts: wallClockMs, body: GymEventSchema }),
  z.object({ t: z.literal('error'), code: z.enum(ERROR_CODES), message, id: id.optional() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Parses one text frame, its nesting bounded before anything walks it; never throws. */
export function parseFrame<T>(schema: z.ZodType<T>, raw: string): { ok: true; frame: T } | { ok: false; error: string } {
  const json = parseBoundedJson(raw);
  if (!json.ok) return { ok: false, error: `frame is ${json.error}` };
  const parsed = schema.safeParse(json.value);
  return parsed.success ? { ok: true, frame: parsed.data } : { ok: false, error: firstIssue(parsed.error) };
}

/**
 * A backend frame as the console reads it: as `parseFrame`, and for an `event` whose body alone breaks the
 * protocol, its place in the stream, so the feed can step past that one event (event-feed.ts).
 */
export function readServerFrame(raw: string): { ok: true; frame: ServerFrame } | { ok: false; error: string; unreadable?: UnreadableEvent } {
  const json = parseBoundedJson(raw);
  if (!json.ok) return { ok: false, error: `frame is ${json.error}` };
  const parsed = ServerFrameSchema.safeParse(json.value);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const error = firstIssue(parsed.error);
  const v = json.value as { t?: unknown; stream?: unknown } | null;
  if (typeof v !== 'object' || v === null || v.t !== 'event' || v.stream !== STREAM) return { ok: false, error };
  const r = readEvent(v);
  return r.ok || !r.unreadable ? { ok: false, error } : { ok: false, error, unreadable: r.unreadable };
}

/** One line for a log or an error frame: the first problem and where, and how many more. */
export function firstIssue(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  if (!first) return 'does not match the protocol';
  const at = first.path.length ? ` at ${first.path.join('.')}` : '';
  return `${first.message}${at}${rest.length ? ` (and ${rest.length} more)` : ''}`;
}
