import { LIMITS, type Member, type MemberStatus, type Replies, type SequencedEvent, type Verdict } from '../shared/protocol';

/** Sync for the in-memory gym (no promise cost on the embedded demo's hot path), async for Redis. */
export type MaybePromise<T> = T | Promise<T>;

export type CheckinSource = 'door' | 'desk' | 'kiosk';

/** What a check-in request may carry beyond the card and its source. */
export interface CheckinExtras {
  /** Staff letting a denied member in anyway; the note says why. */
  override?: { note: string; staff: string };
  /** When the card was scanned, if the console held the check-in (docs/protocol.md, "Check-ins that waited"). */
  scannedAt?: number;
  /** The console's own verdict while the backend was away; put in the event as it is. */
  decidedOffline?: Verdict;
}

/**
 * The time a held check-in's visit starts: its scan, but never after now (a console clock ahead) nor
 * more than LIMITS.maxScanAgeMs ago. Whole ms, so both stores keep the same number.
 */
export function boundScanTime(scannedAt: number, now: number): number {
  return Math.floor(Math.min(now, Math.max(scannedAt, now - LIMITS.maxScanAgeMs)));
}

export type ActionResult = { ok: true; applied: boolean } | { ok: false; code: string; message: string };
export interface Replay {
  gap: boolean;
  events: SequencedEvent[];
  /** The newest seq when the replay was read: the `head` of `subbed`. */
  head: number;
  /** Which numbering of the stream these seqs belong to (docs/protocol.md, `epoch`). */
  epoch?: string;
}

export interface StoreEvents {
  /** Every event of the shared log, once each, in seq order. */
  event: [SequencedEvent];
  /** The shared log was reset under us (a storage that lost its data): sessions must start over. */
  reset: [];
}

/**
 * What backend instances share: the sequenced event log, occupancy, duplicate windows, idempotency
 * keys with their remembered replies, actions, and the roster's changes. One instance's view of it;
 * every instance sees every event through `on('event')`, in seq order.
 */
export interface GymStore {
  readonly capacity: number;
  /** False while requests that need the shared state cannot be served (its storage is unreachable). */
  readonly available: boolean;
  /** The newest seq this instance has streamed to its sessions. */
  head(): number;
  replay(after: number): MaybePromise<Replay>;
  /**
   * Applies a check-in once per `requestId`; a repeat returns the first reply unchanged. The verdict
   * is judged now; an allowed visit starts at the bounded `scannedAt` when there is one.
   */
  checkIn(cardId: string, source: CheckinSource, requestId?: string, extras?: CheckinExtras): MaybePromise<Replies['checkin']>;
  checkOut(memberId: string, auto?: boolean): MaybePromise<boolean>;
  /** Applies an action once per key; refuses kinds it does not know. */
  action(key: string, kind: string, data: string): MaybePromise<ActionResult>;
  snapshot(recent?: number): MaybePromise<Replies['snapshot']>;
  /** A change to a member that every instance must see (status after a payment, a frozen membership…). */
  setMemberStatus(memberId: string, status: MemberStatus): MaybePromise<boolean>;
  search(query: string, limit?: number): Replies['lookup'];
  rosterPage(afterId: string, limit: number): { members: Member[]; done: boolean };
  on<K extends keyof StoreEvents>(name: K, listener: (...args: StoreEvents[K]) => void): unknown;
  off<K extends keyof StoreEvents>(name: K, listener: (...args: StoreEvents[K]) => void): unknown;
}

/** The shared storage did not answer: retryable, and the reply says so in `backend-storage-unavailable`. */
export class StorageUnavailable extends Error {}

/** Runs `then` on a value now, or when its promise settles; a sync throw goes to `fail` too. */
export function settle<T>(run: () => MaybePromise<T>, then: (value: T) => void, fail: (e: unknown) => void): void {
  let value: MaybePromise<T>;
  try {
    value = run();
  } catch (e) {
    return fail(e);
  }
  if (value instanceof Promise) value.then(then, fail);
  else then(value);
}
