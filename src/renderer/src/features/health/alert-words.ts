import type { AlertView } from '../../../../shared/health';
import { formatDuration } from '../../../../shared/duration';
import { formatAge, formatStamp, formatTime } from '../../format';

/** An alert's state in staff words: "pending" and "firing" are the alerting engine's. */
export const STATE_TEXT: Record<AlertView['state'], string> = { pending: 'Starting: told if it lasts', firing: 'Active', resolved: 'Resolved' };

/** The state beside an alert: a part of another alert is never told itself, so "told if it lasts" would contradict its note (readme25 W9). */
export const stateWords = (a: Pick<AlertView, 'state' | 'inhibitedBy'> & { clearedAt?: number | null }): string =>
  a.inhibitedBy && a.state === 'pending' ? 'Starting' : a.state === 'firing' && a.clearedAt != null ? 'Back to normal, closing' : STATE_TEXT[a.state];

/** An active alert whose trouble has cleared: it closes only after the rule's wait, so a quick relapse stays one alert. */
export const clearingWords = (clearedAt: number): string => `Back to normal since ${formatTime(clearedAt)}; the alert closes if it stays normal for a short while.`;

/**
 * The trouble's length as the resolved notice says it, to when it cleared; the alert closes only
 * after the rule's wait, so its end is a later time: say both, or they read as two lengths.
 */
export const overWords = (a: AlertView): string => {
  const over = formatTime(a.resolvedAt!);
  // A start's loss happened before the start and never heals: it is only ever closed (review26 V7, V9).
  if (a.kind === 'lost') return `closed at ${over}`;
  const wait = a.clearedAt !== null && a.resolvedAt! - a.clearedAt >= 1_000 ? ` after ${formatDuration(a.resolvedAt! - a.clearedAt)} back to normal` : '';
  return `trouble lasted ${formatDuration(a.durationMs!)}; closed at ${over}${wait}`;
};

/**
 * When the trouble began and, while on, how long so far: "since Jun 10, 10:00:24 AM · 70 h 1 min so far".
 * The date is said when it is not today (a bare "10:00 AM" read as today's after days). The length is the
 * engine's monotonic one: `now − since` went negative ("-7138 s") when the PC's clock was set back past the start.
 */
export const sinceWords = (a: AlertView, now: number): string => {
  // Beside "Resolved", "since" would read as still going: it is when the trouble began.
  const start = `${a.state === 'resolved' ? 'from' : 'since'} ${formatStamp(a.since, now)}`;
  if (a.state === 'resolved') return a.durationMs !== null ? `${start} · ${overWords(a)}` : start;
  // Back to normal, waiting to close: how long the trouble lasted, not a count still running (readme27 W7).
  const age = formatAge(a.ageMs ?? Math.max(0, now - a.since));
  return a.state === 'firing' && a.clearedAt !== null ? `${start} · ${age} of trouble` : `${start} · ${age} so far`;
};
