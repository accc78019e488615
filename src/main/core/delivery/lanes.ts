import { LANES, type Lane } from '../../../shared/state';

export { LANES, type Lane };

export interface LanePolicy {
  /** Messages per second the lane may send, on average. */
  ratePerSec: number;
  /** How many may go at once after a quiet spell. */
  burst: number;
}

/** Defaults for a gym: check-ins and doors first and fastest; bulk last. */
export const DEFAULT_LANE_POLICY: Record<Lane, LanePolicy> = {
  realtime: { ratePerSec: 20_000, burst: 2_000 },
  system: { ratePerSec: 5_000, burst: 500 },
  notification: { ratePerSec: 1_000, burst: 200 },
  broadcast: { ratePerSec: 500, burst: 100 },
};

/** A token bucket on the monotonic clock. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly policy: LanePolicy,
    private readonly mono: () => number,
  ) {
    this.tokens = policy.burst;
    this.last = mono();
  }

  take(): boolean {
    const now = this.mono();
    this.tokens = Math.min(this.policy.burst, this.tokens + ((now - this.last) / 1000) * this.policy.ratePerSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Ms until the next token. */
  waitMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.policy.ratePerSec) * 1000);
  }
}
