import type { Category } from './analytics';

interface ActivityKind {
  /** Where the analytics store counts it. */
  category: Category;
  /** Shown as trouble in the Pools tab's event log. */
  bad: boolean;
  /**
   * Counted in the error rate the charts show. The event log tells an address's outage once (see
   * AddressStories), and the charts count what the log tells: one error per address going down, not
   * one per retry, so the rate measures trouble rather than how often the console retried.
   */
  error: boolean;
}

const kind = (category: Category, bad = false, error = false): ActivityKind => ({ category, bad, error });

/** Every kind of activity the console records, pools' and its own, with how each is counted and shown. */
export const ACTIVITY_KINDS = {
  // Connections, as the pools and the event feed see them.
  connected: kind('connection'),
  disconnected: kind('connection', true, true),
  failed: kind('connection', true, true),
  // A reminder that an address is still down: the same trouble, not a new error.
  'still-down': kind('connection', true),
  reconnected: kind('connection'),
  failover: kind('connection'),
  // The feed's last connection went with nothing to move to: reconnecting (a failover with nowhere to go read as one that went).
  'feed-stranded': kind('connection', true),
  'continuity-lost': kind('connection', true),
  // An event the console cannot read: that one is missing, the stream goes on.
  'event-unreadable': kind('connection', true),
  // An address whose event numbering cannot be followed: it stops carrying live events for a while, check-ins go on.
  'feed-unstable': kind('connection', true),
  // Members' records a search or roster page held that the console cannot read: those are left out, the rest used.
  'record-unreadable': kind('connection', true),
  // An answer that was read but cannot be right (about another member's card, a count past the building): not used.
  'answer-wrong': kind('connection', true),
  // The backend restarted without keeping its event log: caught up with, nothing missed.
  'backend-restarted': kind('connection'),
  probe: kind('connection'),
  // The pools' own decisions and configuration.
  'breaker-open': kind('pool', true),
  'breaker-half-open': kind('pool'),
  'breaker-closed': kind('pool'),
  'rotation-out': kind('pool', true),
  'rotation-in': kind('pool'),
  quarantined: kind('pool', true),
  'pool-created': kind('pool'),
  'pool-configured': kind('pool'),
  'pool-destroyed': kind('pool'),
  'token-changed': kind('pool'),
  // The console's own: undeliverable messages, damaged stores, offline decisions the backend overruled.
  'dead-letter': kind('error', false, true),
  'store-damaged': kind('error'),
  // An older version's data file (outbox.db): taken as console.db, or left unread beside one with data (probe27b D1).
  'store-renamed': kind('error'),
  'store-left-unread': kind('error', true),
  // The run before did not stop cleanly (a crash, a power cut, a forced stop): told once, as trouble, at the next start.
  'unclean-stop': kind('error', true),
  'reconcile-conflict': kind('checkin'),
  // Taken by the backend (acked), decided here, and never answered: "will be confirmed" was said at the door.
  'checkin-unanswered': kind('checkin'),
  // A card shown again where it was just let in: the same visit, not sent, so only this says it happened.
  'repeat-scan': kind('checkin'),
  // The roster copy offline check-ins decide from: a sync refused (the copy not updated), then one done again.
  'roster-refused': kind('error', true),
  'roster-synced': kind('checkin'),
  // Alerts as they notify, and what the console did by itself to recover.
  'alert-firing': kind('error', true),
  'alert-resolved': kind('error'),
  recovery: kind('pool'),
} as const satisfies Record<string, ActivityKind>;

export type ActivityType = keyof typeof ACTIVITY_KINDS;

/** Something the console did or saw, for the event log and the analytics store. */
export interface ActivityEntry {
  ts: number;
  type: ActivityType;
  /** The pool it concerns; empty when none does. */
  pool: string;
  /** The backend address it concerns; empty when none does. */
  endpoint: string;
  detail: string;
}

/** An entry before it is stamped, with the fields that do not apply left out. */
export type ActivityNote = Pick<ActivityEntry, 'type'> & Partial<Omit<ActivityEntry, 'ts' | 'type'>>;

/** The one way entries are made: stamped, and with every field present. */
export function activityEntry(ts: number, note: ActivityNote): ActivityEntry {
  return { ts, type: note.type, pool: note.pool ?? '', endpoint: note.endpoint ?? '', detail: note.detail ?? '' };
}
