import { monitorEventLoopDelay } from 'node:perf_hooks';
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
  private readonly lag = monitorEventLoopDelay({ resolution: 20 });
  private cpu = process.cpuUsage();
  private last = performance.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sources: SamplerSources,
    private readonly onSample: (s: Sample) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(intervalMs = SAMPLE_MS): void {
    this.lag.enable();
    this.timer = setInterval(() => this.onSample(this.take()), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.lag.disable();
  }

  /** Reads and resets the window. */
  take(): Sample {
    const t = performance.now();
    const secs = Math.max(0.001, (t - this.last) / 1000);
    const cpu = process.cpuUsage(this.cpu);
    const mem = process.memoryUsage();
    const c = this.counts;
    const values: Record<Metric, number> = {
      connections: this.sources.connections(),
      latencyMs: this.sources.latencyMs(),
      inPerS: c.in / secs,
      outPerS: c.out / secs,
      errorRate: c.errors / Math.max(1, c.ok + c.errors),
      rssMb: mem.rss / 1048576,
      heapMb: mem.heapUsed / 1048576,
      cpuPct: ((cpu.user + cpu.system) / 1000 / (secs * 1000)) * 100,
      loopLagMs: this.lag.percentile(99) / 1e6,
      poolHealth: this.sources.poolHealth(),
      occupancy: this.sources.occupancy(),
    };
    const sample = { ts: Math.floor(this.now() / SAMPLE_MS) * SAMPLE_MS, values, allowed: c.allowed, denied: c.denied };
    Object.assign(this.counts, { in: 0, out: 0, ok: 0, errors: 0, allowed: 0, denied: 0 });
    this.cpu = process.cpuUsage();
    this.last = t;
    this.lag.reset();
    return sample;
  }
}
