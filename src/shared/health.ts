import { z } from 'zod';
import { webhookAddressProblem } from './webhook-address';

/** How a part of the console is doing; unknown when there is nothing to judge it by yet. */
export const HEALTH_STATUSES = ['ok', 'degraded', 'failing', 'unknown'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** The kinds of check; a pool check exists once per pool ("pool:gym"). */
export const CHECK_KINDS = ['backend', 'pool', 'speed', 'feed', 'outbox', 'roster', 'stores', 'lost', 'disk', 'process', 'clock', 'signins'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** What a PC for reviewing exports (--review-only) checks: it has no backend, so no connection, feed, queue, roster or clock to judge. */
export const REVIEW_PC_CHECKS = ['stores', 'disk', 'process', 'signins'] as const satisfies readonly CheckKind[];

export const CHECK_TEXT: Record<CheckKind, string> = {
  backend: 'Backend connection',
  pool: 'Connection pool',
  speed: 'Backend speed',
  feed: 'Live event feed',
  outbox: 'Outgoing messages',
  roster: 'Roster copy for offline check-ins',
  stores: 'Local databases',
  lost: 'Check-ins from before this start',
  disk: 'Disk space',
  process: 'Memory and responsiveness',
  clock: 'Clock',
  signins: 'Sign-in attempts',
};

/** A check's name from its id ("backend", "pool:gym"), as the Health tab shows it; an unknown id as given. */
export function checkLabel(id: string): string {
  const [kind = '', name] = id.split(/:(.*)/s);
  if (kind === 'pool' && name) return `Pool "${name}"`;
  return Object.hasOwn(CHECK_TEXT, kind) ? CHECK_TEXT[kind as CheckKind] : id;
}

/** One check's verdict: a status, the reason in staff words, and the figure it was judged by. */
export interface CheckResult {
  id: string;
  kind: CheckKind;
  label: string;
  status: HealthStatus;
  reason: string;
  value: number | null;
  unit: string;
  /** The trouble in two or three words, for the header pill ("Slow backend"); absent: the status word says it. */
  headline?: string;
}

/** The header's words for troubles a check can name. */
export const HEADLINES = { slowBackend: 'Slow backend' } as const;

/** The worst checks' trouble in words when they all name the same one ("Slow backend"); else undefined, and the status word says it. */
export function worstHeadline(overall: HealthStatus, checks: readonly Pick<CheckResult, 'status' | 'headline'>[]): string | undefined {
  const named = new Set(checks.filter((c) => c.status === overall).map((c) => c.headline));
  return named.size === 1 ? [...named][0] : undefined;
}

/** A status change, kept for the Health view's history. */
export interface CheckChange {
  ts: number;
  status: HealthStatus;
  reason: string;
}

export interface CheckView extends CheckResult {
  since: number;
  history: CheckChange[];
}

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertView {
  /** The check it is about ("pool:gym"). */
  id: string;
  kind: CheckKind;
  label: string;
  severity: Severity;
  state: AlertState;
  reason: string;
  /** When the condition first held (the trouble began). */
  since: number;
  firedAt: number | null;
  /** When the condition last stopped holding; null while it holds (a firing alert with one is clearing). */
  clearedAt: number | null;
  resolvedAt: number | null;
  /** How long the trouble lasted, once resolved. */
  durationMs: number | null;
  ackedBy: string | null;
  silencedUntil: number | null;
  /** A root-cause alert this one is a symptom of: it notifies nobody. */
  inhibitedBy: string | null;
  /**
   * How long the trouble has lasted so far, on the monotonic clock, as of this view; null once resolved.
   * Not now − since: with the PC's clock set back past `since` that read "-7138 s so far".
   */
  ageMs: number | null;
}

/** Firing and still in trouble: not one back to normal in its keep-firing time, nor a symptom of another alert. */
/** The longest a manager may silence an alert for: a week. */
export const LONGEST_SILENCE_MINUTES = 7 * 24 * 60;

export const troubleNow = (a: AlertView): boolean => a.state === 'firing' && a.clearedAt === null && !a.inhibitedBy;

export interface HealthGauge {
  overall: HealthStatus;
  checks: CheckView[];
  alerts: AlertView[];
  /** Notifications sent in the last hour, the cap, and how many wait for the digest. */
  notices: { sentLastHour: number; cap: number; held: number };
  /** Changes to the webhook delivery log so far: the Webhooks screen reloads the log when it moves. */
  webhookLog: number;
}

export const EMPTY_HEALTH: HealthGauge = { overall: 'unknown', checks: [], alerts: [], notices: { sentLastHour: 0, cap: 0, held: 0 }, webhookLog: 0 };

/** What a channel (in-app, desktop, webhook) is told. */
export interface AlertNotice {
  /** Unique per notice: the webhook-id receivers dedup by. */
  id: string;
  /** test: sent by hand from the Health tab, to one address only. */
  kind: 'firing' | 'resolved' | 'digest' | 'test';
  alert: string;
  severity: Severity;
  title: string;
  text: string;
  at: number;
  durationMs: number | null;
}

const worst: HealthStatus[] = ['failing', 'degraded', 'ok', 'unknown'];
/**
 * The overall status: the worst of the checks. A check with nothing to judge by yet (the clock on a
 * quiet night) does not make a healthy console "not known"; only all of them unknown does.
 */
export function overallStatus(statuses: HealthStatus[]): HealthStatus {
  return worst.find((s) => statuses.includes(s)) ?? 'unknown';
}

/** A rule's two waits in staff words (not "pending" and "keep firing"): its form, its refusals and the audit log say them so. */
export const RULE_TIME_TEXT = { pendingSeconds: 'Alert after', keepFiringSeconds: 'Close after' } as const;

const seconds = (label: string, max: number) => z.number().int().min(0).max(max).meta({ label, unit: 'seconds' });

/** A rule: when a kind of check is at least this bad for `pendingSeconds`, the alert fires; it resolves after `keepFiringSeconds` clear. */
export const AlertRuleSchema = z
  .object({
    enabled: z.boolean().meta({ label: 'Alert on' }),
    when: z.enum(['degraded', 'failing']).meta({ label: 'Alert when' }),
    pendingSeconds: seconds(RULE_TIME_TEXT.pendingSeconds, 3_600),
    keepFiringSeconds: seconds(RULE_TIME_TEXT.keepFiringSeconds, 3_600),
    severity: z.enum(SEVERITIES).meta({ label: 'Severity' }),
  })
  .strict();
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export const AlertSettingsSchema = z
  .object({
    rules: z.object(Object.fromEntries(CHECK_KINDS.map((k) => [k, AlertRuleSchema])) as Record<CheckKind, typeof AlertRuleSchema>).strict(),
    maxPerHour: z.number().int().min(1).max(200).meta({ label: 'Notifications per hour at most', unit: 'per hour' }),
  })
  .strict();
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

const rule = (when: AlertRule['when'], pendingSeconds: number, keepFiringSeconds: number, severity: Severity): AlertRule => ({ enabled: true, when, pendingSeconds, keepFiringSeconds, severity });

/** For a gym: the backend gone for 10 s is critical; slower troubles must last before anyone is told. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  rules: {
    backend: rule('failing', 10, 30, 'critical'),
    pool: rule('failing', 60, 60, 'warning'),
    // Slow is not down: told only once it has lasted minutes, and over only after minutes well, so one slow spell is one notice.
    speed: rule('degraded', 300, 120, 'warning'),
    feed: rule('failing', 60, 60, 'warning'),
    outbox: rule('degraded', 120, 60, 'warning'),
    // Said only once a whole sync was refused: nothing to wait out.
    roster: rule('degraded', 0, 300, 'warning'),
    stores: rule('degraded', 0, 60, 'critical'),
    // Said at once and until acknowledged, which closes it: a loss cannot flap, so nothing to wait out.
    lost: rule('degraded', 0, 0, 'critical'),
    disk: rule('degraded', 0, 300, 'warning'),
    process: rule('failing', 60, 60, 'warning'),
    clock: rule('failing', 60, 300, 'warning'),
    signins: rule('degraded', 0, 300, 'critical'),
  },
  maxPerHour: 20,
};

/**
 * Stored alert settings, as saved by any version: rules saved before a kind of check existed (the
 * roster copy's) take that kind's default, rather than the whole saved set being ignored.
 */
export const StoredAlertSettingsSchema = z.preprocess((raw) => {
  const rules = raw && typeof raw === 'object' ? (raw as { rules?: unknown }).rules : undefined;
  if (!rules || typeof rules !== 'object' || Array.isArray(rules)) return raw;
  return { ...(raw as object), rules: { ...DEFAULT_ALERT_SETTINGS.rules, ...rules } };
}, AlertSettingsSchema);

/** Standard Webhooks secrets: "whsec_" then base64 of 24 to 64 random bytes. */
export const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

const webhookUrl = z
  .string()
  .trim()
  .max(500)
  .url('That is not a web address the console can send to; check it, e.g. https://hooks.example.com/gym (a port goes from 1 to 65535).')
  .refine((u) => /^https?:\/\//i.test(u), 'The webhook address must start with http:// or https://.');
const URL_LABEL = { label: 'Webhook address', example: 'https://hooks.example.com/gym' };

/** As kept in console.db: an address an older console took (with a password, say) still lists and can be removed. */
const WebhookUrlSchema = webhookUrl.meta(URL_LABEL);

/** What a manager may save: also no address fetch would refuse on every attempt. */
const WebhookSaveUrlSchema = webhookUrl
  .superRefine((u, ctx) => {
    const problem = webhookAddressProblem(u);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta(URL_LABEL);

const SECRET_RULE = 'The signing secret must be "whsec_" followed by at least 32 base64 characters (24 bytes); use Generate for a good one.';

export const WebhookEndpointSchema = z
  .object({
    url: WebhookUrlSchema,
    secret: z.string().trim().max(100).refine((s) => WEBHOOK_SECRET.test(s), SECRET_RULE).meta({ label: 'Signing secret' }),
    enabled: z.boolean().meta({ label: 'Send to this address' }),
    timeoutSeconds: z.number().int().min(1).max(60).meta({ label: 'Timeout', unit: 'seconds' }),
  })
  .strict();
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** Adding or changing an address; an empty secret keeps the one saved for that address. */
export const WebhookSaveSchema = WebhookEndpointSchema.extend({
  url: WebhookSaveUrlSchema,
  secret: z.string().trim().max(100).refine((s) => s === '' || WEBHOOK_SECRET.test(s), SECRET_RULE).meta({ label: 'Signing secret' }),
  /** Edit: the saved address (as listed) this one replaces, keeping its secret; absent: add this one, or change it. */
  replaces: z.string().max(600).optional().meta({ label: 'Address being changed' }),
}).strict();

export type WebhookSave = z.infer<typeof WebhookSaveSchema>;

/** One receiver however its address is spelt: scheme and host in any case, percent-encoding or not (probe26b B4). */
export function sameWebhookAddress(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/**
 * The earlier switched-on address a saved one repeats, spelt otherwise (saved before addresses were compared as
 * such): notices go to that one only, not once per spelling (review26 V12). Null: it is its own receiver.
 */
export function repeatsOf(list: readonly { url: string; enabled: boolean }[], i: number): string | null {
  const e = list[i];
  if (!e?.enabled) return null;
  return list.slice(0, i).find((x) => x.enabled && sameWebhookAddress(x.url, e.url))?.url ?? null;
}

export const WebhookSettingsSchema = z.object({ endpoints: z.array(WebhookEndpointSchema).max(5) }).strict();
export type WebhookSettings = z.infer<typeof WebhookSettingsSchema>;
export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { endpoints: [] };

/** A manager's view of endpoints: the secret is never sent back, only its last four characters. */
export interface WebhookEndpointView {
  /** Any password in it shown as "***"; Send a test and Remove take it back as shown. */
  url: string;
  secretHint: string;
  enabled: boolean;
  timeoutSeconds: number;
  /** Why the console stopped sending (a 410 from the receiver), if it did. */
  disabledReason: string | null;
  /** The earlier address (shown as in `url`) this one repeats, spelt otherwise: notices go there only. */
  repeats: string | null;
}

export interface DeliveryView {
  id: string;
  url: string;
  alert: string;
  kind: AlertNotice['kind'];
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  created: number;
  updated: number;
  nextAt: number | null;
}

/** The 99.9 % objective from the brief: about 43 minutes of downtime in 30 days. */
export const AVAILABILITY_OBJECTIVE = 0.999;
/** The downtime the objective allows in 30 days: 0.1 % of them, 43.2 minutes. */
export const MONTH_BUDGET_MS = Math.round((1 - AVAILABILITY_OBJECTIVE) * 30 * 86_400_000);
export const AVAILABILITY_WINDOWS = ['24h', '7d', '30d'] as const;
export type AvailabilityWindow = (typeof AVAILABILITY_WINDOWS)[number];

export interface AvailabilityRow {
  /** '' for the backend as a whole (any instance answering), else the instance's address. */
  target: string;
  /** Fraction up per window, null where no samples were taken. */
  windows: Record<AvailabilityWindow, { ratio: number | null; measuredMs: number }>;
  /** Of the 30-day budget (0.1 % of 30 days), what is left; negative when spent. */
  budgetLeftMs: number;
  /** An address the backend is no longer reached at (the addresses were changed since): kept for its history, listed last. */
  former: boolean;
}
