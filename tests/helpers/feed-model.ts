import { EventEmitter } from 'node:events';
import { EventFeed } from '../../src/main/core/pool/event-feed';
import type { FakeClock } from './fake-clock';
import type { PooledSocket } from '../../src/main/core/pool/socket';
import type { Replies, SequencedEvent } from '../../src/shared/protocol';

/** How one instance bends the protocol; all zero or false is an honest instance. */
export interface Faults {
  /** Added to the head in its pongs (negative: a head that goes back). */
  pongOffset: number;
  /** Added to the head in its `subbed` answers: a replay that promises more than it sends. */
  subbedOffset: number;
  /** Answers every `sub` with `gap: true`. */
  gap: boolean;
  /** Never answers a `sub`. */
  silent: boolean;
  /** Drops every k-th event frame it sends, live or replayed (0: none). */
  dropEvery: number;
  /** Sends every event frame twice. */
  dup: boolean;
  /** Sends the events of one append in reverse order. */
  reverse: boolean;
  /** Its snapshot's head is this far behind the log's. */
  snapBehind: number;
}

export const HONEST: Faults = { pongOffset: 0, subbedOffset: 0, gap: false, silent: false, dropEvery: 0, dup: false, reverse: false, snapBehind: 0 };

const EPOCH = 'model-1';

/** An event whose body names its seq, so an event applied under the wrong seq shows. */
export const modelEvent = (seq: number): SequencedEvent => ({ seq, ts: 0, body: { kind: 'checkout', memberId: `M${seq}`, name: 'n', auto: false, occupancy: 0 } });

/**
 * A gym backend of `n` instances sharing one log, in memory, for the feed alone: frames are queued per socket and
 * delivered by `flush`, in order, as a real socket would (never inside the call that caused them).
 */
export class FeedModel {
  head = 0;
  readonly log = new Map<number, SequencedEvent>();
  /** Seqs whose event the console cannot read (sent as a connection reports one: its place and the problem). */
  readonly unreadable = new Set<number>();
  subs = 0;
  snapshots = 0;
  contradictions = 0;
  /** The instances' sockets as the feed sees them, and the same connections as the model drives them. */
  readonly socks: PooledSocket[];
  readonly conns: ReturnType<FeedModel['conn']>[];

  constructor(n: number) {
    this.conns = Array.from({ length: n }, () => this.conn());
    this.socks = this.conns.map((conn, i) => ({ endpoint: `ws://i${i}`, conn, open: true, draining: false, routable: true, score: 100, subscribed: false, faulted: false }) as unknown as PooledSocket);
  }

  private conn() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the socket's methods answer from the shared log
    const model = this;
    return Object.assign(new EventEmitter(), {
      faults: { ...HONEST } as Faults,
      live: false,
      queue: [] as [string, unknown, number?][],
      sent: 0,
      afters: [] as number[],
      /** Seqs this instance sends unreadable though the log's event is readable (a build that writes it otherwise). */
      garbled: new Set<number>(),
      subscribe(after: number) {
        model.subs++;
        this.afters.push(after);
        if (this.faults.silent) return;
        this.live = true;
        const bad = this.faults.gap || after > model.head;
        this.queue.push(['subbed', { head: model.head + this.faults.subbedOffset, gap: bad, epoch: EPOCH }]);
        if (!bad) for (let seq = after + 1; seq <= model.head; seq++) this.send(model.log.get(seq));
      },
      unsubscribe() {
        this.live = false;
      },
      close() {
        this.live = false;
      },
      contradicted() {
        model.contradictions++;
      },
      request(): Promise<Replies['snapshot']> {
        model.snapshots++;
        return Promise.resolve({ head: Math.max(0, model.head - this.faults.snapBehind), occupancy: 0, capacity: 10, recent: [], epoch: EPOCH });
      },
      send(e: SequencedEvent | undefined) {
        if (!e) return; // a seq that holds nothing
        if (this.faults.dropEvery && ++this.sent % this.faults.dropEvery === 0) return;
        const frame: [string, unknown, number?] = model.unreadable.has(e.seq) || this.garbled.has(e.seq) ? ['unreadable', { seq: e.seq, ts: e.ts, problem: 'Too big at body.memberId' }] : ['event', e, 100];
        for (let i = this.faults.dup ? 2 : 1; i > 0; i--) this.queue.push(frame);
      },
    });
  }

  /** Appends `n` events and streams them to every subscribed socket. */
  emit(n: number): void {
    const fresh: SequencedEvent[] = [];
    for (let i = 0; i < n; i++) {
      const e = modelEvent(++this.head);
      this.log.set(e.seq, e);
      fresh.push(e);
    }
    for (const conn of this.conns) {
      if (!conn.live) continue;
      for (const e of conn.faults.reverse ? [...fresh].reverse() : fresh) conn.send(e);
    }
  }

  /** Appends one event the console cannot read, and streams it. */
  emitUnreadable(): void {
    this.unreadable.add(this.head + 1);
    this.emit(1);
  }

  /** Appends one event that the instances numbered `on` send unreadable and the others readable, and streams it. */
  emitGarbled(on: number[]): void {
    for (const i of on) this.conns[i]!.garbled.add(this.head + 1);
    this.emit(1);
  }

  /** Numbers `n` seqs that hold no event, for good. */
  skip(n: number): void {
    this.head += n;
  }

  pong(): void {
    for (const conn of this.conns) conn.queue.push(['pong', { rttMs: 1, head: Math.max(0, this.head + conn.faults.pongOffset) }]);
  }

  /** Delivers every queued frame, socket by socket, in the order sent; frames queued meanwhile go too (a bounded few rounds). */
  flush(): void {
    for (let busy = true, rounds = 0; busy && rounds < 50; rounds++) {
      busy = false;
      for (const conn of this.conns) {
        const frames = conn.queue.splice(0);
        busy ||= frames.length > 0;
        for (const [type, body, bytes] of frames) conn.emit(type, body, bytes);
      }
    }
  }

  setFaults(i: number, f: Partial<Faults>): void {
    Object.assign(this.conns[i]!.faults, f);
  }

  honest(): void {
    for (const conn of this.conns) conn.faults = { ...HONEST };
  }
}

/** A feed over `model`'s sockets (two subscribers by default) on `clock`, recording what it applies. */
export function feedOver(model: FeedModel, clock: FakeClock, redundancy = 2) {
  const feed = new EventFeed(() => model.socks, clock, redundancy);
  const applied: SequencedEvent[] = [];
  feed.on('event', (e) => applied.push(e));
  for (const s of model.socks) feed.attach(s);
  /** Runs `ms` of fake time in 50 ms steps: a pong from every instance each 250 ms, every frame delivered. */
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 50) {
      clock.advance(50);
      if (clock.mono() % 250 === 0) model.pong();
      model.flush();
      await new Promise((r) => setImmediate(r)); // snapshots answer in a later turn, as over a socket
      model.flush();
    }
  };
  return { feed, applied, run };
}
