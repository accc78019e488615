import { SAMPLE_MS, type MetricValues } from '../../../shared/analytics';
import type { Sample } from '../store/analytics-store';
import { FlowWindow, type Flow, type FlowMeter } from './flow';

export interface SamplerSources {
  connections(): number;
  /** Mean reply time of the sockets answering, or null when none is: an outage has no reply time, not 0 ms. */
  latencyMs(): number | null;
  poolHealth(): number;
  /** People inside, or null when not known: a count the backend is not answering for is not recorded. */
  occupancy(): number | null;
  /** Each backend instance answering or not, and '' for any of them. */
  instancesUp?(): Record<string, boolean>;
}

export { SAMPLE_MS };

/** Every 10 s: what flowed, what failed, and how the process itself is doing. */
export class Sampler {
  private readonly window: FlowWindow;

  constructor(
    meter: FlowMeter,
    private readonly sources: SamplerSources,
    private readonly onSample: (s: Sample) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.window = new FlowWindow(meter);
  }

  /** What has flowed in the current 10 s window so far. */
  get counts(): Flow {
    return this.window.pending;
  }

  start(intervalMs = SAMPLE_MS): void {
    this.window.start(intervalMs, () => this.onSample(this.take()));
  }

  /** The unfinished window's check-ins are kept as a last sample: every stop, a clean one too, lost them (probe22 K2). */
  stop(): void {
    const f = this.window.pending;
    if (this.window.running && f.allowed + f.denied > 0) this.onSample(this.take());
    this.window.stop();
  }

  /** Reads and resets the window. */
  take(): Sample {
    const w = this.window.take();
    const values: MetricValues = {
      connections: this.sources.connections(),
      latencyMs: this.sources.latencyMs(),
      inPerS: w.inPerS,
      outPerS: w.outPerS,
      errorRate: w.errorRate,
      rssMb: w.rssMb,
      heapMb: w.heapMb,
      cpuPct: w.cpuPct,
      loopLagMs: w.lagMs,
      poolHealth: this.sources.poolHealth(),
      occupancy: this.sources.occupancy(),
    };
    return { ts: Math.floor(this.now() / SAMPLE_MS) * SAMPLE_MS, values, allowed: w.flow.allowed, denied: w.flow.denied, up: this.sources.instancesUp?.() };
  }
}
