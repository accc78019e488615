import { AlertSettingsSchema, StoredAlertSettingsSchema, CHECK_KINDS, SEVERITIES, DEFAULT_ALERT_SETTINGS, DEFAULT_WEBHOOK_SETTINGS, WebhookSettingsSchema, sameWebhookAddress, repeatsOf, type AlertNotice, type AlertSettings, type WebhookEndpoint, type WebhookEndpointView, type WebhookSave } from '../../../shared/health';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../../../shared/result';
import { hidePassword } from '../../../shared/webhook-address';
import type { Clock } from '../clock';
import type { AuditLog } from '../store/audit-log';
import type { Db } from '../store/db';
import { SettingsStore } from '../store/settings-store';
import { HealthMonitor } from '../health/monitor';
import type { HealthInputs } from '../health/checks';
import { AlertEngine } from './engine';
import { WebhookSender } from './webhooks';
import { WebhookStore } from './webhook-store';
import type { NoticeSource } from './notice-body';

const DisabledSchema = z.record(z.string().max(500), z.string().max(300));
const SilencesSchema = z.record(z.string().max(80), z.number().int().positive());
const FiringSchema = z
  .array(
    z.object({
      id: z.string().max(80),
      kind: z.enum(CHECK_KINDS),
      label: z.string().max(200),
      severity: z.enum(SEVERITIES),
      reason: z.string().max(2_000),
      since: z.number().int(),
      firedAt: z.number().int().nullable(),
      ackedBy: z.string().max(40).nullable(),
      // Saved since consoles kept when an alert cleared; older saves have none.
      clearedAt: z.number().int().nullable().optional(),
    }),
  )
  .max(100);
const NoticeSchema = z.object({
  id: z.string().max(80),
  kind: z.enum(['firing', 'resolved', 'digest', 'test']),
  alert: z.string().max(80),
  severity: z.enum(SEVERITIES),
  title: z.string().max(500),
  text: z.string().max(20_000),
  at: z.number().int(),
  durationMs: z.number().nullable(),
});
/** The notices of the last hour and those held for the digest; bounded well above any cap a manager can set. */
const CapSchema = z.object({ sent: z.array(z.number().int()).max(10_000), held: z.array(NoticeSchema).max(1_000) });

export interface AlertCenterDeps {
  db: Db;
  audit: AuditLog;
  clock: Clock;
  inputs: () => HealthInputs;
  /** The health gauge changed. */
  changed: () => void;
  /** Every notice that passed silences and the cap, for the in-app list and the desktop. */
  onNotice: (n: AlertNotice) => void;
  /** Tests and the bench shorten Standard Webhooks' hours-long schedule. */
  retrySchedule?: number[];
  fetch?: typeof fetch;
  /** Which gym and PC the webhook notices come from. */
  source?: () => NoticeSource;
}

/** Health checks, alert rules and the channels, with their settings in console.db. */
export class AlertCenter {
  readonly monitor: HealthMonitor;
  readonly engine: AlertEngine;
  readonly webhooks: WebhookSender;
  readonly deliveries: WebhookStore;
  private readonly saved: SettingsStore;
  private alertSettings: AlertSettings;

  constructor(private readonly d: AlertCenterDeps) {
    this.saved = new SettingsStore(d.db);
    this.alertSettings = this.saved.get('alerts', StoredAlertSettingsSchema, DEFAULT_ALERT_SETTINGS);
    this.engine = new AlertEngine({
      clock: d.clock,
      settings: () => this.alertSettings,
      notify: (n) => {
        this.webhooks.enqueue(n);
        d.onNotice(n);
      },
      audit: (actor, action, subject, before, after) => d.audit.record(actor, action, subject, before, after),
      changed: d.changed,
      silences: {
        load: () => this.saved.get('alerts.silences', SilencesSchema, {}),
        save: (all) => void this.saved.set('alerts.silences', SilencesSchema, all),
      },
      firing: {
        load: () => this.saved.get('alerts.firing', FiringSchema, []),
        save: (all) => void this.saved.set('alerts.firing', FiringSchema, all),
      },
      cap: {
        load: () => this.saved.get('alerts.cap', CapSchema, { sent: [], held: [] }),
        save: (state) => void this.saved.set('alerts.cap', CapSchema, { sent: state.sent.slice(-10_000), held: state.held.slice(-1_000) }),
      },
    });
    this.deliveries = new WebhookStore(d.db);
    this.webhooks = new WebhookSender({
      store: this.deliveries,
      clock: d.clock,
      endpoints: () => this.webhookSettings().endpoints,
      disable: (url, why) => this.disable(url, why),
      schedule: d.retrySchedule,
      changed: d.changed,
      fetch: d.fetch,
      source: d.source,
    });
    this.monitor = new HealthMonitor(d.clock, d.inputs, this.engine, d.changed, () => this.webhooks.changes);
  }

  start(): void {
    this.monitor.start();
    this.webhooks.start();
  }

  stop(): void {
    this.monitor.stop();
    this.engine.stop();
    this.webhooks.stop();
  }

  get settings(): AlertSettings {
    return this.alertSettings;
  }

  configure(next: AlertSettings, actor: string): AlertSettings {
    const before = this.alertSettings;
    this.alertSettings = this.saved.set('alerts', AlertSettingsSchema, next);
    this.d.audit.record(actor, 'alerts.configure', 'alert rules', before, this.alertSettings);
    this.engine.evaluate();
    return this.alertSettings;
  }

  webhookSettings() {
    return this.saved.get('webhooks', WebhookSettingsSchema, DEFAULT_WEBHOOK_SETTINGS);
  }

  webhookViews(): WebhookEndpointView[] {
    const disabled = this.saved.get('webhooks.disabled', DisabledSchema, {});
    const list = this.webhookSettings().endpoints;
    return list.map((e, i) => {
      const repeats = repeatsOf(list, i);
      return { url: hidePassword(e.url), secretHint: `…${e.secret.slice(-4)}`, enabled: e.enabled, timeoutSeconds: e.timeoutSeconds, disabledReason: disabled[e.url] ?? null, repeats: repeats && hidePassword(repeats) };
    });
  }

  /**
   * Adds or changes an address; an empty secret keeps the saved one. Switching it on again clears a 410. `replaces`
   * (Edit): the address it takes the place of, whose notices still queued go to the new one (probe26b B5, review26 V4). The same address spelt
   * otherwise is a change of the saved one, not a second receiver of every notice (B4).
   */
  saveWebhook(input: WebhookSave, actor: string): WebhookEndpointView[] {
    const { replaces, ...endpoint } = input;
    const list = this.webhookSettings().endpoints;
    const was = replaces === undefined ? undefined : this.find(replaces);
    if (replaces !== undefined && !was) throw new UserError('no-such-webhook', 'The address being changed is no longer saved (removed on another screen?): save this one as a new address.');
    const same = list.find((e) => sameWebhookAddress(e.url, endpoint.url));
    if (was && same && same.url !== was.url) {
      const message = `${hidePassword(same.url)} is saved already: change or remove that one instead.`;
      throw new UserError('invalid-input', message, { field: 'url', problems: [{ field: 'url', message }] });
    }
    const old = was ?? same;
    const secret = endpoint.secret || old?.secret;
    if (!secret) throw new UserError('invalid-input', 'A new address needs a signing secret; use Generate for a good one.', { field: 'secret', problems: [{ field: 'secret', message: 'A new address needs a signing secret; use Generate for a good one.' }] });
    if (!old && list.length >= 5) throw new UserError('too-many', 'The console sends to at most 5 webhook addresses; remove one first.');
    // Spelt otherwise, the saved spelling stays: its delivery log and queued notices are under it.
    const next = { ...endpoint, url: old && sameWebhookAddress(old.url, endpoint.url) ? old.url : endpoint.url, secret };
    this.saved.set('webhooks', WebhookSettingsSchema, { endpoints: old ? list.map((e) => (e.url === old.url ? next : e)) : [...list, next] });
    if (old && old.url !== next.url) {
      // Corrected, most often because the old one failed: what waits for it (an open alert's firing notice) goes to the new one.
      this.webhooks.moveTo(old.url, next.url);
      this.clearDisabled(old.url);
    }
    if (next.enabled) this.clearDisabled(next.url);
    const hide = (e: WebhookEndpoint | undefined) => e && { ...e, url: hidePassword(e.url), secret: '(hidden)' };
    this.d.audit.record(actor, 'webhooks.save', hidePassword(next.url), hide(old) ?? null, { ...hide(next), secretChanged: !!endpoint.secret && endpoint.secret !== old?.secret });
    return this.webhookViews();
  }

  /** A signed test notice to one address, through the same queue, so IT can see it arrive and verify. */
  testWebhook(url: string, actor: string): { id: string } {
    const ep = this.find(url);
    if (!ep) throw new UserError('no-such-webhook', 'That webhook address is not configured; save it first.');
    if (!ep.enabled) throw new UserError('webhook-off', 'That address is switched off; save it with sending on first.');
    const id = randomUUID();
    const now = this.d.clock.now();
    this.webhooks.enqueue({ id, kind: 'test', alert: 'test', severity: 'info', title: 'Test from AV Gym Console', text: `A test notice sent by ${actor}. If you can read this, alerts will arrive here.`, at: now, durationMs: null }, ep.url);
    this.d.audit.record(actor, 'webhooks.test', hidePassword(ep.url), null, { id });
    return { id };
  }

  removeWebhook(url: string, actor: string): WebhookEndpointView[] {
    const ep = this.find(url);
    if (!ep) throw new UserError('no-such-webhook', 'That webhook address is not configured (already removed?).');
    this.saved.set('webhooks', WebhookSettingsSchema, { endpoints: this.webhookSettings().endpoints.filter((e) => e.url !== ep.url) });
    // Its queued notices end now, not each when it falls due (up to 30 min later, "sending" all the while: probe26b B5).
    this.webhooks.endFor(ep.url, 'the address was removed');
    this.clearDisabled(ep.url);
    this.d.audit.record(actor, 'webhooks.remove', hidePassword(ep.url), { url: hidePassword(ep.url) }, null);
    return this.webhookViews();
  }

  /** A saved address by its own text or as the list shows it (password hidden). */
  private find(url: string): WebhookEndpoint | undefined {
    return this.webhookSettings().endpoints.find((e) => e.url === url || hidePassword(e.url) === url);
  }

  private disable(url: string, why: string): void {
    const list = this.webhookSettings().endpoints;
    this.saved.set('webhooks', WebhookSettingsSchema, { endpoints: list.map((e) => (e.url === url ? { ...e, enabled: false } : e)) });
    this.saved.set('webhooks.disabled', DisabledSchema, { ...this.saved.get('webhooks.disabled', DisabledSchema, {}), [url]: why });
    this.d.audit.record('console', 'webhooks.disabled', hidePassword(url), { enabled: true }, { enabled: false, why });
  }

  private clearDisabled(url: string): void {
    const { [url]: _gone, ...rest } = this.saved.get('webhooks.disabled', DisabledSchema, {});
    this.saved.set('webhooks.disabled', DisabledSchema, rest);
  }
}
