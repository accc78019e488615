import { FEED_CAPS, copyFeeds, emptyFeeds, type Feeds, type Gauges, type Snapshot, type StatePatch } from '../../../shared/state';
import { systemClock, type Clock } from '../clock';

export interface PatchStreamOptions {
  /** Minimum gap between patches; 50 ms caps the stream at 20 patches/s. */
  minIntervalMs?: number;
  clock?: Clock;
}

type Listener = (patch: StatePatch) => void;

/**
 * Coalesces state changes into patches: gauges keep the last write, feeds append with a cap.
 * When traffic is light a change leaves on the next turn; under load at most one patch per interval.
 */
export class PatchStream {
  private readonly gauges: Gauges;
  private readonly feeds: Feeds;
  private pending: StatePatch | null = null;
  private readonly derived = new Map<keyof Gauges, () => Gauges[keyof Gauges]>();
  private timer: unknown = null;
  private lastFlush = -Infinity;
  private seq = 0;
  private readonly listeners = new Set<Listener>();
  private readonly interval: number;
  private readonly clock: Clock;
  /** Patches sent and changes folded into them; the ratio is the coalescing factor. */
  readonly stats = { patches: 0, changes: 0 };

  constructor(initial: Gauges, opts: PatchStreamOptions = {}) {
    this.gauges = { ...initial };
    this.feeds = emptyFeeds();
    this.interval = opts.minIntervalMs ?? 50;
    this.clock = opts.clock ?? systemClock;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Flushes first, so the snapshot is exactly the state as of its `seq`. */
  snapshot(): Snapshot {
    this.flush();
    return { seq: this.seq, gauges: { ...this.gauges }, feeds: copyFeeds(this.feeds) };
  }

  current<K extends keyof Gauges>(key: K): Gauges[K] {
    return this.gauges[key];
  }

  /** A feed as it stands, newest last; not to be changed. */
  feed<K extends keyof Feeds>(key: K): readonly Feeds[K][number][] {
    return this.feeds[key];
  }

  gauge<K extends keyof Gauges>(key: K, value: Gauges[K]): void {
    this.derived.delete(key);
    this.open();
    this.gaugeNow(key, value);
  }

  private gaugeNow<K extends keyof Gauges>(key: K, value: Gauges[K]): void {
    this.gauges[key] = value;
    this.pending!.gauges[key] = value;
  }

  /** A gauge that is costly to build: marked now, computed once when the patch leaves. */
  derive<K extends keyof Gauges>(key: K, compute: () => Gauges[K]): void {
    this.derived.set(key, compute);
    this.open();
  }

  append<K extends keyof Feeds>(key: K, item: Feeds[K][number]): void {
    const cap = FEED_CAPS[key];
    pushCapped(this.feeds[key] as Feeds[K][number][], item, cap);
    const patch = this.open();
    pushCapped((patch.feeds[key] ??= [] as Feeds[K]) as Feeds[K][number][], item, cap);
  }

  /** Sends whatever is pending now; used on shutdown and by tests. */
  flush(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const [key, compute] of this.derived) this.gaugeNow(key, compute());
    this.derived.clear();
    const patch = this.pending;
    if (!patch) return;
    this.pending = null;
    this.lastFlush = this.clock.mono();
    patch.seq = ++this.seq;
    this.stats.patches++;
    for (const l of this.listeners) l(patch);
  }

  private open(): StatePatch {
    this.stats.changes++;
    if (!this.pending) {
      this.pending = { seq: 0, gauges: {}, feeds: {} };
      const wait = Math.max(0, this.lastFlush + this.interval - this.clock.mono());
      this.timer = this.clock.setTimeout(() => this.flush(), wait);
    }
    return this.pending;
  }
}

function pushCapped<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}
