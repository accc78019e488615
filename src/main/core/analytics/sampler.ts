import { ProcessProbe } from './process-probe';
import type { Metric } from '../../../shared/analytics';
import type { Sample } from '../store/analytics-store';

export interface SamplerSources {
  connections(): number;
  latencyMs(): number;
  poolHealth(): number;
  occupancy(): number;
}

export const SAMPLE_MS = 10_000;

/** Every 10 s: what flowed, what failed, and how the process itself is doing. */
export class Sampler {
  readonly counts = { in: 0, out: 0, ok: 0, errors: 0, allowed: 0, denied: 0 };
  private readonly probe = new ProcessProbe();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sources: SamplerSources,
    private readonly onSample: (s: Sample) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(intervalMs = SAMPLE_MS): void {
    this.probe.start();
    this.timer = setInterval(() => this.onSample(this.take()), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.probe.stop();
  }

  /** Reads and resets the window. */
  take(): Sample {
    const { secs, cpuPct, rssMb, heapMb, lagMs } = this.probe.take();
    const c = this.counts;
    const values: Record<Metric, number> = {
      connections: this.sources.connections(),
      latencyMs: this.sources.latencyMs(),
      inPerS: c.in / secs,
      outPerS: c.out / secs,
      errorRate: c.errors / Math.max(1, c.ok + c.errors),
      rssMb,
      heapMb,
      cpuPct,
      loopLagMs: lagMs,
      poolHealth: this.sources.poolHealth(),
      occupancy: this.sources.occupancy(),
    };
    const sample = { ts: Math.floor(this.now() / SAMPLE_MS) * SAMPLE_MS, values, allowed: c.allowed, denied: c.denied };
    Object.assign(this.counts, { in: 0, out: 0, ok: 0, errors: 0, allowed: 0, denied: 0 });
    return sample;
  }
}
