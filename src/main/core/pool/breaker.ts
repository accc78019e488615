import type { BreakerState } from '../../../shared/pools';

/**
 * Per-endpoint circuit breaker. Closed: connect freely (with jittered backoff). After `threshold`
 * consecutive failures it opens for a cooldown that doubles each time (capped); then half-open lets
 * exactly one attempt through: success closes it, failure opens it again.
 */
export class CircuitBreaker {
  state: BreakerState = 'closed';
  failures = 0;
  private opens = 0;
  private openedAt = 0;
  /** A longer cooldown set by `trip`, kept until the endpoint next connects. */
  private tripCooldownMs = 0;

  constructor(
    public threshold: number,
    private readonly mono: () => number,
    private readonly cooldownMs = 2_000,
    private readonly maxCooldownMs = 30_000,
  ) {}

  get cooldown(): number {
    return Math.max(this.tripCooldownMs, Math.min(this.maxCooldownMs, this.cooldownMs * 2 ** Math.max(0, this.opens - 1)));
  }

  /** Opens now, whatever the count, for at least `cooldownMs`: the endpoint misbehaved rather than failed. */
  trip(cooldownMs: number): void {
    this.state = 'open';
    this.opens++;
    this.openedAt = this.mono();
    this.tripCooldownMs = cooldownMs;
  }

  /** Ms until an attempt may be made; 0 means now. Moves open → half-open when the cooldown is over. */
  waitMs(): number {
    if (this.state !== 'open') return 0;
    const left = this.openedAt + this.cooldown - this.mono();
    if (left > 0) return left;
    this.state = 'half-open';
    return 0;
  }

  /** Lets one trial through now instead of at the end of the cooldown (a recovery action). */
  probeEarly(): boolean {
    if (this.state !== 'open') return false;
    this.state = 'half-open';
    return true;
  }

  success(): BreakerState {
    this.failures = 0;
    this.opens = 0;
    this.tripCooldownMs = 0;
    this.state = 'closed';
    return this.state;
  }

  failure(): BreakerState {
    this.failures++;
    if (this.state === 'half-open' || (this.state === 'closed' && this.failures >= this.threshold)) {
      this.state = 'open';
      this.opens++;
      this.openedAt = this.mono();
    }
    return this.state;
  }
}
