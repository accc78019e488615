import type { Strategy } from '../../../shared/pools';
import type { InstanceLoad } from '../../../shared/protocol';

export interface Routable {
  inFlight: number;
  score: number;
  /** What the socket's instance last reported (protocol v2); absent or null from a v1 instance. */
  load?: InstanceLoad | null;
}

/** Picks the next socket for a request from those in rotation. Stateful for round-robin and weighting. */
export interface Picker<T extends Routable> {
  pick(candidates: readonly T[]): T | undefined;
}

/**
 * The candidates for a hedge or a retry: sockets on an instance this request has not tried yet, when
 * there are any. The instance is what freezes, dies or drops off the network, so its other socket is
 * the worst place to try next (a check-in issued during a freeze waited two hedges for it).
 */
export function untriedInstancesFirst<T extends { endpoint: string }>(candidates: readonly T[], tried: ReadonlySet<T>): readonly T[] {
  const left = candidates.filter((s) => !tried.has(s));
  if (tried.size === 0) return left;
  const triedAt = new Set([...tried].map((s) => s.endpoint));
  const fresh = left.filter((s) => !triedAt.has(s.endpoint));
  return fresh.length ? fresh : left;
}

/** Least-connections compares every socket in pools up to this size; past it, a sample of LEAST_SAMPLE. */
export const LEAST_SCAN = 64;
/**
 * Each socket read is a few cache misses (socket → connection → its pending map; its load report): 64 a pick cost
 * ~45 µs, a quarter of the console's CPU at 1,000 sockets (prof28 P1). The cheapest of 12 spread over the pool is as
 * even in practice, and still sees every instance's load report (4 missed one instance in 3 too often to weigh it).
 */
export const LEAST_SAMPLE = 12;
/** Health-weighted reads every score once per this many picks, or per an eighth of the pool's sockets if more. */
const REWEIGH_EVERY = 32;
const REWEIGH_SHARE = 8;
/** Steps of the golden ratio spread any number of points evenly over [0, 1). */
export const GOLDEN = 0.6180339887498949;

/** Event-loop lag at which an instance counts as twice as busy. */
export const LAG_DOUBLES_AT_MS = 50;
const MAX_PRESSURE = 10;

/**
 * How busy a socket's instance is beside the least busy candidate, from its own report: 1 = as idle
 * as any, 2 = twice as busy. Sessions count every console's sockets, so a console steers away from an
 * instance other consoles crowd; lag says the instance is slow whoever caused it. 1 without a report,
 * so v1 instances are routed exactly as before.
 */
export function pressure(s: Routable, fewestSessions: number): number {
  if (!s.load) return 1;
  const crowd = s.load.sessions / Math.max(1, fewestSessions);
  return Math.min(MAX_PRESSURE, Math.max(1, crowd) * (1 + s.load.lagMs / LAG_DOUBLES_AT_MS));
}

function fewestSessions(c: readonly Routable[]): number {
  let min = Infinity;
  for (const s of c) if (s.load) min = Math.min(min, s.load.sessions);
  return Number.isFinite(min) ? min : 1;
}

export function createPicker<T extends Routable>(strategy: Strategy): Picker<T> {
  switch (strategy) {
    case 'round-robin': {
      let next = 0;
      return { pick: (c) => (c.length ? c[next++ % c.length] : undefined) };
    }
    case 'least-connections': {
      let next = 0; // rotates among the cheapest, so equal sockets share the load
      let start = 0; // where a large pool's sample begins
      const offsets: number[] = [];
      let offsetsFor = 0;
      // Reused per pick, and never resized: an array emptied and refilled per request reallocates
      // its storage each time (2 KB a request at 64 sockets, most of a pool's garbage at 10,000/s).
      const costs = new Float64Array(LEAST_SCAN);
      // A busier instance counts as already carrying requests, one per step of pressure beyond 1
      // (as weighted least-connections does), to the half, so noise (a few ms of lag) still ties.
      const cost = (s: T, fewest: number): number => s.inFlight + Math.round(2 * (pressure(s, fewest) - 1)) / 2;
      return {
        pick(c) {
          if (!c.length) return undefined;
          // Past LEAST_SCAN sockets, the cheapest of LEAST_SAMPLE spread over the pool (a rotating
          // sample): as even in practice, and a request no longer costs a scan of 1,000. Pressure is
          // then judged against the sample's least crowded instance.
          const sampled = c.length > LEAST_SCAN;
          const n = sampled ? LEAST_SAMPLE : c.length;
          let from = 0;
          if (sampled) {
            // Golden-ratio offsets, not a fixed stride: a stride that is a multiple of the instance
            // count would sample one instance only when sockets alternate, and see no load to weigh.
            if (offsetsFor !== c.length) {
              offsetsFor = c.length;
              for (let i = 0; i < LEAST_SAMPLE; i++) offsets[i] = Math.floor(((i * GOLDEN) % 1) * c.length);
            }
            from = start++ % c.length;
          }
          const at = (i: number): T => (sampled ? c[(from + offsets[i]!) % c.length]! : c[i]!);
          let fewest = Infinity;
          for (let i = 0; i < n; i++) {
            const load = at(i).load;
            if (load) fewest = Math.min(fewest, load.sessions);
          }
          if (!Number.isFinite(fewest)) fewest = 1;
          let least = Infinity;
          let ties = 0;
          for (let i = 0; i < n; i++) {
            const k = (costs[i] = cost(at(i), fewest));
            if (k < least) {
              least = k;
              ties = 0;
            }
            if (k === least) ties++;
          }
          // The (next mod ties)-th of the cheapest.
          let skip = next++ % ties;
          for (let i = 0; i < n; i++) if (costs[i] === least && skip-- === 0) return at(i);
          return undefined;
        },
      };
    }
    case 'health-weighted': {
      // Smooth weighted round-robin (as nginx): deterministic, and proportional to score over pressure.
      const current = new Map<T, number>();
      // Past LEAST_SCAN sockets: scores and load reports read once per REWEIGH_EVERY picks or more (or a new set of sockets),
      // and a pick is a binary search on their running sum at a golden-ratio step: still
      // proportional and evenly spread, without reading 1,000 scores per request.
      let weights: { of: readonly T[]; sums: number[]; picks: number } | null = null;
      let u = 0;
      return {
        pick(c) {
          if (!c.length) return undefined;
          if (c.length > LEAST_SCAN) {
            // At most REWEIGH_SHARE score reads a pick: 1,000 scores every 32 picks was the pool's top cost at
            // 10,000 requests a second. Every 125 picks is still every ~12 ms at that rate.
            if (!weights || weights.of !== c || ++weights.picks >= Math.max(REWEIGH_EVERY, c.length / REWEIGH_SHARE)) {
              const fewest = fewestSessions(c);
              let total = 0;
              weights = { of: c, sums: c.map((s) => (total += Math.max(1, s.score) / pressure(s, fewest))), picks: 0 };
            }
            const sums = weights.sums;
            u = (u + GOLDEN) % 1;
            const target = u * sums[sums.length - 1]!;
            let lo = 0;
            let hi = sums.length - 1;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (sums[mid]! > target) hi = mid;
              else lo = mid + 1;
            }
            return c[lo];
          }
          const fewest = fewestSessions(c);
          let total = 0;
          let best: T | undefined;
          for (const s of c) {
            const w = Math.max(1, s.score) / pressure(s, fewest);
            total += w;
            const v = (current.get(s) ?? 0) + w;
            current.set(s, v);
            if (!best || v > current.get(best)!) best = s;
          }
          current.set(best!, current.get(best!)! - total);
          // Forget sockets no longer offered; a Set, since a scan per socket is quadratic at 1,000 sockets.
          if (current.size > c.length) {
            const offered = new Set(c);
            for (const s of current.keys()) if (!offered.has(s)) current.delete(s);
          }
          return best;
        },
      };
    }
  }
}
