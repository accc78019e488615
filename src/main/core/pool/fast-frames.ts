/**
 * The frames that are nearly all traffic, read without zod: an ack and an action's accepted reply
 * under load, and the heartbeat's pong on every socket several times a second.
 */
import { LIMITS, type InstanceLoad } from '../../../shared/protocol';

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
 * or read there). At a 250 ms beat, zod on every pong was a fifth of a quiet pool's CPU.
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
  let keys = 3;
  let load: InstanceLoad | undefined;
  if (f.load !== undefined) {
    const l = f.load as { sessions?: unknown; lagMs?: unknown };
    if (typeof l !== 'object' || l === null || Object.keys(l).length !== 2 || !wholeUpTo(l.sessions, MAX_SESSIONS) || !finiteUpTo(l.lagMs, MAX_LAG_MS)) return null;
    load = { sessions: l.sessions, lagMs: l.lagMs };
    keys++;
  }
  if (Object.keys(v).length !== keys) return null;
  return load ? { t: 'pong', ts: f.ts, head: f.head, load } : { t: 'pong', ts: f.ts, head: f.head };
}
