import { overallStatus, type CheckChange, type CheckResult, type CheckView, type HealthGauge } from '../../../shared/health';
import type { Clock } from '../clock';
import type { AlertEngine } from '../alerts/engine';
import { runChecks, type HealthInputs } from './checks';
import { StatusSettler } from './settle';

const HISTORY = 30;
export const TICK_MS = 1_000;

/**
 * Runs every check once a second (and soon after anything changes), keeps each check's recent status
 * changes, and hands the results to the alert engine.
 */
export class HealthMonitor {
  private readonly history = new Map<string, { since: number; changes: CheckChange[] }>();
  private results: CheckResult[] = [];
  private readonly settler = new StatusSettler();
  private timer: unknown = null;
  private poked = false;
  private stopped = false;
  private readonly followers: ((results: CheckResult[]) => void)[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly inputs: () => HealthInputs,
    private readonly engine: AlertEngine,
    private readonly changed: () => void,
    /** How many times the webhook delivery log has changed (WebhookSender.changes). */
    private readonly webhookLog: () => number = () => 0,
  ) {}

  start(): void {
    this.run();
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
  }

  /** Something changed (a socket closed): judge again after this turn, not a second later. */
  poke(): void {
    if (this.poked || this.stopped) return;
    this.poked = true;
    this.clock.defer(() => {
      this.poked = false;
      if (!this.stopped) this.check();
    });
  }

  /** Called with every round of results (recovery actions follow them). */
  follow(fn: (results: CheckResult[]) => void): void {
    this.followers.push(fn);
  }

  gauge(): HealthGauge {
    const checks: CheckView[] = this.results.map((r) => {
      const h = this.history.get(r.id)!;
      return { ...r, since: h.since, history: h.changes };
    });
    return { overall: overallStatus(this.results.map((r) => r.status)), checks, alerts: this.engine.view(), notices: this.engine.cap.state, webhookLog: this.webhookLog() };
  }

  private run(): void {
    this.check();
    if (!this.stopped) this.timer = this.clock.setTimeout(() => this.run(), TICK_MS);
  }

  private check(): void {
    const now = this.clock.now();
    this.results = this.settler.settle(runChecks(this.inputs()), this.clock.mono());
    for (const r of this.results) {
      const h = this.history.get(r.id);
      const last = h?.changes[0];
      if (!h) this.history.set(r.id, { since: now, changes: [{ ts: now, status: r.status, reason: r.reason }] });
      else if (last!.status !== r.status) {
        h.since = now;
        h.changes = [{ ts: now, status: r.status, reason: r.reason }, ...h.changes].slice(0, HISTORY);
      }
    }
    for (const id of [...this.history.keys()]) if (!this.results.some((r) => r.id === id)) this.history.delete(id);
    this.engine.evaluate(this.results);
    for (const f of this.followers) f(this.results);
    this.changed();
  }
}
