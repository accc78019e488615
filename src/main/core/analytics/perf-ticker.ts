import { quantile } from 'simple-statistics';
import type { PerfPoint } from '../../../shared/state';
import { FlowWindow, type FlowMeter } from './flow';

export interface PerfSources {
  /** Round-trip times of the open sockets, by socket id. */
  rtts(): Record<string, number>;
}

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
    const rtts = this.sources.rtts();
    const values = Object.values(rtts);
    return {
      ts: this.now(),
      rtts,
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
