import { randomUUID } from 'node:crypto';
import type { AlertNotice, AlertSettings, AlertView, CheckKind, CheckResult, HealthStatus } from '../../../shared/health';
import { UserError } from '../../../shared/result';
import type { AuditAction } from '../../../shared/words';
import type { Clock } from '../clock';
import { PARENT } from '../health/checks';
import { NoticeCap, type CapStore } from './cap';
import { formatDuration } from '../../../shared/duration';

export { formatDuration };

const RANK: Record<HealthStatus, number> = { ok: 0, unknown: 0, degraded: 1, failing: 2 };
const RECENT = 20;

interface Rec extends AlertView {
  /** A firing notice went out, so a resolved one is owed. */
  notified: boolean;
}

export interface AlertEngineDeps {
  clock: Clock;
  settings: () => AlertSettings;
  /** Every notice that passes silences and the cap: in-app, desktop and webhooks. */
  notify: (n: AlertNotice) => void;
  audit: (actor: string, action: AuditAction, subject: string, before: unknown, after: unknown) => void;
  /** Something a screen shows changed. */
  changed?: () => void;
  /** Silences outlive a restart: loaded once, saved on each change. */
  silences?: { load(): Record<string, number>; save(all: Record<string, number>): void };
  /** So do notified alerts, so a restart mid-outage still ends with one resolved notice. */
  firing?: { load(): FiringRecord[]; save(all: FiringRecord[]): void };
  /** And the hour's notices, so a restart does not reset the cap (nor lose what waits for the digest). */
  cap?: CapStore;
}

/**
 * What is kept of a notified alert across a restart. `clearedAt` too: lost, a restart during the
 * keep-firing wait counted the wait and the restart as trouble (a 20 s Redis outage resolved "after 39 s").
 */
export type FiringRecord = Pick<AlertView, 'id' | 'kind' | 'label' | 'severity' | 'reason' | 'since' | 'firedAt' | 'ackedBy'> & { clearedAt?: number | null };

/**
 * Alert rules on an injected clock. A condition must hold for the pending time before it fires, and be
 * clear for the keep-firing time before it resolves; a clear shorter than that does not reset the
 * pending time either, so a flapping check is one alert. A symptom whose root cause (PARENT) is active
 * notifies nobody; notices beyond the hourly cap wait for one digest.
 */
export class AlertEngine {
  private readonly active = new Map<string, Rec>();
  private recent: Rec[] = [];
  private readonly silences = new Map<string, number>();
  /** Silences set on an alert while it was on: they end with it, so a later, separate trouble notifies again. */
  private readonly incidentSilences = new Set<string>();
  private last: CheckResult[] = [];
  private timer: unknown = null;
  readonly cap: NoticeCap;

  constructor(private readonly d: AlertEngineDeps) {
    for (const [id, until] of Object.entries(d.silences?.load() ?? {})) this.silences.set(id, until);
    for (const f of d.firing?.load() ?? []) {
      this.active.set(f.id, { ...f, state: 'firing', resolvedAt: null, durationMs: null, silencedUntil: null, inhibitedBy: null, clearedAt: f.clearedAt ?? null, notified: true });
    }
    this.cap = new NoticeCap(d.clock, () => d.settings().maxPerHour, (n) => this.d.notify(n), () => this.d.changed?.(), d.cap);
  }

  /** Judges the latest check results; also re-run by its own timer at the next pending or keep-firing deadline. */
  evaluate(results: CheckResult[] = this.last): void {
    this.last = results;
    const now = this.d.clock.now();
    const { rules } = this.d.settings();
    const holds = (r: CheckResult): boolean => rules[r.kind].enabled && RANK[r.status] >= RANK[rules[r.kind].when];
    const byId = new Map(results.map((r) => [r.id, r]));
    const clearedBefore = this.notifiedClears();
    // Root causes first, so their symptoms see them in the same pass.
    const ordered = [...results].sort((a, b) => Number(a.kind in PARENT) - Number(b.kind in PARENT));
    for (const r of ordered) {
      if (!holds(r)) continue;
      const rec = this.active.get(r.id) ?? this.open(r, now);
      rec.clearedAt = null;
      rec.reason = r.reason;
    }
    for (const rec of [...this.active.values()]) {
      const r = byId.get(rec.id);
      if (!r || !holds(r)) rec.clearedAt ??= now;
      const rule = rules[rec.kind];
      const parent = this.activeParent(rec.kind, results, holds);
      if (parent && !rec.notified) rec.inhibitedBy = parent;
      if (rec.clearedAt !== null && now - rec.clearedAt >= rule.keepFiringSeconds * 1000) this.end(rec, now);
      else if (rec.state === 'pending' && rec.clearedAt === null && now - rec.since >= rule.pendingSeconds * 1000) this.fire(rec, now);
    }
    if (this.notifiedClears() !== clearedBefore) this.saveFiring();
    this.schedule(now);
    this.d.changed?.();
  }

  /** When each notified alert last cleared, as one string: saved again only when it changes, not each second. */
  private notifiedClears(): string {
    let out = '';
    for (const r of this.active.values()) if (r.notified && r.state === 'firing') out += `${r.id}=${r.clearedAt} `;
    return out;
  }

  /** Active alerts, then the recently resolved. A pending one whose condition cleared is kept (to damp flaps) but not shown. */
  view(): AlertView[] {
    const strip = ({ notified: _n, ...v }: Rec): AlertView => ({ ...v, silencedUntil: this.silencedUntil(v.id) });
    const shown = [...this.active.values()].filter((r) => r.state === 'firing' || r.clearedAt === null);
    return [...shown.map(strip), ...this.recent.map(strip)];
  }

  ack(id: string, actor: string): AlertView {
    const rec = this.active.get(id);
    if (!rec) throw new UserError('no-such-alert', 'That alert is over already; nothing to acknowledge.');
    if (!rec.ackedBy) {
      rec.ackedBy = actor;
      this.d.audit(actor, 'alert.ack', id, null, { reason: rec.reason });
      this.d.changed?.();
    }
    return this.view().find((a) => a.id === id)!;
  }

  /** Silences a check's alerts for `minutes` (0 lifts it): no notices while silenced. */
  silence(id: string, minutes: number, actor: string): { id: string; until: number | null } {
    // Only a check the console runs, or an alert it shows, can be silenced: anything else is kept for nobody.
    const known = this.silences.has(id) || this.active.has(id) || this.recent.some((r) => r.id === id) || this.last.some((r) => r.id === id);
    if (!known) throw new UserError('no-such-alert', 'There is no alert by that name to silence; silence one from the list on the Health tab.');
    const before = this.silencedUntil(id);
    const until = minutes > 0 ? this.d.clock.now() + minutes * 60_000 : null;
    for (const [other, end] of this.silences) if (end <= this.d.clock.now()) this.silences.delete(other); // ended ones are not saved again
    if (until === null) this.silences.delete(id);
    else this.silences.set(id, until);
    if (until !== null && this.active.has(id)) this.incidentSilences.add(id);
    else this.incidentSilences.delete(id);
    this.d.silences?.save(Object.fromEntries(this.silences));
    this.d.audit(actor, minutes > 0 ? 'alert.silence' : 'alert.unsilence', id, before, until);
    this.d.changed?.();
    return { id, until };
  }

  stop(): void {
    this.d.clock.clearTimeout(this.timer);
    this.cap.stop();
  }

  private silencedUntil(id: string): number | null {
    const until = this.silences.get(id);
    if (until === undefined) return null;
    if (until > this.d.clock.now()) return until;
    this.silences.delete(id);
    return null;
  }

  private open(r: CheckResult, now: number): Rec {
    const rule = this.d.settings().rules[r.kind];
    const rec: Rec = { id: r.id, kind: r.kind, label: r.label, severity: rule.severity, state: 'pending', reason: r.reason, since: now, firedAt: null, resolvedAt: null, durationMs: null, ackedBy: null, silencedUntil: null, inhibitedBy: null, clearedAt: null, notified: false };
    this.active.set(r.id, rec);
    return rec;
  }

  /** The root cause's label if it is active now (its condition holds, or its alert is pending or firing). */
  private activeParent(kind: CheckKind, results: CheckResult[], holds: (r: CheckResult) => boolean): string | null {
    const p = PARENT[kind];
    if (!p) return null;
    const live = [...this.active.values()].find((a) => a.kind === p) ?? results.find((r) => r.kind === p && holds(r));
    return live?.label ?? null;
  }

  private fire(rec: Rec, now: number): void {
    rec.state = 'firing';
    rec.firedAt = now;
    if (rec.inhibitedBy) return;
    rec.notified = this.send(rec, 'firing', `${rec.label}: ${rec.reason}`, null);
    this.saveFiring();
  }

  private saveFiring(): void {
    const keep = [...this.active.values()].filter((r) => r.notified && r.state === 'firing');
    this.d.firing?.save(keep.map(({ id, kind, label, severity, reason, since, firedAt, ackedBy, clearedAt }) => ({ id, kind, label, severity, reason, since, firedAt, ackedBy, clearedAt })));
  }

  /** A pending alert that clears is dropped quietly; a firing one resolves, with how long it lasted. */
  private end(rec: Rec, now: number): void {
    this.active.delete(rec.id);
    if (rec.state === 'pending') return;
    rec.state = 'resolved';
    rec.resolvedAt = now;
    rec.durationMs = (rec.clearedAt ?? now) - rec.since;
    if (rec.notified) {
      this.send(rec, 'resolved', `${rec.label} is back to normal after ${formatDuration(rec.durationMs)}.`, rec.durationMs);
      this.saveFiring();
    }
    if (this.incidentSilences.delete(rec.id)) {
      this.silences.delete(rec.id);
      this.d.silences?.save(Object.fromEntries(this.silences));
    }
    this.recent = [rec, ...this.recent].slice(0, RECENT);
  }

  /**
   * Returns whether the notice went out or waits for the digest. A silence drops new firing notices;
   * a resolved one still follows a firing one that went out, or receivers would hold it open for ever.
   */
  private send(rec: Rec, kind: 'firing' | 'resolved', text: string, durationMs: number | null): boolean {
    if (kind === 'firing' && this.silencedUntil(rec.id) !== null) return false;
    const title = kind === 'firing' ? `${rec.severity === 'critical' ? 'Critical' : rec.severity === 'warning' ? 'Warning' : 'Note'}: ${rec.label}` : `Resolved: ${rec.label}`;
    this.cap.offer({ id: randomUUID(), kind, alert: rec.id, severity: rec.severity, title, text, at: this.d.clock.now(), durationMs });
    return true;
  }

  private schedule(now: number): void {
    this.d.clock.clearTimeout(this.timer);
    this.timer = null;
    const { rules } = this.d.settings();
    let next = Infinity;
    for (const rec of this.active.values()) {
      const rule = rules[rec.kind];
      if (rec.clearedAt !== null) next = Math.min(next, rec.clearedAt + rule.keepFiringSeconds * 1000);
      else if (rec.state === 'pending') next = Math.min(next, rec.since + rule.pendingSeconds * 1000);
    }
    if (next < Infinity) this.timer = this.d.clock.setTimeout(() => this.evaluate(), Math.max(0, next - now));
  }
}
