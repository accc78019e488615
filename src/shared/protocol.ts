import { z } from 'zod';

/** Wire protocol v1 between the console and a gym backend instance. See docs/protocol.md. */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_VERSIONS: readonly number[] = [1];

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
  maxQueryLength: 100,
  maxCardIdLength: 32,
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

export const MemberSchema = z.object({
  id: z.string(),
  cardId: z.string(),
  name: z.string(),
  phone: z.string(),
  status: z.enum(MEMBER_STATUSES),
  expiresOn: z.string(),
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
    cardId: z.string(),
    member: MemberSchema.pick({ id: true, name: true, status: true }).nullable(),
    verdict: VerdictSchema,
    source: z.enum(CHECKIN_SOURCES),
    occupancy: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('checkout'),
    memberId: z.string(),
    name: z.string(),
    auto: z.boolean(),
    occupancy: z.number().int().nonnegative(),
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
  }),
  /** One page of the roster, for the console's offline cache. */
  roster: z.object({ afterId: z.string().max(LIMITS.maxIdLength), limit: z.number().int().min(1).max(200) }),
  lookup: z.object({ query: z.string().min(1).max(LIMITS.maxQueryLength) }),
  snapshot: z.object({}),
  /** A staff or system action (door open, note, sync…); unknown kinds are refused for good. */
  action: z.object({ kind: z.string().min(1).max(40), data: z.string().max(8_192) }),
} as const;

export const ACTION_KINDS = ['door.open', 'staff.note', 'sync', 'notify', 'broadcast'] as const;
export type Op = keyof typeof RequestBodies;

export interface Replies {
  checkin: { verdict: Verdict; member: Member | null; occupancy: number; seq: number };
  /** total: all matches, of which `members` are the first; older backends leave it out. */
  lookup: { members: Member[]; total?: number };
  snapshot: { head: number; occupancy: number; capacity: number; recent: SequencedEvent[] };
  action: { applied: boolean };
  roster: { members: Member[]; done: boolean };
}

export interface SequencedEvent {
  seq: number;
  ts: number;
  body: GymEvent;
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
  z.object({ t: z.literal('hello'), versions: z.array(z.number().int()).min(1).max(16), token: z.string().max(256), client: z.string().max(64) }),
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
] as const;

export const ServerFrameSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('welcome'),
    version: z.number().int(),
    instance: z.string(),
    heartbeatMs: z.number().int().positive(),
    limits: z.object({ maxFrameBytes: z.number().int().positive() }),
  }),
  // head: the newest event sequence, so a lost tail shows within one heartbeat.
  z.object({ t: z.literal('pong'), ts: z.number(), head: z.number().int().nonnegative() }),
  z.object({ t: z.literal('ack'), id }),
  z.discriminatedUnion('ok', [
    z.object({ t: z.literal('reply'), id, ok: z.literal(true), body: z.unknown() }),
    z.object({ t: z.literal('reply'), id, ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
  ]),
  z.object({ t: z.literal('subbed'), stream: z.literal(STREAM), head: z.number().int().nonnegative(), gap: z.boolean() }),
  z.object({ t: z.literal('event'), stream: z.literal(STREAM), seq: z.number().int().positive(), ts: z.number(), body: GymEventSchema }),
  z.object({ t: z.literal('error'), code: z.enum(ERROR_CODES), message: z.string(), id: id.optional() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Parses one text frame; never throws. */
export function parseFrame<T>(schema: z.ZodType<T>, raw: string): { ok: true; frame: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'frame is not JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, frame: parsed.data } : { ok: false, error: z.prettifyError(parsed.error) };
}
