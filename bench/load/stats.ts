import { quantile, quantileSorted } from 'simple-statistics';

export const round = (n: number): number => Math.round(n * 100) / 100;
export const q = (xs: number[], p: number): number | null => (xs.length ? round(quantile(xs, p)) : null);

/** What one side (ours or the peer) measured in its own process. */
export interface SideResult {
  name: string;
  version: string;
  connections: number;
  connected: number;
  connect_ms_p50: number | null;
  connect_ms_p99: number | null;
  msgs_sent: number;
  /** Requests answered with the backend's acceptance. */
  msgs_received: number;
  msgs_per_s: number;
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
  latency_ms_p99: number | null;
  errors: Record<string, number>;
  /**
   * Which actions this side saw accepted, one bit per action (user × msgs + i), base64: the
   * backend's tally is checked against them. Bits, not tags, so the bench's own bookkeeping stays
   * a few hundred KB at 300,000 actions and does not count as the side's RSS.
   */
  accepted: string;
  /** Messages never answered either way by the end (counted as lost). */
  unanswered: number;
  rss_mb: number;
  cpu_pct: number;
  cpu_us_per_msg: number;
  loop_lag_ms_p99: number;
  duration_s: number;
}

/** Counts by code; an Error's message is reduced to a short code so the map stays small. */
export function countError(errors: Record<string, number>, e: unknown): void {
  const code =
    (e as { code?: unknown }).code && typeof (e as { code?: unknown }).code === 'string'
      ? ((e as { code: string }).code)
      : /timed out/.test(String((e as Error).message))
        ? 'timeout'
        : /connection lost|not open|closed/i.test(String((e as Error).message))
          ? 'connection-lost'
          : 'other';
  errors[code] = (errors[code] ?? 0) + 1;
}

/** One bit per action of a plan, set when the backend accepted it. */
export class AcceptedBits {
  private readonly bits: Uint8Array;
  count = 0;
  constructor(size: number) {
    this.bits = new Uint8Array(Math.ceil(size / 8));
  }
  set(i: number): void {
    this.bits[i >> 3]! |= 1 << (i & 7);
    this.count++;
  }
  encode(): string {
    return Buffer.from(this.bits).toString('base64');
  }
  /** The indices set in an encoded bitset. */
  static *indices(encoded: string): Generator<number> {
    const bits = Buffer.from(encoded, 'base64');
    for (let b = 0; b < bits.length; b++) for (let k = 0; k < 8; k++) if (bits[b]! & (1 << k)) yield b * 8 + k;
  }
}

/** Latencies in a preallocated buffer: a number[] of 300,000 grows by copying and bills the bench to the side. */
export class Samples {
  private readonly xs: Float64Array;
  n = 0;
  constructor(size: number) {
    this.xs = new Float64Array(size);
  }
  push(x: number): void {
    if (this.n < this.xs.length) this.xs[this.n++] = x;
  }
  private sorted = false;
  /** The same quantile as `q` (linear, numpy's default), rounded to 0.01; null when empty. */
  quantile(p: number): number | null {
    if (!this.n) return null;
    const xs = this.xs.subarray(0, this.n);
    if (!this.sorted) {
      xs.sort();
      this.sorted = true;
    }
    return round(quantileSorted(xs as unknown as number[], p));
  }
}
