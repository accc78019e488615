import { quantile } from 'simple-statistics';
import type { PerfPoint } from '../../../shared/state';
import { FlowWindow, type FlowMeter } from './flow';

export interface PerfSources {
  /** Round-trip times of the open sockets, each with the backend instance it reaches. */
  rtts(): { instance: string; ms: number }[];
}

/**
 * Instances drawn as lines of their own. Each point is kept for the tab's whole window and sent to
 * every screen: one line per socket made a console of 1,000 sockets send 38 MB snapshots.
 */
export const MAX_RTT_LINES = 16;

/** Rates are over the last this many ticks: at a few messages a second, one second's count reads 0, 1, 2, 0… */
export const RATE_TICKS = 10;

/** Once a second, the live figures the Performance tab draws: a 1 Hz sibling of the 10 s sampler. */
export class PerfTicker {
  private readonly window: FlowWindow;
  /** The last RATE_TICKS windows' counts and lengths, newest last. */
  private readonly recent: { in: number; out: number; secs: number }[] = [];

  constructor(
    meter: FlowMeter,
    private readonly sources: PerfSources,
    private readonly onPoint: (p: PerfPoint) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.window = new FlowWindow(meter);
  }

  start(ms = 1_000): void {
    this.window.start(ms, () => this.onPoint(this.take()));
  }

  stop(): void {
    this.window.stop();
  }

  take(): PerfPoint {
    const w = this.window.take();
    this.recent.push({ in: w.flow.in, out: w.flow.out, secs: w.secs });
    if (this.recent.length > RATE_TICKS) this.recent.shift();
    const sum = (k: 'in' | 'out' | 'secs') => this.recent.reduce((n, r) => n + r[k], 0);
    const secs = Math.max(sum('secs'), 1e-9);
    const sockets = this.sources.rtts();
    const values = sockets.map((r) => r.ms);
    return {
      ts: this.now(),
      rtts: byInstance(sockets),
      p50: values.length ? quantile(values, 0.5) : null,
      p95: values.length ? quantile(values, 0.95) : null,
      inPerS: sum('in') / secs,
      outPerS: sum('out') / secs,
      errorRate: w.errorRate,
      rssMb: w.rssMb,
      heapMb: w.heapMb,
      cpuPct: w.cpuPct,
      lagMs: w.lagMs,
    };
  }
}

/** The median round trip of each instance's open sockets, for the first MAX_RTT_LINES instances by name. */
function byInstance(sockets: { instance: string; ms: number }[]): Record<string, number> {
  const groups = new Map<string, number[]>();
  for (const { instance, ms } of sockets) {
    const list = groups.get(instance);
    if (list) list.push(ms);
    else if (groups.size < MAX_RTT_LINES * 4) groups.set(instance, [ms]); // enough to choose from; bounded
  }
  const names = [...groups.keys()].sort().slice(0, MAX_RTT_LINES);
  return Object.fromEntries(names.map((n) => [n, quantile(groups.get(n)!, 0.5)]));
}
