import type { Verdict } from '../../../shared/protocol';

/**
 * A check-in that reaches the backend this long after its scan or later went late (it waited in the
 * outbox while the backend was away): it says when it was scanned, and the screens say it went late.
 * Under a minute the backend's clock is the better one: this PC's may be off by seconds.
 */
export const LATE_CHECKIN_MS = 60_000;

/** When a queued message is sent: `waited` is how long this console saw it wait (monotonic ms), null if it was queued before this run. */
export interface SendTime {
  now: number;
  waited: number | null;
}

/**
 * The text a queued message goes out as. A check-in that waited gets `scannedAt`, unless it already has
 * one: `waited` before now, so a PC clock set meanwhile (NTP after an outage) does not move the scan by
 * its correction; for one queued before this run, `created` (this PC's clock at the scan, kept in SQLite
 * with it) is all there is. One this PC decided itself while the backend was away gets `decidedOffline`:
 * that verdict (`decided`, looked up by its key), so every console can flag one the backend overrules.
 * Anything else goes out as stored, unparsed.
 */
export function bodyToSend(msg: { key: string; op: string; body: string; created: number }, at: SendTime, decided?: (key: string) => Verdict | undefined): string {
  if (msg.op !== 'checkin') return msg.body;
  // Queued before this run: it waited through a restart, however little this run has seen.
  const late = at.waited === null || at.waited >= LATE_CHECKIN_MS;
  const verdict = decided?.(msg.key);
  if (!late && !verdict) return msg.body;
  const body = objectIn(msg.body);
  if (!body) return msg.body;
  const scannedAt = at.waited === null ? msg.created : at.now - at.waited;
  return JSON.stringify({ ...body, ...(late && body.scannedAt === undefined && { scannedAt }), ...(verdict && { decidedOffline: verdict }) });
}

/**
 * A dead letter staff retry, as it goes back in the outbox: its wait starts again then, so a check-in
 * carries its scan time (`created`) in its body from then on, not the time of the retry.
 */
export function retriedBody(d: { op: string; body: string; created: number }): string {
  if (d.op !== 'checkin') return d.body;
  const body = objectIn(d.body);
  if (!body || body.scannedAt !== undefined) return d.body;
  return JSON.stringify({ ...body, scannedAt: d.created });
}

/**
 * A body that is not an object (a damaged row) is null, and goes out as stored: the backend refuses it, and it becomes a
 * dead letter staff can see, instead of a throw here that left it counted in flight and its lane stopped.
 */
function objectIn(text: string): { scannedAt?: unknown } | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { scannedAt?: unknown }) : null;
}
