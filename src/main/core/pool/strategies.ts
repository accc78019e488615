import type { Strategy } from '../../../shared/pools';

export interface Routable {
  inFlight: number;
  score: number;
}

/** Picks the next socket for a request from those in rotation. Stateful for round-robin and weighting. */
export interface Picker<T extends Routable> {
  pick(candidates: readonly T[]): T | undefined;
}

/** Sockets least-connections compares per pick; every socket in pools up to this size. */
export const LEAST_SCAN = 64;
const REWEIGH_EVERY = 32;
const GOLDEN = 0.6180339887498949;

export function createPicker<T extends Routable>(strategy: Strategy): Picker<T> {
  switch (strategy) {
    case 'round-robin': {
      let next = 0;
      return { pick: (c) => (c.length ? c[next++ % c.length] : undefined) };
    }
    case 'least-connections': {
      let next = 0; // rotates ties so equal sockets share the load
      return {
        pick(c) {
          if (!c.length) return undefined;
          const start = next++ % c.length;
          // Past LEAST_SCAN sockets, the least busy of LEAST_SCAN spread over the pool (a rotating
          // sample): as even in practice, and a request no longer costs a scan of 1,000.
          const n = Math.min(c.length, LEAST_SCAN);
          const stride = Math.max(1, Math.floor(c.length / n));
          let best = c[start]!;
          for (let i = 1; i < n; i++) {
            const s = c[(start + i * stride) % c.length]!;
            if (s.inFlight < best.inFlight) best = s;
          }
          return best;
        },
      };
    }
    case 'health-weighted': {
      // Smooth weighted round-robin (as nginx): deterministic, and proportional to score.
      const current = new Map<T, number>();
      // Past LEAST_SCAN sockets: scores read once per REWEIGH_EVERY picks (or a new set of sockets),
      // and a pick is a binary search on their running sum at a golden-ratio step: still
      // proportional and evenly spread, without reading 1,000 scores per request.
      let weights: { of: readonly T[]; sums: number[]; picks: number } | null = null;
      let u = 0;
      return {
        pick(c) {
          if (!c.length) return undefined;
          if (c.length > LEAST_SCAN) {
            if (!weights || weights.of !== c || ++weights.picks >= REWEIGH_EVERY) {
              let total = 0;
              weights = { of: c, sums: c.map((s) => (total += Math.max(1, s.score))), picks: 0 };
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
          let total = 0;
          let best: T | undefined;
          for (const s of c) {
            const w = Math.max(1, s.score);
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
