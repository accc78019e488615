/** Below this many known values there is no "usual" to keep the scale to: the chart fits them all. */
const MIN_POINTS = 20;
/** A value past this many times the 95th percentile is a spike, not the chart's scale. */
const SPIKE = 3;

/**
 * A y-axis top that a few short spikes do not set: one 55 ms moment (an export being written) scaled the
 * latency chart to 60 ms and flattened everything else. With spikes, the top is twice the 95th percentile
 * and the spikes are drawn cut off at it, and told (`cut`). A stretch longer than 5 % of the range is
 * more than the 95th percentile can pass over, so it sets the scale: a real slowdown or outage is never hidden.
 */
export function robustTop(points: { x: number; y: number | null }[]): { max: number; cut: { n: number; highest: { x: number; y: number } } } | null {
  const known = points.filter((p): p is { x: number; y: number } => p.y !== null);
  if (known.length < MIN_POINTS) return null;
  const ys = known.map((p) => p.y).sort((a, b) => a - b);
  const p95 = ys[Math.floor(0.95 * (ys.length - 1))]!;
  if (p95 <= 0 || ys.at(-1)! <= SPIKE * p95) return null;
  const max = niceCeil(2 * p95);
  // The rounded-up top can clear even the highest value (p95 0.6, highest 1.9: top 2): then nothing is cut.
  const above = known.filter((p) => p.y > max);
  if (above.length === 0) return null;
  const highest = above.reduce((a, b) => (b.y > a.y ? b : a));
  return { max, cut: { n: above.length, highest } };
}

/** 1, 2 or 5 times a power of ten, at or above `v`: a top the ticks divide evenly. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}
