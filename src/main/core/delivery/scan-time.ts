/**
 * A check-in that reaches the backend this long after its scan or later went late (it waited in the
 * outbox while the backend was away): it says when it was scanned, and the screens say it went late.
 * Under a minute the backend's clock is the better one: this PC's may be off by seconds.
 */
export const LATE_CHECKIN_MS = 60_000;

/**
 * The text a queued message goes out as. A check-in that waited gets `scannedAt`: when it was queued
 * (`created`, this PC's clock at the scan, kept in SQLite with it), unless it already has one.
 * Anything else goes out as stored, unparsed.
 */
export function bodyToSend(msg: { op: string; body: string; created: number }, now: number): string {
  if (msg.op !== 'checkin' || now - msg.created < LATE_CHECKIN_MS) return msg.body;
  const body = JSON.parse(msg.body) as { scannedAt?: number };
  return body.scannedAt === undefined ? JSON.stringify({ ...body, scannedAt: msg.created }) : msg.body;
}
