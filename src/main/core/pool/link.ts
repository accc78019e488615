import { EventEmitter } from 'node:events';
import type { Op, Replies, RequestBodies, SequencedEvent } from '../../../shared/protocol';
import type { ConnectionView, LinkState } from '../../../shared/state';
import type { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import { fullJitter } from './backoff';
import { BackendConnection, type ConnectionOptions } from './connection';

const MAX_AHEAD = 10_000;
/** How long a replay request may go unanswered before it is asked again. */
const RESUB_AFTER_MS = 500;

export interface LinkOptions extends ConnectionOptions {
  endpoints: string[];
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  random?: () => number;
}

interface Slot {
  url: string;
  conn: BackendConnection | null;
  attempts: number;
  retry: unknown;
}

type LinkEvents = {
  /** An event applied exactly once, in sequence order. */
  event: [SequencedEvent];
  /** A full picture of the gym: at start, and after continuity was lost. */
  resync: [Replies['snapshot']];
  continuityLost: [];
  change: [];
};

/**
 * Sockets to every backend instance; one of them carries the event subscription.
 * When it fails the subscription moves to another open socket and resumes from the last applied sequence;
 * duplicates are dropped by sequence, gaps are replayed, and a replay the server cannot serve is a full resync.
 */
export class BackendLink extends EventEmitter<LinkEvents> {
  private readonly slots: Slot[];
  private primary: BackendConnection | null = null;
  private lastSeq = -1; // -1: never synced
  private awaitingSub = false;
  private resyncing = false;
  /** Events that arrived ahead of a hole, applied once the hole is filled. */
  private readonly ahead = new Map<number, SequencedEvent>();
  private subSentAt = 0;
  private stopped = false;
  private readonly clock: Clock;
  protocolErrors = 0;
  continuityLost = 0;

  constructor(private readonly opts: LinkOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.slots = opts.endpoints.map((url) => ({ url, conn: null, attempts: 0, retry: null }));
  }

  start(): void {
    for (const slot of this.slots) this.open(slot);
  }

  stop(): void {
    this.stopped = true;
    for (const slot of this.slots) {
      this.clock.clearTimeout(slot.retry);
      slot.conn?.close('console stopping');
    }
  }

  get state(): LinkState {
    const open = this.slots.filter((s) => s.conn?.state === 'open').length;
    return open === 0 || !this.primary ? 'offline' : open === this.slots.length ? 'connected' : 'degraded';
  }

  view(): ConnectionView {
    return {
      state: this.state,
      endpoints: this.slots.map((s) => ({
        url: s.url,
        state: s.conn?.state ?? 'closed',
        rttMs: s.conn?.rttMs ?? null,
        primary: s.conn !== null && s.conn === this.primary,
      })),
      lastSeq: Math.max(0, this.lastSeq),
      protocolErrors: this.protocolErrors,
      continuityLost: this.continuityLost,
    };
  }

  /** Sends a request over the subscription socket, or any open one. */
  request<O extends Op>(op: O, body: z.input<(typeof RequestBodies)[O]>): Promise<Replies[O]> {
    const conn = this.primary ?? this.slots.find((s) => s.conn?.state === 'open')?.conn;
    if (!conn) return Promise.reject(new Error('No backend instance is reachable.'));
    return conn.request(op, body);
  }

  private open(slot: Slot): void {
    if (this.stopped) return;
    const conn = new BackendConnection(slot.url, this.opts);
    slot.conn = conn;
    conn.on('open', () => {
      slot.attempts = 0;
      if (!this.primary) void this.promote(conn);
      this.emit('change');
    });
    conn.on('pong', ({ head }) => {
      if (conn === this.primary && head > this.lastSeq) this.behind(conn);
      this.emit('change');
    });
    conn.on('protocolError', () => {
      this.protocolErrors++;
      this.emit('change');
    });
    conn.on('event', (e) => conn === this.primary && this.apply(conn, e));
    conn.on('subbed', ({ gap }) => {
      if (conn !== this.primary || this.resyncing) return;
      this.awaitingSub = false;
      if (gap) void this.resync(conn, true);
    });
    conn.on('close', () => {
      slot.conn = null;
      if (this.primary === conn) {
        this.primary = null;
        const next = this.slots.find((s) => s.conn?.state === 'open')?.conn;
        if (next) void this.promote(next);
      }
      this.emit('change');
      const delay = fullJitter(slot.attempts++, this.opts.reconnectBaseMs ?? 200, this.opts.reconnectCapMs ?? 5_000, this.opts.random);
      slot.retry = this.clock.setTimeout(() => this.open(slot), delay);
    });
    conn.connect();
  }

  private async promote(conn: BackendConnection): Promise<void> {
    this.primary = conn;
    if (this.lastSeq < 0) return this.resync(conn, false);
    this.subscribe(conn, this.lastSeq);
  }

  private subscribe(conn: BackendConnection, after: number): void {
    this.awaitingSub = true;
    this.subSentAt = this.clock.mono();
    conn.subscribe(after);
  }

  /** Full picture from a snapshot, then live events after it. */
  private async resync(conn: BackendConnection, lost: boolean): Promise<void> {
    if (lost) {
      this.continuityLost++;
      this.emit('continuityLost');
    }
    // Replayed events still in flight must not trigger another replay meanwhile.
    this.resyncing = true;
    try {
      const snap = await conn.request('snapshot', {});
      if (conn !== this.primary) return;
      this.lastSeq = snap.head;
      this.ahead.clear();
      this.emit('resync', snap);
      this.subscribe(conn, snap.head);
    } catch {
      // The socket failed mid-resync; its close handler promotes another, which resyncs.
      if (conn === this.primary && conn.state === 'open') conn.close('resync failed');
    } finally {
      if (conn === this.primary || !this.primary) this.resyncing = false;
    }
  }

  /** The server holds events we have not applied: ask for a replay, unless one is already on its way. */
  private behind(conn: BackendConnection): void {
    if (this.resyncing || this.lastSeq < 0) return;
    if (!this.awaitingSub || this.clock.mono() - this.subSentAt > RESUB_AFTER_MS) this.subscribe(conn, this.lastSeq);
  }

  private apply(conn: BackendConnection, e: SequencedEvent): void {
    if (this.resyncing || this.lastSeq < 0 || e.seq <= this.lastSeq) return; // mid-resync, or a replay overlap
    if (e.seq > this.lastSeq + 1) {
      // A hole (a dropped frame): keep this one for later and ask for a replay from the last applied.
      if (this.ahead.size < MAX_AHEAD) this.ahead.set(e.seq, e);
      return this.behind(conn);
    }
    this.lastSeq = e.seq;
    this.emit('event', e);
    for (let next = this.ahead.get(this.lastSeq + 1); next; next = this.ahead.get(this.lastSeq + 1)) {
      this.ahead.delete(next.seq);
      this.lastSeq = next.seq;
      this.emit('event', next);
    }
  }
}
