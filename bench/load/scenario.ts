/** Runs load plans against an injected backend and scores each side against the backend's own tally. */
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

export type LoadLine = { scenario: string; backend: string; bar: number | null; meets_bar: boolean | null } & Omit<SideFigures, 'name' | 'version'> & {
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

/** One backend per scenario; ours then the peer, each in whatever the runner gives it (a child process in the bench). */
export async function runLoad(plans: LoadPlan[], backend: { name: string; factory: BackendFactory }, run: SideRunner, log: (m: string) => void): Promise<LoadLine[]> {
  const lines: LoadLine[] = [];
  for (const plan of plans) {
    const b = await backend.factory({ instances: 3, token: TOKEN });
    try {
      log(`load-${plan.name}: ours, ${plan.connections} connections × ${plan.msgs} messages`);
      const ours = score('ours', plan, await run('ours', plan, b.urls, TOKEN), await b.applied());
      log(`load-${plan.name}: peer`);
      const peer = score('peer', plan, await run('peer', plan, b.urls, TOKEN), await b.applied());
      const { name: _n, version: _v, ...mine } = ours;
      lines.push({ scenario: `load-${plan.name}`, backend: backend.name, bar: plan.bar, meets_bar: plan.bar === null ? null : ours.success_rate >= plan.bar, ...mine, peer });
      log(`load-${plan.name}: ours ${ours.success_rate * 100}% ok, p99 ${ours.latency_ms_p99} ms; peer ${peer.success_rate * 100}% ok, p99 ${peer.latency_ms_p99} ms`);
    } finally {
      await b.close();
    }
  }
  return lines;
}
