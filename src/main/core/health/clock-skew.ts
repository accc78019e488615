/** Samples whose offsets lie within this of each other tell the same clock (latency spreads them by far less). */
export const AGREE_MS = 10_000;
/** Fewer agreeing samples than this say nothing: one event with a wrong time must not judge the PC's clock. */
export const MIN_AGREE = 3;
/** Events stamped this far ahead of the rest come from another clock (latency and replays only ever make one look older). */
export const ODD_AHEAD_MS = 30_000;

export interface SkewEstimate {
  /** This PC's clock − the backend's (ms): positive, the PC is ahead. */
  skewMs: number;
  /** Events stamped well ahead of the rest, from a clock that is not the one most events agree on; null when none. */
  odd: { count: number; of: number; aheadMs: number } | null;
}

/**
 * The PC's offset from the clock most recent events agree on. Each sample is (our time at arrival −
 * the event's time): latency and replayed older events only ever add to it, so within the largest
 * group of samples that agree, the least is the offset. A tie goes to the group nearer this PC's
 * clock: two clocks of three then agree. Null until MIN_AGREE samples agree.
 */
export function estimateSkew(samples: readonly number[]): SkewEstimate | null {
  const s = [...samples].sort((a, b) => a - b);
  let best = { from: 0, size: 0 };
  for (let i = 0, j = 0; i < s.length; i++) {
    while (j + 1 < s.length && s[j + 1]! - s[i]! <= AGREE_MS) j++;
    const size = j - i + 1;
    if (size > best.size || (size === best.size && Math.abs(s[i]!) < Math.abs(s[best.from]!))) best = { from: i, size };
  }
  if (best.size < MIN_AGREE) return null;
  const skewMs = s[best.from]!;
  const ahead = s.filter((x) => x <= skewMs - ODD_AHEAD_MS);
  // The middle one of them: how far ahead the other clock runs, not its one wildest event.
  const odd = ahead.length ? { count: ahead.length, of: s.length, aheadMs: skewMs - ahead[Math.floor(ahead.length / 2)]! } : null;
  return { skewMs, odd };
}
