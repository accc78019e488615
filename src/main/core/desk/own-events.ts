import type { SequencedEvent } from '../../../shared/protocol';
import type { Presence } from './presence';

type CheckinEvent = SequencedEvent & { body: Extract<SequencedEvent['body'], { kind: 'checkin' }> };

/** A check-in sent and not yet decided at the desk, and the live event the backend sent for it, if one came. */
export interface Pending {
  readonly card: string;
  readonly source: string;
  /** The newest event seen when it was sent: only a later one can be its own. */
  after: number;
  /** Its request's id once queued: a backend that names the request in its event (`requestId`) is matched by it. */
  key: string | null;
  event: CheckinEvent | null;
}

/**
 * The live feed's event for a check-in still waiting on its reply. The backend sends that event before
 * it answers, so a slow answer (past the desk's wait) let the event say "already inside" for the very
 * check-in being decided: a member the backend let in was turned away at the door. An event that names its
 * request (`requestId`) is its own by that id; from an older backend, the first check-in event for the card
 * from the same kind of station, newer than any seen when it was sent. Kept from presence until the desk has
 * decided, then passed on.
 */
export class OwnEvents {
  private latest = 0;
  private readonly pending = new Set<Pending>();

  constructor(private readonly presence: Presence) {}

  /** Every backend event, live or replayed, on its way to presence. */
  seen(e: SequencedEvent): void {
    this.latest = Math.max(this.latest, e.seq);
    const b = e.body;
    // Its own event again (a resync replays it) is held back too.
    const mine = b.kind === 'checkin' ? [...this.pending].find((p) => (p.event ? p.event.seq === e.seq : this.fits(p, b, e.seq))) : undefined;
    if (mine) mine.event ??= e as CheckinEvent;
    else this.presence.seen(e);
  }

  /** Whether a check-in event not yet claimed can be `p`'s: by its request's id when both are known, else by card, station and order. */
  private fits(p: Pending, b: CheckinEvent['body'], seq: number): boolean {
    // The id alone is the backend's word: an event for another card or station under this id is not this check-in's.
    if (p.card !== b.cardId || p.source !== b.source) return false;
    if (b.requestId !== undefined && p.key !== null) return b.requestId === p.key;
    return seq > p.after;
  }

  /** A full resync up to `head`: a backend whose log started over numbers from 1 again. */
  resync(head: number): void {
    this.latest = head;
    for (const p of this.pending) p.after = Math.min(p.after, head);
  }

  /** A check-in of `card` is about to be sent from a `source` station. */
  watch(card: string, source: string): Pending {
    const p: Pending = { card, source, after: this.latest, key: null, event: null };
    this.pending.add(p);
    return p;
  }

  /** Decided: its own event, if it came, now counts like any other. */
  done(p: Pending): void {
    this.pending.delete(p);
    if (p.event) this.presence.seen(p.event);
  }
}
