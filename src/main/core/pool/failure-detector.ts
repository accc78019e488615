/**
 * Adaptive dead-peer deadline, phi-accrual style (Hayashibara et al., as Akka and Cassandra use it).
 * It learns the gaps between a socket's heartbeat replies and answers: after how long a silence is
 * it so unlikely (phi ≥ PHI) that the peer is gone? A steady loopback link earns a short deadline,
 * a jittery one a long one. Bounds: never below the floor, so a GC pause of tens of ms is not death;
 * never above the pool's setting (the ceiling). Until enough has been seen, a first estimate from
 * the health-check interval stands in (Akka's first-heartbeat-estimate): replies a beat apart with a
 * spread of a quarter beat, so a new socket is not given the whole ceiling to die in.
 */
export interface DetectorOptions {
  /** The pool's dead-peer setting: the longest deadline (and the one used while learning, without `expectedGapMs`). */
  ceilingMs: number;
  floorMs?: number;
  /** Gaps remembered (a sliding window), so the deadline follows the link as it changes. */
  window?: number;
  /** Gaps needed before the learned deadline replaces the ceiling. */
  minSamples?: number;
  /** Gaps another socket to the same endpoint learned: the same link, so a new socket need not start blind. */
  prior?: readonly number[];
  /** The health-check interval: the gap expected before any is seen. Without it, the ceiling applies until learned. */
  expectedGapMs?: number;
}

/** Suspicion level at which a peer is condemned: odds of about 1 in 10⁸ that it was only slow. */
export const PHI = 8;
export const FLOOR_MS = 200;
/** Added to every deadline: a pause this long on either side (GC, a busy loop) is tolerated outright. */
export const PAUSE_ALLOWANCE_MS = 100;
const WINDOW = 100;
const MIN_SAMPLES = 8;
/** The first estimate's spread, as a share of the expected gap (Akka: a quarter). */
const FIRST_SPREAD = 0.25;

/** Akka's logistic approximation of the normal tail: phi of a silence `y` standard deviations past the mean. */
export function phiAt(y: number): number {
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  return y > 0 ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
}

/** The inverse for one threshold, by bisection: how many deviations past the mean reach it. */
function deviationsFor(phi: number): number {
  let lo = 0;
  let hi = 50;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (phiAt(mid) < phi) lo = mid;
    else hi = mid;
  }
  return hi;
}
const Z = deviationsFor(PHI);

export class FailureDetector {
  private readonly gaps: number[] = [];
  private next = 0;
  private sum = 0;
  private sumSq = 0;
  private last: number | null = null;
  private ceiling: number;
  private expectedGap: number | null;
  private readonly floor: number;
  private readonly window: number;
  private readonly minSamples: number;

  constructor(opts: DetectorOptions) {
    this.ceiling = opts.ceilingMs;
    this.expectedGap = opts.expectedGapMs ?? null;
    this.floor = Math.min(opts.floorMs ?? FLOOR_MS, opts.ceilingMs);
    this.window = opts.window ?? WINDOW;
    this.minSamples = opts.minSamples ?? MIN_SAMPLES;
    for (const g of opts.prior?.slice(-this.window) ?? []) if (Number.isFinite(g) && g >= 0) this.record(g);
  }

  /** What it has learned, oldest first, to seed the next socket to the same endpoint. */
  snapshot(): number[] {
    return [...this.gaps.slice(this.next), ...this.gaps.slice(0, this.next)];
  }

  /**
   * A heartbeat reply arrived at `at` (monotonic ms). A gap past the deadline counts as the deadline:
   * that was a freeze we condemn (another socket to it already was), not the link's rhythm, and one
   * frozen-and-recovered peer must not make every later freeze slow to catch.
   */
  heartbeat(at: number): void {
    if (this.last !== null && at >= this.last) this.record(Math.min(at - this.last, this.deadlineMs()));
    this.last = at;
  }

  /** The next reply starts no gap: after our own sleep or stall, that gap says nothing about the peer. */
  forgetLast(): void {
    this.last = null;
  }

  /** A new pool setting (the heartbeat interval changed): what was learned no longer applies. */
  reset(ceilingMs = this.ceiling, expectedGapMs: number | null = this.expectedGap): void {
    this.ceiling = ceilingMs;
    this.expectedGap = expectedGapMs;
    this.gaps.length = 0;
    this.next = 0;
    this.sum = 0;
    this.sumSq = 0;
    this.last = null;
  }

  get samples(): number {
    return this.gaps.length;
  }

  /** Too few gaps seen yet: the deadline is the first estimate (or the ceiling, without one). */
  get learning(): boolean {
    return this.gaps.length < this.minSamples;
  }

  get meanMs(): number {
    return this.gaps.length ? this.sum / this.gaps.length : 0;
  }

  /**
   * Never trusts a spread under 10% of the mean (Akka's defaults: 100 ms for a 1 s heartbeat):
   * a window of perfectly even gaps says little about the next one.
   */
  get stdMs(): number {
    const n = this.gaps.length;
    if (!n) return 0;
    const variance = Math.max(0, this.sumSq / n - (this.sum / n) ** 2);
    return Math.max(Math.sqrt(variance), this.meanMs / 10, 1);
  }

  /** How suspicious a silence of `silenceMs` is; 0 while learning. */
  phi(silenceMs: number): number {
    if (this.gaps.length < this.minSamples) return 0;
    return phiAt((silenceMs - this.meanMs - PAUSE_ALLOWANCE_MS) / this.stdMs);
  }

  /** The silence after which the peer is condemned, within [floor, ceiling]. */
  deadlineMs(): number {
    if (this.gaps.length >= this.minSamples) return this.bounded(this.meanMs + PAUSE_ALLOWANCE_MS + Z * this.stdMs);
    if (this.expectedGap === null) return this.ceiling;
    return this.bounded(this.expectedGap * (1 + FIRST_SPREAD * Z) + PAUSE_ALLOWANCE_MS);
  }

  private bounded(ms: number): number {
    return Math.round(Math.min(this.ceiling, Math.max(this.floor, ms)));
  }

  private record(gap: number): void {
    if (this.gaps.length < this.window) this.gaps.push(gap);
    else {
      const old = this.gaps[this.next]!;
      this.sum -= old;
      this.sumSq -= old * old;
      this.gaps[this.next] = gap;
      this.next = (this.next + 1) % this.window;
    }
    this.sum += gap;
    this.sumSq += gap * gap;
    // Once per lap, sum afresh: adding and subtracting floats for hours drifts.
    if (this.next === 0 && this.gaps.length === this.window) {
      this.sum = this.gaps.reduce((a, g) => a + g, 0);
      this.sumSq = this.gaps.reduce((a, g) => a + g * g, 0);
    }
  }
}
