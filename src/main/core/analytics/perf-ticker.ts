import { ProcessProbe } from './process-probe';
import { quantile } from 'simple-statistics';
import type { PerfPoint } from '../../../shared/state';

export interface PerfSources {
  /** Round-trip times of the open sockets, by socket id. */
  rtts(): Record<string, number>;
}

/** Once a second, the live figures the Performance tab draws: a 1 Hz sibling of the 10 s sampler. */
export class PerfTicker {
  readonly counts = { in: 0, out: 0, ok: 0, errors: 0 };
  private readonly probe = new ProcessProbe();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sources: PerfSources,
    private readonly onPoint: (p: PerfPoint) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(ms = 1_000): void {
    this.probe.start();
    this.timer = setInterval(() => this.onPoint(this.take()), ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.probe.stop();
  }

  take(): PerfPoint {
    const { secs, cpuPct, rssMb, heapMb, lagMs } = this.probe.take();
    const rtts = this.sources.rtts();
    const values = Object.values(rtts);
    const c = this.counts;
    const point: PerfPoint = {
      ts: this.now(),
      rtts,
      p50: values.length ? quantile(values, 0.5) : null,
      p95: values.length ? quantile(values, 0.95) : null,
      inPerS: c.in / secs,
      outPerS: c.out / secs,
      errorRate: c.errors / Math.max(1, c.ok + c.errors),
      rssMb,
      heapMb,
      cpuPct,
      lagMs,
    };
    Object.assign(this.counts, { in: 0, out: 0, ok: 0, errors: 0 });
    return point;
  }
}
