import { TokenBucket } from '../token-bucket';
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

/** A lane's bucket: its policy as the one token bucket takes it. */
export const laneBucket = (p: LanePolicy, mono: () => number): TokenBucket => new TokenBucket({ burst: p.burst, perSecond: p.ratePerSec }, mono);
