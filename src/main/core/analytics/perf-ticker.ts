import { quantile } from 'simple-statistics';
import type { PerfPoint } from '../../../shared/state';
import { FlowWindow, type FlowMeter } from './flow';

export interface PerfSources {
  /** Round-trip times of the open sockets, by socket id. */
  rtts(): Record<string, number>;
}

/** Once a second, the live figures the Performance tab draws: a 1 Hz sibling of the 10 s sampler. */
export class PerfTicker {
  private readonly window: FlowWindow;

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
    const rtts = this.sources.rtts();
    const values = Object.values(rtts);
    return {
      ts: this.now(),
      rtts,
      p50: values.length ? quantile(values, 0.5) : null,
      p95: values.length ? quantile(values, 0.95) : null,
      inPerS: w.inPerS,
      outPerS: w.outPerS,
      errorRate: w.errorRate,
      rssMb: w.rssMb,
      heapMb: w.heapMb,
      cpuPct: w.cpuPct,
      lagMs: w.lagMs,
    };
  }
}
