import { randomUUID } from 'node:crypto';
import type { GymEvent, SequencedEvent } from '../shared/protocol';

/** Sequenced events in a bounded ring; replays what it still holds, and says when it cannot. */
export class EventLog {
  private readonly ring: (SequencedEvent | undefined)[];
  private head = 0;
  /** A new log numbers from 1 again: a new epoch says so to consoles that applied the old one. */
  readonly epoch = randomUUID();

  constructor(
    readonly retention: number,
    private readonly now: () => number,
  ) {
    this.ring = new Array(retention);
  }

  get lastSeq(): number {
    return this.head;
  }

  /** Oldest sequence still held (head+1 when empty). */
  get firstSeq(): number {
    return Math.max(1, this.head - this.retention + 1);
  }

  append(body: GymEvent): SequencedEvent {
    const event = { seq: ++this.head, ts: this.now(), body };
    this.ring[this.head % this.retention] = event;
    return event;
  }

  /** Events after `after`; `gap` is true when some of them have already been dropped. */
  since(after: number): { gap: boolean; events: SequencedEvent[] } {
    const from = Math.max(after + 1, this.firstSeq);
    const events: SequencedEvent[] = [];
    for (let seq = from; seq <= this.head; seq++) events.push(this.ring[seq % this.retention]!);
    // A client ahead of us means our log was reset (a restarted server): that is a gap too.
    return { gap: after + 1 < this.firstSeq || after > this.head, events };
  }

  recent(count: number): SequencedEvent[] {
    return this.since(Math.max(0, this.head - count)).events;
  }
}
