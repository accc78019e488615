/**
 * Health score of one socket, 0–100: a weighted geometric mean of three inputs, so one bad
 * dimension (a 1 s latency, constant errors) pulls the score down on its own.
 *   latency   EWMA of protocol round trips: 1 at ≤ 25 ms, 0 at ≥ 1,000 ms, linear between (weight 0.5)
 *   errors    EWMA of outcomes (failed/timed-out request, late probe = 1; success = 0) (weight 0.3)
 *   stability uptime ramps 0.6 → 1 over 30 s, times 0.75 per endpoint outage in the last 60 s (weight 0.2),
 *             so one crash barely matters and only a flapping endpoint sinks
 * A socket leaves rotation below 40 and returns only at 60 or above (hysteresis, so it does not flap).
 */
export const SCORE = { leaveBelow: 40, returnAt: 60 } as const;
const LATENCY_ALPHA = 0.3;
const ERROR_ALPHA = 0.15;

export class HealthTracker {
  latencyMs: number | null = null;
  errorRate = 0;
  inRotation = true;
  private openedAt: number;

  constructor(
    private readonly mono: () => number,
    private readonly recentDisconnects: () => number,
  ) {
    this.openedAt = mono();
  }

  /** Uptime counts from the moment the socket is usable. */
  opened(): void {
    this.openedAt = this.mono();
  }

  rtt(ms: number): boolean {
    this.latencyMs = this.latencyMs === null ? ms : this.latencyMs + LATENCY_ALPHA * (ms - this.latencyMs);
    return this.outcome(true);
  }

  /** Records a success or failure; returns whether rotation changed. */
  outcome(ok: boolean): boolean {
    this.errorRate += ERROR_ALPHA * ((ok ? 0 : 1) - this.errorRate);
    return this.update();
  }

  get disconnects(): number {
    return this.recentDisconnects();
  }

  get uptimeS(): number {
    return (this.mono() - this.openedAt) / 1000;
  }

  get score(): number {
    const lat = this.latencyMs === null ? 1 : clamp01(1 - (this.latencyMs - 25) / 975);
    const err = clamp01(1 - this.errorRate);
    const stab = (0.6 + 0.4 * Math.min(1, this.uptimeS / 30)) * 0.75 ** this.recentDisconnects();
    return Math.round(100 * lat ** 0.5 * err ** 0.3 * stab ** 0.2);
  }

  /** Re-evaluates rotation with hysteresis; returns whether it changed. */
  update(): boolean {
    const s = this.score;
    const next = this.inRotation ? s >= SCORE.leaveBelow : s >= SCORE.returnAt;
    const changed = next !== this.inRotation;
    this.inRotation = next;
    return changed;
  }
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
