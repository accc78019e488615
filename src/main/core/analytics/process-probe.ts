import { monitorEventLoopDelay } from 'node:perf_hooks';
import { processMemory } from '../process-memory';

/** How the console process itself is doing over a window: CPU, memory and event-loop lag. */
export class ProcessProbe {
  private readonly lag = monitorEventLoopDelay({ resolution: 10 });
  private cpu = process.cpuUsage();
  private last = performance.now();

  start(): void {
    this.lag.enable();
  }

  stop(): void {
    this.lag.disable();
  }

  /** Reads and resets the window. */
  take(): { secs: number; cpuPct: number; rssMb: number; heapMb: number; lagMs: number } {
    const t = performance.now();
    const secs = Math.max(0.001, (t - this.last) / 1000);
    const cpu = process.cpuUsage(this.cpu);
    const mem = processMemory();
    const out = {
      secs,
      cpuPct: ((cpu.user + cpu.system) / 1000 / (secs * 1000)) * 100,
      rssMb: mem.rss / 1048576,
      heapMb: mem.heapUsed / 1048576,
      lagMs: this.lag.percentile(99) / 1e6,
    };
    this.cpu = process.cpuUsage();
    this.last = t;
    this.lag.reset();
    return out;
  }
}
