import type { MemberStatus } from './protocol';

/**
 * A membership's standing on a day of the gym's calendar. The backend sends a status and an end date
 * (`expiresOn`); the status is as of when it was sent. The reference backend stores the status and never
 * derives it from the date, so there is no "expires soon" window to compute here: only "ended", the one
 * thing the date alone says for sure. Used by the offline decisions (main) and the words by tense (renderer).
 */

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day at `at` (wall ms) in the gym's time zone (Analytics' "Time zone"), as "2026-07-09".
 * A zone this runtime does not know (the settings never accept one) falls back to this PC's.
 */
export function gymDay(at: number, zone: string): string {
  let f = dayFormats.get(zone);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    } catch {
      f = new Intl.DateTimeFormat('en-US', options);
    }
    dayFormats.set(zone, f);
  }
  const parts = f.formatToParts(at);
  const part = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/**
 * The membership's last day as "YYYY-MM-DD", or null when `expiresOn` is not an ISO date. The protocol allows
 * any short string: an ISO date ("2026-07-02"), or an ISO date and time ("2026-07-02T23:59:59Z"), whose date
 * as written is the day (the backend's own calendar). Anything else, or a day no calendar has, is not read.
 */
export function endDay(expiresOn: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(expiresOn.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(2000, mo - 1, d));
  probe.setUTCFullYear(y);
  return probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** The membership's last day is before `today` (both "YYYY-MM-DD"); false when the date cannot be read. */
export function hasEnded(expiresOn: string, today: string): boolean {
  const end = endDay(expiresOn);
  return end !== null && end < today;
}

/**
 * The member's status on `today` (the gym's day): one still "active" or "expires soon" as of the last sync
 * whose last day has passed is "expired". An unreadable date keeps the stored status: a member in good
 * standing is not turned away for a date format; frozen and unpaid stay what they are (their own reasons).
 */
export function statusOn(m: { status: MemberStatus; expiresOn: string }, today: string): MemberStatus {
  return (m.status === 'active' || m.status === 'expiring') && hasEnded(m.expiresOn, today) ? 'expired' : m.status;
}
