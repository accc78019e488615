/**
 * The two frames that are nearly all traffic under load, read without JSON or zod: an ack and an
 * action's accepted reply.
 */
import { LIMITS } from '../../../shared/protocol';

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
