/**
 * Health score of one socket, 0–100: a weighted geometric mean of three inputs, so one bad
 * dimension (a 1 s latency, constant errors) pulls the score down on its own.
 *   latency   EWMA of protocol round trips, or of check-in and lookup replies when those are slower (a backend whose
 *             storage is slow while its socket loop is not pongs at once): 1 at ≤ 25 ms, linear down to a floor at 1,000 ms and beyond (weight 0.5):
 *             a socket that answers, however slowly, scores above 0 (about 20), which is for one that does not answer
 *   errors    EWMA of outcomes (failed/timed-out request, late probe = 1; success = 0) (weight 0.3)
 *   stability uptime ramps 0.6 → 1 over 30 s, times 0.75 per endpoint outage in the last 60 s (weight 0.2),
 *             so one crash barely matters and only a flapping endpoint sinks
 * A socket leaves rotation below 40 and returns only at 60 or above (hysteresis, so it does not flap).
 */
export const SCORE = { leaveBelow: 40, returnAt: 60 } as const;
const LATENCY_ALPHA = 0.3;
const ERROR_ALPHA = 0.15;
/** The latency input of a socket that answers at all: slow is not dead. */
const LATENCY_FLOOR = 0.04;

/** Why a socket is out of rotation: the input pulling its score down most. */
export type OutOfRotation = 'slow' | 'errors' | 'unstable';
/**
 * A score worked out this recently stands until an input changes: time alone moves it slowly (the
 * 30 s uptime ramp, outages leaving the 60 s window), and a pick may read every socket's score.
 */
export const SCORE_TTL_MS = 1_000;

export class HealthTracker {
  /** EWMA of ping round trips. */
  private pingMs: number | null = null;
  errorRate = 0;
  inRotation = true;
  private openedAt: number;
  private cached = 0;
  private cachedUntil = -Infinity;

  constructor(
    private readonly mono: () => number,
    private readonly recentDisconnects: () => number,
    /** The connection's smoothed time to answer check-ins and lookups (BackendConnection.replyMs); null before any. */
    private readonly replyMs: () => number | null = () => null,
  ) {
    this.openedAt = mono();
  }

  /** How long this instance takes to answer: the slower of its pongs and its replies, as the desk lives through the latter. */
  get latencyMs(): number | null {
    const reply = this.replyMs();
    if (reply === null) return this.pingMs;
    return this.pingMs === null ? reply : Math.max(this.pingMs, reply);
  }

  /** Uptime counts from the moment the socket is usable. */
  opened(): void {
    this.openedAt = this.mono();
    this.cachedUntil = -Infinity;
  }

  /**
   * A pong read behind the console's own backlog: the link answered, but how fast is unknown. It counts as an
   * answer (errors decay, as with a round trip) and rotation is judged again, with no latency learned: it is the
   * only beat a socket busy with a burst gets, and one out of rotation must be able to come back during it.
   */
  answered(): boolean {
    this.errorRate -= ERROR_ALPHA * this.errorRate;
    this.cachedUntil = -Infinity;
    return this.update();
  }

  /** A round trip: latency may have risen, so rotation is judged again (and uptime and outages with it, once a beat). */
  rtt(ms: number): boolean {
    this.pingMs = this.pingMs === null ? ms : this.pingMs + LATENCY_ALPHA * (ms - this.pingMs);
    this.errorRate -= ERROR_ALPHA * this.errorRate;
    this.cachedUntil = -Infinity;
    return this.update();
  }

  /** Records a success or failure; returns whether rotation changed. */
  outcome(ok: boolean): boolean {
    this.errorRate += ERROR_ALPHA * ((ok ? 0 : 1) - this.errorRate);
    this.cachedUntil = -Infinity;
    // A success only lowers the error rate, so a socket in rotation stays in: no score worked out per
    // request. What time moves (uptime, recent outages) is judged at the next round trip.
    if (ok && this.inRotation) return false;
    return this.update();
  }

  get disconnects(): number {
    return this.recentDisconnects();
  }

  get uptimeS(): number {
    return (this.mono() - this.openedAt) / 1000;
  }

  get score(): number {
    const now = this.mono();
    if (now < this.cachedUntil) return this.cached;
    const f = this.factors(now);
    this.cached = Math.round(100 * f.slow * f.errors * f.unstable);
    this.cachedUntil = now + SCORE_TTL_MS;
    return this.cached;
  }

  /** Out of rotation: for what (the input pulling the score down most); null while in rotation. */
  get outBecause(): OutOfRotation | null {
    if (this.inRotation) return null;
    const f = this.factors(this.mono());
    return (Object.keys(f) as OutOfRotation[]).reduce((a, b) => (f[b] < f[a] ? b : a));
  }

  /** Each input's weighted factor of the score (1 is perfect), named by what a low one means. */
  private factors(now: number): Record<OutOfRotation, number> {
    const ms = this.latencyMs;
    const lat = ms === null ? 1 : Math.max(LATENCY_FLOOR, clamp01(1 - (ms - 25) / 975));
    const err = clamp01(1 - this.errorRate);
    const stab = (0.6 + 0.4 * Math.min(1, (now - this.openedAt) / 30_000)) * 0.75 ** this.recentDisconnects();
    return { slow: Math.sqrt(lat), errors: err ** 0.3, unstable: stab ** 0.2 };
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
