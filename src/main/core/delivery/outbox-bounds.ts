import type { Op } from '../../../shared/protocol';

/** The most that may wait unsent (accepted, not yet acknowledged), in messages and in bytes of message text. */
export interface WaitingBound {
  maxCount: number;
  maxBytes: number;
}

export interface OutboxBounds {
  /** Check-ins may fill the outbox this far: the share above `other` is theirs alone. */
  checkin: WaitingBound;
  /** Staff actions and everything else stop here. */
  other: WaitingBound;
  /**
   * A check-in of a card the roster copy does not know stops here (left out: at `checkin`): the places
   * above it are kept for members, so made-up cards can never fill the queue against a real member's scan.
   */
  unknownCard?: WaitingBound;
}

/**
 * How much waits on disk while the backend is away. A check-in is under 100 bytes, so 50,000 is a
 * week or more of a busy gym; staff actions stop at a fifth of that, so a flood of them can never
 * stop the door. Past a bound new messages are refused; nothing already queued is dropped.
 * README.md states these numbers.
 */
export const OUTBOX_BOUNDS: OutboxBounds = {
  checkin: { maxCount: 50_000, maxBytes: 64 << 20 },
  other: { maxCount: 10_000, maxBytes: 16 << 20 },
  unknownCard: { maxCount: 40_000, maxBytes: 48 << 20 },
};

/** Dead letters kept for staff to inspect, retry or discard; past it the oldest staff actions go first, then check-ins. */
export const MAX_DEAD_LETTERS = 10_000;

/** Why a message of `bytes` may not join what is `waiting`, in words for staff; null when it may. */
export function refusalBeyondBound(bounds: OutboxBounds, op: Op | string, waiting: { count: number; bytes: number }, bytes: number, unknownCard = false): string | null {
  const bound = op !== 'checkin' ? bounds.other : unknownCard ? (bounds.unknownCard ?? bounds.checkin) : bounds.checkin;
  if (waiting.count + 1 <= bound.maxCount && waiting.bytes + bytes <= bound.maxBytes) return null;
  const what = op === 'checkin' ? 'This check-in was NOT taken' : 'This action was NOT queued';
  const mb = (waiting.bytes / (1 << 20)).toFixed(1);
  const messages = waiting.count === 1 ? 'message' : 'messages';
  return (
    `${waiting.count.toLocaleString('en-US')} ${messages} (${mb} MB) ${waiting.count === 1 ? 'is' : 'are'} waiting to send, more than the gym backend has taken so far; ` +
    `nothing more is queued until some are sent${bound === bounds.unknownCard ? ' (the places left are kept for cards the console knows)' : ''}. ${what}. Check the backend connection on the Connection Pools tab.`
  );
}
