/** Runs load plans against an injected backend and scores each side against the backend's own tally, in a fair order. */
import type { BackendFactory } from './backend';
import type { Side } from './drive';
import type { LoadPlan } from './plan';
import { AcceptedBits, round, type SideResult } from './stats';

export type SideRunner = (side: Side, plan: LoadPlan, urls: string[], token: string) => Promise<SideResult>;

export interface SideFigures {
  name: string;
  version: string;
  connections: number;
  connected: number;
  connect_ms_p50: number | null;
  connect_ms_p99: number | null;
  /** Actions the backend accepted ÷ actions the users meant to send (a user that never connected sent none). */
  success_rate: number;
  msgs_sent: number;
  msgs_received: number;
  msgs_per_s: number;
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
  latency_ms_p99: number | null;
  errors: Record<string, number>;
  /** Accepted by the client but unknown to the backend, or never answered either way. */
  lost: number;
  /** Applied by the backend more than once (each extra application counts). */
  duplicated: number;
  rss_mb: number;
  cpu_pct: number;
  cpu_us_per_msg: number;
  loop_lag_ms_p99: number;
  duration_s: number;
}

export type LoadLine = { scenario: string; backend: string; bar: number | null; meets_bar: boolean | null; order: [Side, Side] } & Omit<SideFigures, 'name' | 'version'> & {
    peer: SideFigures;
  };

const TOKEN = 'bench-load';

export function score(side: Side, plan: LoadPlan, r: SideResult, applied: ReadonlyMap<string, number>): SideFigures {
  const prefix = `${side}-${plan.name}-`;
  let duplicated = 0;
  for (const [tag, n] of applied) if (n > 1 && tag.startsWith(prefix)) duplicated += n - 1;
  let lost = r.unanswered;
  for (const i of AcceptedBits.indices(r.accepted)) if (!applied.has(`${prefix}${Math.floor(i / plan.msgs)}-${i % plan.msgs}`)) lost++;
  const { accepted: _accepted, unanswered: _unanswered, ...figures } = r;
  return { ...figures, success_rate: round(r.msgs_received / (plan.connections * plan.msgs)), lost, duplicated };
}

/**
 * Which side runs first in the `index`-th scenario. Whoever goes second meets a machine the first has
 * warmed (page cache, CPU clocks, the other workers' rhythm): always ours first read as a handicap of
 * ours. Alternating per scenario, and flipped by an odd `seed`, two runs give every scenario in both orders.
 */
export function sideOrder(index: number, seed = 0): [Side, Side] {
  return (index + seed) % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
}

/** Each side on a backend of its own, started for it and closed after it, so neither inherits the other's state. */
async function runOnFreshBackend(side: Side, plan: LoadPlan, factory: BackendFactory, run: SideRunner): Promise<SideFigures> {
  const b = await factory({ instances: 3, token: TOKEN });
  try {
    return score(side, plan, await run(side, plan, b.urls, TOKEN), await b.applied());
  } finally {
    await b.close();
  }
}

/** Both sides of every plan, in the order `sideOrder` gives, each in whatever the runner gives it (a child process in the bench). */
export async function runLoad(
  plans: LoadPlan[],
  backend: { name: string; factory: BackendFactory },
  run: SideRunner,
  log: (m: string) => void,
  seed = 0,
): Promise<LoadLine[]> {
  const lines: LoadLine[] = [];
  for (const [i, plan] of plans.entries()) {
    const order = sideOrder(i, seed);
    const figures = {} as Record<Side, SideFigures>;
    for (const side of order) {
      log(`load-${plan.name}: ${side}${side === order[0] ? ' first' : ' second'}, ${plan.connections} connections × ${plan.msgs} messages, fresh backend`);
      figures[side] = await runOnFreshBackend(side, plan, backend.factory, run);
    }
    const { ours, peer } = figures;
    const { name: _n, version: _v, ...mine } = ours;
    lines.push({ scenario: `load-${plan.name}`, backend: backend.name, bar: plan.bar, meets_bar: plan.bar === null ? null : ours.success_rate >= plan.bar, order, ...mine, peer });
    log(`load-${plan.name}: ours ${ours.success_rate * 100}% ok, p99 ${ours.latency_ms_p99} ms; peer ${peer.success_rate * 100}% ok, p99 ${peer.latency_ms_p99} ms`);
  }
  return lines;
}
