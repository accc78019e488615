/** Timing and counting shared by the failover and scale-out benches. */
import { quantile } from 'simple-statistics';

export const now = (): number => performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` is true or `timeoutMs` passes; returns whether it became true. */
export async function waitUntil(check: () => boolean, timeoutMs: number, stepMs = 2): Promise<boolean> {
  const end = now() + timeoutMs;
  while (!check()) {
    if (now() > end) return false;
    await sleep(stepMs);
  }
  return true;
}

/** A one-shot signal with the time it fired; waiting on it is bounded. */
export class Signal {
  at: number | null = null;
  private wake: (() => void) | null = null;

  fire(t = now()): void {
    if (this.at !== null) return;
    this.at = t;
    this.wake?.();
  }

  /** Resolves with the time it fired, or null after `timeoutMs`. */
  wait(timeoutMs: number): Promise<number | null> {
    if (this.at !== null) return Promise.resolve(this.at);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(this.at);
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve(this.at);
      };
    });
  }
}

/** Counts what the application received, by seq, so lost and duplicated fall out at the end. */
export class Received {
  private counts = new Uint8Array(1 << 16);
  total = 0;
  unique = 0;

  constructor(private readonly after: number) {}

  add(seq: number): void {
    this.total++;
    const i = seq - this.after - 1;
    if (i < 0) return; // older than the phase: counted as received, never as lost
    if (i >= this.counts.length) {
      const grown = new Uint8Array(Math.max(this.counts.length * 2, i + 1));
      grown.set(this.counts);
      this.counts = grown;
    }
    if (this.counts[i] === 0) this.unique++;
    if (this.counts[i]! < 255) this.counts[i]!++;
  }

  /** Seqs in (after, last] never received. */
  missing(last: number): number {
    let n = 0;
    for (let seq = this.after + 1; seq <= last; seq++) if ((this.counts[seq - this.after - 1] ?? 0) === 0) n++;
    return n;
  }

  get duplicated(): number {
    return this.total - this.unique;
  }
}

export const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10) / 10);
export const pct = (xs: number[], p: number): number | null => (xs.length ? round(quantile(xs, p)) : null);
export const max = (xs: number[]): number | null => (xs.length ? round(Math.max(...xs)) : null);
