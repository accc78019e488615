import type { Verdict } from '../../../shared/protocol';

/**
 * A check-in sent this long or more after its scan waited in the outbox (the backend away, or not
 * answering): it says when it was scanned, so staff see it at that time, not when the backend came back.
 * Normal traffic goes out within a second or two of the scan (the desk waits 1.5 s for a verdict) and
 * carries none: the backend's clock is then as good as the scan's.
 */
export const SCAN_TIME_AFTER_MS = 5_000;

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
  const late = at.waited === null || at.waited >= SCAN_TIME_AFTER_MS;
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
