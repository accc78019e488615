/** How fast something may come: `burst` at once, then `perSecond` more each second. */
export interface Rate {
  burst: number;
  perSecond: number;
  /** A new bucket holds this many (left out: `burst`); it fills to `burst` at `perSecond`. */
  fresh?: number;
}

/** A token bucket on a monotonic clock: the one pace-keeper for scans, screen reports, bridge bytes and outbox lanes. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: Rate,
    private readonly mono: () => number,
  ) {
    this.tokens = rate.fresh ?? rate.burst;
    this.at = mono();
  }

  /** Refilled for the time passed: whether `n` fit now. Takes nothing. */
  has(n = 1): boolean {
    const now = this.mono();
    // A clock that went back (a test's may) gives nothing back.
    if (now > this.at) {
      this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.at) / 1_000) * this.rate.perSecond);
      this.at = now;
    }
    return this.tokens >= n;
  }

  /** Takes `n` when they fit (true); takes nothing when they do not (false). */
  take(n = 1): boolean {
    if (!this.has(n)) return false;
    this.tokens -= n;
    return true;
  }

  /** What was taken for something that came to nothing. */
  giveBack(n = 1): void {
    this.tokens = Math.min(this.rate.burst, this.tokens + n);
  }

  /** Ms until `n` fit, as of the last look. */
  waitMs(n = 1): number {
    return this.tokens >= n ? 0 : Math.ceil(((n - this.tokens) / this.rate.perSecond) * 1_000);
  }
}
