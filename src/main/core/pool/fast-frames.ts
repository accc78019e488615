/**
 * The frames that are nearly all traffic, read without zod: an ack and an action's accepted reply
 * under load, the heartbeat's pong on every socket several times a second, and each socket's welcome
 * (hundreds at once when a pool opens).
 */
import { LIMITS, type InstanceLoad, type ServerFrame } from '../../../shared/protocol';
import { backendText } from '../../../shared/backend-text';

// Acks and action replies are read by hand, exactly as the schemas take them: an id of 1 to
// maxIdLength plain characters (no quote, backslash or control character, so no escapes) and nothing
// else. Anything else goes the long way (JSON and zod). No regex: its match arrays were a tenth of
// what a request allocated.
const ACK_HEAD = '{"t":"ack","id":"';
const REPLY_HEAD = '{"t":"reply","id":"';
const APPLIED_TAIL = '","ok":true,"body":{"applied":true}}';
const NOT_APPLIED_TAIL = '","ok":true,"body":{"applied":false}}';

/** Where a plain id starting at `from` ends (at its closing quote), or -1. */
function plainIdEnd(raw: string, from: number): number {
  const limit = Math.min(raw.length, from + LIMITS.maxIdLength + 1);
  for (let i = from; i < limit; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) return i > from ? i : -1;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}

export function ackId(raw: string): string | null {
  if (!raw.startsWith(ACK_HEAD)) return null;
  const end = plainIdEnd(raw, ACK_HEAD.length);
  return end > 0 && end === raw.length - 2 && raw.charCodeAt(end + 1) === 0x7d ? raw.slice(ACK_HEAD.length, end) : null;
}

export function actionReply(raw: string): { id: string; applied: boolean } | null {
  if (!raw.startsWith(REPLY_HEAD)) return null;
  const end = plainIdEnd(raw, REPLY_HEAD.length);
  if (end < 0) return null;
  const applied = raw.endsWith(APPLIED_TAIL) && raw.length - end === APPLIED_TAIL.length;
  if (!applied && !(raw.endsWith(NOT_APPLIED_TAIL) && raw.length - end === NOT_APPLIED_TAIL.length)) return null;
  return { id: raw.slice(REPLY_HEAD.length, end), applied };
}

/** The id of a reply written the usual way (`t`, then `id`), read without parsing the rest: null otherwise. */
export function replyId(raw: string): string | null {
  if (!raw.startsWith(REPLY_HEAD)) return null;
  const end = plainIdEnd(raw, REPLY_HEAD.length);
  return end < 0 ? null : raw.slice(REPLY_HEAD.length, end);
}

const PONG_HEAD = '{"t":"pong",';
/** Longer than any pong a backend writes (about 110 characters with its load): short, so JSON.parse needs no depth scan. */
const PONG_MAX = 256;
const MAX_SESSIONS = 1_000_000;
const MAX_LAG_MS = 600_000;

const wholeUpTo = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
const finiteUpTo = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max;

/**
 * A pong exactly as the schema takes it (`ts`, `head`, and v2's `load`, nothing else), read with
 * JSON.parse and checked by hand; null for anything else, which goes the long way (and is refused
 * or read there). At a 250 ms beat, zod on every pong was about 8 % of the pool's CPU in a light-traffic profile.
 */
export function pongFrame(raw: string): { t: 'pong'; ts: number; head: number; load?: InstanceLoad } | null {
  if (!raw.startsWith(PONG_HEAD) || raw.length > PONG_MAX) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  const f = v as { t?: unknown; ts?: unknown; head?: unknown; load?: unknown };
  if (typeof v !== 'object' || v === null || f.t !== 'pong' || !finiteUpTo(f.ts, Infinity) || !wholeUpTo(f.head, Number.MAX_SAFE_INTEGER)) return null;
  const load = loadOf(f.load);
  if (load === null || Object.keys(v).length !== (load ? 4 : 3)) return null;
  return load ? { t: 'pong', ts: f.ts, head: f.head, load } : { t: 'pong', ts: f.ts, head: f.head };
}

/** v2's load report as the schema takes it: undefined when absent, null when it is not exactly that. */
function loadOf(v: unknown): InstanceLoad | undefined | null {
  if (v === undefined) return undefined;
  const l = v as { sessions?: unknown; lagMs?: unknown };
  if (typeof l !== 'object' || l === null || Object.keys(l).length !== 2 || !wholeUpTo(l.sessions, MAX_SESSIONS) || !finiteUpTo(l.lagMs, MAX_LAG_MS)) return null;
  return { sessions: l.sessions, lagMs: l.lagMs };
}

const WELCOME_HEAD = '{"t":"welcome",';
/** A welcome with the longest instance name the schema takes, every character escaped, is well under this. */
const WELCOME_MAX = 8 * 1024;

type Welcome = Extract<ServerFrame, { t: 'welcome' }>;

/**
 * A welcome exactly as the schema takes it, read by hand; null for anything else (the long way).
 * The first welcome through zod compiled the whole frame schema (10 to 20 ms) and each cost about a
 * tenth of a ms more: while a pool opens, every other socket's welcome waited behind them.
 */
export function welcomeFrame(raw: string): Welcome | null {
  if (!raw.startsWith(WELCOME_HEAD) || raw.length > WELCOME_MAX) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  const f = v as { t?: unknown; version?: unknown; instance?: unknown; heartbeatMs?: unknown; limits?: unknown; load?: unknown };
  if (typeof v !== 'object' || v === null || f.t !== 'welcome') return null;
  if (!Number.isInteger(f.version) || (f.version as number) < 1 || (f.version as number) > 1_000) return null;
  if (typeof f.instance !== 'string' || f.instance.length > LIMITS.maxShownTextLength) return null;
  if (!Number.isInteger(f.heartbeatMs) || (f.heartbeatMs as number) <= 0 || (f.heartbeatMs as number) > 86_400_000) return null;
  const limits = f.limits as { maxFrameBytes?: unknown } | null;
  if (typeof limits !== 'object' || limits === null || Object.keys(limits).length !== 1) return null;
  const max = limits.maxFrameBytes;
  if (!Number.isInteger(max) || (max as number) <= 0 || (max as number) > 2 ** 30) return null;
  const load = loadOf(f.load);
  if (load === null || Object.keys(v).length !== (load ? 6 : 5)) return null;
  const frame: Welcome = {
    t: 'welcome',
    version: f.version as number,
    instance: backendText(f.instance, LIMITS.maxNameLength),
    heartbeatMs: f.heartbeatMs as number,
    limits: { maxFrameBytes: max as number },
  };
  if (load) frame.load = load;
  return frame;
}
