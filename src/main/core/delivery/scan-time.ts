import type { Verdict } from '../../../shared/protocol';

/**
 * A check-in that reaches the backend this long after its scan or later went late (it waited in the
 * outbox while the backend was away): it says when it was scanned, and the screens say it went late.
 * Under a minute the backend's clock is the better one: this PC's may be off by seconds.
 */
export const LATE_CHECKIN_MS = 60_000;

/**
 * The text a queued message goes out as. A check-in that waited gets `scannedAt`: when it was queued
 * (`created`, this PC's clock at the scan, kept in SQLite with it), unless it already has one. One this
 * PC decided itself while the backend was away gets `decidedOffline`: that verdict (`decided`, looked up
 * by its key), so every console can flag one the backend overrules. Anything else goes out as stored, unparsed.
 */
export function bodyToSend(msg: { key: string; op: string; body: string; created: number }, now: number, decided?: (key: string) => Verdict | undefined): string {
  if (msg.op !== 'checkin') return msg.body;
  const late = now - msg.created >= LATE_CHECKIN_MS;
  const verdict = decided?.(msg.key);
  if (!late && !verdict) return msg.body;
  // A body that is not an object (a damaged row) goes out as stored: the backend refuses it, and it becomes a
  // dead letter staff can see, instead of a throw here that left it counted in flight and its lane stopped.
  let body: { scannedAt?: number };
  try {
    body = JSON.parse(msg.body) as { scannedAt?: number };
  } catch {
    return msg.body;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return msg.body;
  return JSON.stringify({ ...body, ...(late && body.scannedAt === undefined && { scannedAt: msg.created }), ...(verdict && { decidedOffline: verdict }) });
}
