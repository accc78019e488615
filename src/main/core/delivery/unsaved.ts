import type { Op } from '../../../shared/protocol';
import type { Clock } from '../clock';
import { diskProblem, memoryOnlyWords, OUTBOX_DISK_ALERT, type DiskProblem } from '../disk-words';

/** A write that failed is tried again on its own this soon, then twice as long each time it fails again, up to the cap. */
export const UNSAVED_RETRY_MS = { base: 1_000, cap: 30_000 } as const;

interface Held {
  key: string;
  op: Op;
  durable: boolean;
}

/**
 * Messages the outbox accepted while it could not write them (a full or read-only disk), held in memory only, and
 * why its writes fail. Every commit writes them with the rest, and a retry with backoff commits on its own, so room
 * on the disk is enough to make them durable again, though nothing else is queued meanwhile (a crash before that
 * lost them: nothing on disk said they existed). The alert lasts until a write takes, which writes them all.
 */
export class Unsaved<M extends Held> {
  private readonly held = new Set<M>();
  /** Why the last write failed: a disk problem, or the error's own words; null while writes work. */
  private failure: DiskProblem | { message: string } | null = null;
  private timer: unknown = null;
  private waitMs: number = UNSAVED_RETRY_MS.base;

  constructor(
    private readonly clock: Clock,
    /** Commits now (with these messages in it). */
    private readonly retry: () => void,
  ) {}

  /** Whether the last write failed: the next commit is tried whatever else it holds. */
  get failing(): boolean {
    return this.failure !== null;
  }

  get size(): number {
    return this.held.size;
  }

  /** What the next commit writes besides its own new messages. */
  list(): M[] {
    return [...this.held];
  }

  /** Held in memory only, after a failed write. */
  add(m: M): void {
    m.durable = false;
    this.held.add(m);
  }

  /** It left the outbox (acknowledged, buried, lapsed): nothing to write any more. */
  drop(m: M): void {
    this.held.delete(m);
  }

  dropKey(key: string): void {
    for (const m of this.held) if (m.key === key) this.held.delete(m);
  }

  /** A commit that held every message listed took: they are durable, and the alert is over. */
  written(): void {
    for (const m of this.held) m.durable = true;
    this.held.clear();
    this.failure = null;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.waitMs = UNSAVED_RETRY_MS.base;
  }

  /** A commit failed with `e`: tried again on its own later, backing off, until one takes. */
  failed(e: unknown): void {
    this.failure = diskProblem(e) ?? { message: e instanceof Error ? e.message : String(e) };
    if (this.timer !== null) return;
    const ms = this.waitMs;
    this.waitMs = Math.min(UNSAVED_RETRY_MS.cap, ms * 2);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.retry();
    }, ms);
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The outbox alert, in staff words: how many messages exist only in memory, while any do. */
  alert(): string | null {
    const f = this.failure;
    if (f === null) return null;
    const n = this.held.size;
    const checkins = [...this.held].every((m) => m.op === 'checkin');
    if (typeof f === 'string') return n > 0 ? memoryOnlyWords(f, n, checkins) : OUTBOX_DISK_ALERT[f];
    if (n === 0) return `Cannot write the outbox to disk (${f.message}). New messages are held in memory until it can. Tell the gym's IT.`;
    return `${memoryOnlyWords(null, n, checkins)} The outbox cannot be written to disk (${f.message}). Tell the gym's IT.`;
  }
}
