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
      // A busier instance counts as already carrying requests, one per step of pressure beyond 1
      // (as weighted least-connections does), to the half, so noise (a few ms of lag) still ties.
      const cost = (s: T, fewest: number): number => s.inFlight + Math.round(2 * (pressure(s, fewest) - 1)) / 2;
      return {
        pick(c) {
          if (!c.length) return undefined;
          const fewest = fewestSessions(c);
          const costs = c.map((s) => cost(s, fewest));
          const least = Math.min(...costs);
          const ties = c.filter((_, i) => costs[i] === least);
          return ties[next++ % ties.length];
        },
      };
    }
    case 'health-weighted': {
      // Smooth weighted round-robin (as nginx): deterministic, and proportional to score over pressure.
      const current = new Map<T, number>();
      return {
        pick(c) {
          if (!c.length) return undefined;
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
          for (const s of current.keys()) if (!c.includes(s)) current.delete(s);
          return best;
        },
      };
    }
  }
}
