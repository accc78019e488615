import { ProcessProbe } from './process-probe';

export interface Flow {
  in: number;
  out: number;
  ok: number;
  errors: number;
  allowed: number;
  denied: number;
}

const KEYS = ['in', 'out', 'ok', 'errors', 'allowed', 'denied'] as const;
const zero = (): Flow => ({ in: 0, out: 0, ok: 0, errors: 0, allowed: 0, denied: 0 });

/** Running totals of what flowed, counted once; every window reads its own deltas. */
export class FlowMeter {
  readonly total: Flow = zero();

  reader(): { peek(): Flow; take(): Flow } {
    let seen = { ...this.total };
    const diff = (): Flow => {
      const d = zero();
      for (const k of KEYS) d[k] = this.total[k] - seen[k];
      return d;
    };
    return {
      peek: diff,
      take: () => {
        const d = diff();
        seen = { ...this.total };
        return d;
      },
    };
  }
}

/** One measuring window, on a timer: what flowed (as rates) and how the process did. */
export class FlowWindow {
  private readonly probe = new ProcessProbe();
  private readonly flow: ReturnType<FlowMeter['reader']>;
  private timer: NodeJS.Timeout | null = null;

  constructor(meter: FlowMeter) {
    this.flow = meter.reader();
  }

  start(ms: number, tick: () => void): void {
    this.probe.start();
    this.timer = setInterval(tick, ms);
    this.timer.unref();
  }

  get running(): boolean {
    return this.timer !== null;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.probe.stop();
  }

  /** What has flowed in the current window so far. */
  get pending(): Flow {
    return this.flow.peek();
  }

  /** Reads and resets the window. */
  take() {
    const p = this.probe.take();
    const f = this.flow.take();
    return { ...p, flow: f, inPerS: f.in / p.secs, outPerS: f.out / p.secs, errorRate: f.errors / Math.max(1, f.ok + f.errors) };
  }
}
