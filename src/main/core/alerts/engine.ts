import { randomUUID } from 'node:crypto';
import { LONGEST_SILENCE_MINUTES, type AlertNotice, type AlertSettings, type AlertView, type CheckKind, type CheckResult, type HealthStatus } from '../../../shared/health';
import { UserError } from '../../../shared/result';
import type { AuditAction } from '../../../shared/words';
import type { Clock } from '../clock';
import { PARENT } from '../health/checks';
import { NoticeCap, type CapStore } from './cap';
import { formatDuration } from '../../../shared/duration';

export { formatDuration };

const RANK: Record<HealthStatus, number> = { ok: 0, unknown: 0, degraded: 1, failing: 2 };
const RECENT = 20;
/** How long an alert's check stays normal before a silence set on it ends: longer than a flapping backend's good spells. */
export const SILENCE_QUIET_MS = 10 * 60_000;

/** How a resolved notice says an alert ended, where "back to normal" would be untrue. */
const ENDED_WORDS: Partial<Record<CheckKind, (label: string, ackedBy: string | null) => string>> = {
  // A start's loss does not heal: its alert closes once acknowledged, or when a later start no longer reports it (review26 V7, V9).
  lost: (label, ackedBy) => (ackedBy ? `${label}: closed, as ${ackedBy} acknowledged it.` : `${label}: closed, as the console has started again since.`),
};

/** `ageMs` is worked out when viewed, from `began`. */
interface Rec extends Omit<AlertView, 'ageMs'> {
  /** A firing notice went out, so a resolved one is owed. */
  notified: boolean;
  /**
   * `since` and `clearedAt` on the monotonic clock: the pending and keep-firing waits, and how long the
   * trouble lasted, are time that passed. On the wall clock, one set back a day held a critical alert a day.
   */
  began: number;
  cleared: number | null;
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
  /** When each silence ends, on the monotonic clock: a PC clock set back does not lengthen it. */
  private readonly silences = new Map<string, number>();
  /**
   * Silences set on an alert while it was on, and since when (mono) its check has been normal, the alert over; null
   * while it is on. Such a silence ends once the check has stayed normal SILENCE_QUIET_MS, so a later, separate trouble
   * notifies again, while a backend that keeps dropping out stays silenced for the time chosen (probe26b B9: "Silence
   * 1 h" paged again 55 s later, at its next short recovery).
   */
  private readonly incidentSilences = new Map<string, number | null>();
  private last: CheckResult[] = [];
  private timer: unknown = null;
  readonly cap: NoticeCap;

  constructor(private readonly d: AlertEngineDeps) {
    const now = d.clock.now();
    const mono = d.clock.mono();
    // Saved as wall times, since monotonic time starts again each run. One ahead of this PC's clock is
    // taken as now; a silence is held to the longest one a manager can set.
    for (const [id, until] of Object.entries(d.silences?.load() ?? {})) {
      if (until > now) this.silences.set(id, mono + Math.min(until - now, LONGEST_SILENCE_MINUTES * 60_000));
    }
    const ago = (t: number): number => Math.max(0, now - t);
    for (const f of d.firing?.load() ?? []) {
      const clearedAt = f.clearedAt ?? null;
      this.active.set(f.id, {
        ...f, since: Math.min(f.since, now), firedAt: f.firedAt === null ? null : Math.min(f.firedAt, now), state: 'firing', resolvedAt: null, durationMs: null, silencedUntil: null, inhibitedBy: null,
        clearedAt: clearedAt === null ? null : Math.min(clearedAt, now), notified: true, began: mono - ago(f.since), cleared: clearedAt === null ? null : mono - ago(clearedAt),
      });
    }
    this.cap = new NoticeCap(d.clock, () => d.settings().maxPerHour, (n) => this.d.notify(n), () => this.d.changed?.(), d.cap);
  }

  /** Judges the latest check results; also re-run by its own timer at the next pending or keep-firing deadline. */
  evaluate(results: CheckResult[] = this.last): void {
    this.last = results;
    const now = this.d.clock.now();
    const mono = this.d.clock.mono();
    const { rules } = this.d.settings();
    const holds = (r: CheckResult): boolean => rules[r.kind].enabled && RANK[r.status] >= RANK[rules[r.kind].when];
    const byId = new Map(results.map((r) => [r.id, r]));
    const clearedBefore = this.notifiedClears();
    // Root causes first, so their symptoms see them in the same pass.
    const ordered = [...results].sort((a, b) => Number(a.kind in PARENT) - Number(b.kind in PARENT));
    for (const r of ordered) {
      if (!holds(r)) continue;
      const rec = this.active.get(r.id) ?? this.open(r, now, mono);
      rec.clearedAt = null;
      rec.cleared = null;
      rec.reason = r.reason;
    }
    for (const rec of [...this.active.values()]) {
      const r = byId.get(rec.id);
      // The check's name now: one kept from an older version's run read "Backend reachable" beside "Backend connection" (probe27b D4).
      if (r) rec.label = r.label;
      if ((!r || !holds(r)) && rec.cleared === null) {
        rec.clearedAt = now;
        rec.cleared = mono;
      }
      const rule = rules[rec.kind];
      const parent = this.activeParent(rec.kind, results, holds);
      if (parent && !rec.notified) rec.inhibitedBy = parent;
      if (rec.cleared !== null && mono - rec.cleared >= rule.keepFiringSeconds * 1000) this.end(rec, now, mono);
      else if (rec.state === 'pending' && rec.cleared === null && mono - rec.began >= rule.pendingSeconds * 1000) this.fire(rec, now);
      // Still on as its silence ends: told now, or an outage silenced for an hour went on unannounced after it.
      else if (rec.state === 'firing' && !rec.notified && !rec.inhibitedBy && rec.cleared === null && this.silencedUntil(rec.id) === null) this.fire(rec, rec.firedAt ?? now);
    }
    this.endQuietSilences(mono);
    if (this.notifiedClears() !== clearedBefore) this.saveFiring();
    this.schedule(mono);
    this.d.changed?.();
  }

  /** An alert's silence holds while its trouble comes back; once its check has stayed normal SILENCE_QUIET_MS, it ends. */
  private endQuietSilences(mono: number): void {
    for (const [id, quietSince] of this.incidentSilences) {
      if (this.active.has(id)) this.incidentSilences.set(id, null);
      else if (quietSince !== null && mono - quietSince >= SILENCE_QUIET_MS) {
        this.incidentSilences.delete(id);
        if (this.silences.delete(id)) this.saveSilences();
      }
    }
  }

  /** When each notified alert last cleared, as one string: saved again only when it changes, not each second. */
  private notifiedClears(): string {
    let out = '';
    for (const r of this.active.values()) if (r.notified && r.state === 'firing') out += `${r.id}=${r.clearedAt} `;
    return out;
  }

  /** Active alerts, then the recently resolved. A pending one whose condition cleared is kept (to damp flaps) but not shown. */
  view(): AlertView[] {
    const mono = this.d.clock.mono();
    // Back to normal and waiting to close, its trouble lasted until then: the count stops (readme27 W7).
    const strip = ({ notified: _n, began, cleared, ...v }: Rec): AlertView => ({ ...v, silencedUntil: this.silencedUntil(v.id), ageMs: v.state === 'resolved' ? null : Math.max(0, Math.round((cleared ?? mono) - began)) });
    const shown = [...this.active.values()].filter((r) => r.state === 'firing' || r.clearedAt === null);
    return [...shown.map(strip), ...this.recent.map(strip)];
  }

  ack(id: string, actor: string): AlertView {
    const rec = this.active.get(id);
    if (!rec) throw new UserError('no-such-alert', 'That alert is over already; nothing to acknowledge.');
    if (!rec.ackedBy) {
      rec.ackedBy = actor;
      this.d.audit(actor, 'alert.ack', id, null, { reason: rec.reason });
      // Kept across a restart with the alert, or it comes back unacknowledged, on the desk's banner again (review26 V8).
      if (rec.notified) this.saveFiring();
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
    for (const [other, end] of this.silences) if (end <= this.d.clock.mono()) this.silences.delete(other); // ended ones are not saved again
    if (minutes > 0) this.silences.set(id, this.d.clock.mono() + minutes * 60_000);
    else this.silences.delete(id);
    const until = this.silencedUntil(id);
    if (until !== null && this.active.has(id)) this.incidentSilences.set(id, null);
    else this.incidentSilences.delete(id);
    this.saveSilences();
    this.d.audit(actor, minutes > 0 ? 'alert.silence' : 'alert.unsilence', id, before, until);
    this.d.changed?.();
    return { id, until };
  }

  stop(): void {
    this.d.clock.clearTimeout(this.timer);
    this.cap.stop();
  }

  /** When the silence ends, as this PC's clock now reads (what people see, and what is saved). */
  private silencedUntil(id: string): number | null {
    const end = this.silences.get(id);
    if (end === undefined) return null;
    const left = end - this.d.clock.mono();
    if (left > 0) return Math.round(this.d.clock.now() + left);
    this.silences.delete(id);
    return null;
  }

  private saveSilences(): void {
    this.d.silences?.save(Object.fromEntries([...this.silences.keys()].flatMap((id) => {
      const until = this.silencedUntil(id);
      return until === null ? [] : [[id, until]];
    })));
  }

  private open(r: CheckResult, now: number, mono: number): Rec {
    const rule = this.d.settings().rules[r.kind];
    const rec: Rec = { id: r.id, kind: r.kind, label: r.label, severity: rule.severity, state: 'pending', reason: r.reason, since: now, firedAt: null, resolvedAt: null, durationMs: null, ackedBy: null, silencedUntil: null, inhibitedBy: null, clearedAt: null, notified: false, began: mono, cleared: null };
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
    // The reason alone: every channel shows it under the title ("Warning: Clock"), and "Clock. Clock: …" said the label twice.
    rec.notified = this.send(rec, 'firing', rec.reason, null);
    this.saveFiring();
  }

  /** `since` and `clearedAt` as this PC's clock reads them now, so a clock set during the trouble does not stretch it after a restart. */
  private saveFiring(): void {
    const keep = [...this.active.values()].filter((r) => r.notified && r.state === 'firing');
    const wall = (t: number): number => Math.round(this.d.clock.now() - (this.d.clock.mono() - t));
    this.d.firing?.save(keep.map(({ id, kind, label, severity, reason, began, firedAt, ackedBy, cleared }) => ({ id, kind, label, severity, reason, since: wall(began), firedAt, ackedBy, clearedAt: cleared === null ? null : wall(cleared) })));
  }

  /** A pending alert that clears is dropped quietly; a firing one resolves, with how long it lasted. */
  private end(rec: Rec, now: number, mono: number): void {
    this.active.delete(rec.id);
    if (rec.state === 'pending') return;
    rec.state = 'resolved';
    rec.resolvedAt = now;
    rec.durationMs = Math.round((rec.cleared ?? mono) - rec.began);
    if (rec.notified) {
      const over = ENDED_WORDS[rec.kind]?.(rec.label, rec.ackedBy) ?? `${rec.label} is back to normal after ${formatDuration(rec.durationMs)}.`;
      this.send(rec, 'resolved', over, rec.durationMs);
      this.saveFiring();
    }
    if (this.incidentSilences.has(rec.id)) this.incidentSilences.set(rec.id, mono);
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

  /** `mono`: now on the monotonic clock, as every deadline here is. */
  private schedule(mono: number): void {
    this.d.clock.clearTimeout(this.timer);
    this.timer = null;
    const { rules } = this.d.settings();
    let next = Infinity;
    for (const rec of this.active.values()) {
      const rule = rules[rec.kind];
      if (rec.cleared !== null) next = Math.min(next, rec.cleared + rule.keepFiringSeconds * 1000);
      else if (rec.state === 'pending') next = Math.min(next, rec.began + rule.pendingSeconds * 1000);
    }
    if (next < Infinity) this.timer = this.d.clock.setTimeout(() => this.evaluate(), next - mono);
  }
}
