import type { ConnectionView } from '../../../../shared/state';
import { formatClock } from '../../format';

/**
 * The Backend card's news of a backend restart the console caught up with; null while there is none, or while a fault is
 * shown now: beside "did not answer" it read as the reason for the new outage (readme24 R15).
 */
export function restartNews(conn: Pick<ConnectionView, 'restartedAt' | 'restartedWhileAway' | 'state' | 'cause'>): string | null {
  if (conn.restartedAt === null || conn.cause || conn.state === 'offline') return null;
  return `The gym's system was restarted ${conn.restartedWhileAway ? 'while this PC was off, restarting or not connected to it' : `at ${formatClock(conn.restartedAt)}`}; this PC caught up with it.`;
}
