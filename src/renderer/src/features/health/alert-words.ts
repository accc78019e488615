import type { AlertView } from '../../../../shared/health';
import { formatDuration } from '../../../../shared/duration';
import { formatTime } from '../../format';

/** An alert's state in staff words: "pending" and "firing" are the alerting engine's. */
export const STATE_TEXT: Record<AlertView['state'], string> = { pending: 'Starting: told if it lasts', firing: 'Active', resolved: 'Resolved' };

/** An active alert whose trouble has cleared: it closes only after the rule's wait, so a quick relapse stays one alert. */
export const clearingWords = (clearedAt: number): string => `Back to normal since ${formatTime(clearedAt)}; the alert closes if it stays normal for a short while.`;

/**
 * The trouble's length as the resolved notice says it, to when it cleared; the alert closes only
 * after the rule's wait, so its end is a later time: say both, or they read as two lengths.
 */
export const overWords = (a: AlertView): string => {
  const over = formatTime(a.resolvedAt!);
  const wait = a.clearedAt !== null ? ` after ${formatDuration(a.resolvedAt! - a.clearedAt)} back to normal` : '';
  return `trouble lasted ${formatDuration(a.durationMs!)}; closed at ${over}${wait}`;
};
