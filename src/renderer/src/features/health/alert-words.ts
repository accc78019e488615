import type { AlertView } from '../../../../shared/health';
import { formatDuration } from '../../../../shared/duration';
import { formatTime } from '../../format';

/**
 * The trouble's length as the resolved notice says it, to when it cleared; the alert is over only
 * after the keep-firing wait, so its end is a later time: say both, or they read as two lengths.
 */
export const overWords = (a: AlertView): string => {
  const over = formatTime(a.resolvedAt!);
  const wait = a.clearedAt !== null ? ` after ${formatDuration(a.resolvedAt! - a.clearedAt)} clear` : '';
  return `trouble lasted ${formatDuration(a.durationMs!)}; over at ${over}${wait}`;
};
