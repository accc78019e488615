import { z } from 'zod';
import type { Result } from './result';
import { FAULT_ACTIONS, LANES, type DemoInstanceView, type DoorView, type Snapshot, type StatePatch } from './state';
import { ACTION_KINDS, LIMITS, type Member } from './protocol';
import { UNSEEN_CHAR } from './backend-text';
import { CheckinRequestSchema, DeskSettingsSchema, readCard, type CheckinResult, type DeskSettings } from './desk';
import { FirstRunSchema, PinChangeSchema, ROLES, atLeast, type AuthStatus, type Role } from './roles';
import { kioskCheckin, kioskSnapshot } from './kiosk-replies';
import { AnalyticsSettingsSchema, CATEGORIES, EventQuerySchema, ExportRequestSchema, RangeSchema, type AnalyticsSettings, type AnalyticsView, type StoredEvent } from './analytics';
import { PoolConfigSchema, PoolNameSchema, PoolPatchSchema, type PoolView } from './pools';
import { BackendChangeSchema, BackendTestSchema, type BackendSettings, type EndpointTestResult } from './backend';
import { StartAtLoginChangeSchema, type StartAtLogin } from './login-item';
import { AlertSettingsSchema, LONGEST_SILENCE_MINUTES, WebhookSaveSchema, type AlertSettings, type AlertView, type AvailabilityRow, type DeliveryView, type WebhookEndpointView } from './health';

/** An alert is named by its check ("backend", "pool:gym"). */
const AlertIdSchema = z.string().trim().min(1).max(80).meta({ label: 'Alert' });

/**
 * Every renderer→main request and main→renderer event, typed once.
 * `input` is a schema because the renderer is untrusted; `output` is a phantom type because main is not.
 */
const reply = <T>(): T => undefined as T;

/** An export admitted for review, as the screens know it: an opaque random ref. */
const ExportRefSchema = z.string().regex(/^[\w-]{22}$/, 'Choose the export file again.');
/** An export in the exports folder, by the name its export answered: no folders, nothing hidden. */
const ExportFileNameSchema = z.string().regex(/^[\w-][\w.-]{0,127}$/, 'Export the range again, then press Download.');
/** How this console's screens choose export files: the native dialog, or an upload from the browser. */
export type ExportPicker = 'dialog' | 'upload';

/** A part of a screen that stopped drawing, as the screen reports it for the console's log. */
export const ScreenFaultSchema = z
  .object({
    /** Which part, in the screen's words ("Analytics tab", "kiosk"). */
    where: z.string().trim().min(1).max(60),
    message: z.string().max(500),
    stack: z.string().max(4000).optional(),
  })
  .strict();
export type ScreenFault = z.infer<typeof ScreenFaultSchema>;

/** How often a kiosk screen not open to members says so ('station.waiting'); a screen silent for 2.5 times this is gone. */
export const STATION_WAITING_EVERY_MS = 5_000;

export const requests = {
  // Asked before sign-in: no path on this PC (its user's name) for a screen nobody has signed in to (probe-hostile21 J14).
  'app.info': { input: z.undefined(), output: reply<{ version: string; demo: boolean; kiosk: boolean; exportPicker: ExportPicker }>() },
  'auth.status': { input: z.undefined(), output: reply<AuthStatus>() },
  /** The first run's PINs, and on a gym's console its name if typed (saved as the Analytics setting `siteName`). */
  'auth.setup': { input: FirstRunSchema, output: reply<AuthStatus>() },
  /**
   * `as: 'kiosk'`: a closed check-in station reopened. The PIN is checked as `role`'s (its waits, its log), and
   * the screen is signed in as the kiosk: a manager's PIN opens it for members, never as a manager's screen.
   */
  'auth.login': { input: z.object({ role: z.enum(ROLES), pin: z.string().max(12), as: z.literal('kiosk').optional() }).strict(), output: reply<AuthStatus>() },
  /** `atKiosk`: signed out on a kiosk screen, which then closes unless it is a kiosk PC's own (audited). */
  // `idle`: staff left a kiosk screen unused; it goes back to taking check-ins, not closed (kiosk/staff-idle.ts).
  'auth.logout': { input: z.object({ atKiosk: z.literal(true), idle: z.literal(true).optional() }).strict().optional(), output: reply<AuthStatus>() },
  /** New PINs for any of the roles, with the current manager PIN; other screens signed in with a changed PIN are signed out. */
  'auth.changePins': { input: PinChangeSchema, output: reply<{ changed: Role[]; signedOut: number }>() },
  'desk.lookup': { input: z.object({ query: z.string().trim().min(1, 'Type a name, card, member id or phone.').max(128).transform((q) => readCard(q)).refine((q) => q.length <= LIMITS.maxQueryLength, `Search with at most ${LIMITS.maxQueryLength} characters.`) }).strict(), output: reply<{ members: Member[]; source: 'backend' | 'cache'; total?: number; leftOut?: number; today?: string }>() },
  'desk.checkin': { input: CheckinRequestSchema, output: reply<CheckinResult>() },
  'desk.settings': { input: z.undefined(), output: reply<DeskSettings & { rosterSize: number; rosterSyncedAt: number | null }>() },
  'desk.configure': { input: DeskSettingsSchema.partial().strict(), output: reply<DeskSettings>() },
  'audit.list': { input: z.undefined(), output: reply<AuditView[]>() },
  'state.snapshot': { input: z.undefined(), output: reply<Snapshot>() },
  'demo.setRate': {
    input: z.object({ ratePerHour: z.number().int().min(0).max(20_000) }).strict(),
    output: reply<{ ratePerHour: number }>(),
  },
  /** Demo only: break or mend a backend instance to watch failover. */
  'demo.fault': {
    input: z
      .object({
        instance: z.number().int().min(0).max(31),
        action: z.enum(FAULT_ACTIONS),
        value: z.number().min(0).max(60_000).optional(),
      })
      .strict(),
    output: reply<DemoInstanceView>(),
  },
  /** The front door, now or never: given up for good if no backend confirms it soon (state.ts DoorView). `sent`: false when nothing was sent. */
  'door.release': { input: z.object({ door: z.literal('front') }).strict(), output: reply<{ view: DoorView; sent: boolean }>() },
  /** A staff or system action, through the durable outbox (a door release is refused here: `door.release`). */
  'outbox.send': {
    input: z
      .object({
        lane: z.enum(LANES),
        // Shown in the audit log and dead letters: no characters nobody sees (a lone U+202E turned a row around).
        kind: z
          .string()
          .trim()
          .min(1)
          .max(LIMITS.maxActionKindLength)
          .refine((k) => !UNSEEN_CHAR.test(k), "A message's kind is a word staff read in the audit log: it may not hold characters nobody sees (control or direction marks)."),
        // The wire's own limit, so a message the backend would refuse is refused here, in words.
        data: z
          .string()
          .max(
            LIMITS.maxActionDataLength,
            `A message can carry at most ${LIMITS.maxActionDataLength.toLocaleString('en')} characters, the most a gym backend takes; shorten it and send again.`,
          ),
      })
      .strict(),
    output: reply<{ key: string; durable: boolean }>(),
  },
  'outbox.dead': { input: z.undefined(), output: reply<DeadLetterView[]>() },
  'outbox.retry': { input: z.object({ key: z.string().uuid() }).strict(), output: reply<{ key: string }>() },
  'outbox.discard': { input: z.object({ key: z.string().uuid() }).strict(), output: reply<{ key: string }>() },
  'analytics.view': {
    input: z.object({ range: RangeSchema, categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).optional() }).strict(),
    output: reply<AnalyticsView>(),
  },
  'analytics.events': { input: EventQuerySchema, output: reply<StoredEvent[]>() },
  'analytics.export': { input: ExportRequestSchema, output: reply<{ file: string; name: string; events: number; bytes: number }>() },
  /** Review exports read-only; several files merge into a multi-site view. Files are named by inbox refs, never by path. */
  'analytics.openExport': {
    input: z.object({ refs: z.array(ExportRefSchema).min(1).max(10) }).strict(),
    output: reply<{ sites: string[]; files: string[]; from: number; to: number }>(),
  },
  'analytics.closeExport': { input: z.undefined(), output: reply<{ closed: boolean }>() },
  /** Stops an export that is still being opened; the view stays as it was. */
  'analytics.cancelOpen': { input: z.undefined(), output: reply<{ cancelled: boolean }>() },
  /** Desktop only: the native open dialog admits the chosen exports; an empty list when cancelled. */
  'analytics.pickExport': { input: z.undefined(), output: reply<{ ref: string; name: string }[]>() },
  /**
   * Browser form only: a single-use ticket, good for a minute, to download one export from the
   * exports folder over plain HTTP (the page token alone is every screen's, a kiosk's too).
   */
  'analytics.downloadTicket': { input: z.object({ name: ExportFileNameSchema }).strict(), output: reply<{ ticket: string }>() },
  /** Browser form only: a single-use ticket, good for a minute, to upload one export file for review. */
  'analytics.uploadTicket': { input: z.undefined(), output: reply<{ ticket: string }>() },
  'analytics.settings': { input: z.undefined(), output: reply<AnalyticsSettings>() },
  'analytics.configure': { input: AnalyticsSettingsSchema.partial().strict(), output: reply<AnalyticsSettings>() },
  'pools.list': { input: z.undefined(), output: reply<PoolView[]>() },
  'pools.create': { input: z.object({ config: PoolConfigSchema }).strict(), output: reply<PoolView>() },
  /** `caFileTrial`: a CA file saved, tried on one of the pool's wss:// addresses, in words for under the box. */
  'pools.configure': { input: z.object({ name: PoolNameSchema, patch: PoolPatchSchema }).strict(), output: reply<PoolView & { caFileTrial?: string }>() },
  'pools.destroy': { input: z.object({ name: PoolNameSchema }).strict(), output: reply<{ name: string }>() },
  /** A plain-text block for IT ("Copy diagnostics"): state, counts, recent errors; never the token. */
  'app.diagnostics': { input: z.undefined(), output: reply<{ text: string }>() },
  /** The main pool's endpoints and the backend token (never the token itself). */
  'backend.settings': { input: z.undefined(), output: reply<BackendSettings>() },
  /** "Start with Windows / at login", for kiosk stations. */
  'app.startAtLogin': { input: z.undefined(), output: reply<StartAtLogin>() },
  'app.setStartAtLogin': { input: StartAtLoginChangeSchema, output: reply<StartAtLogin>() },
  /** Endpoints and/or a new token, applied together once the whole change is valid; the token reconnects every pool. */
  'backend.configure': { input: BackendChangeSchema, output: reply<BackendSettings>() },
  /** A one-off connection to each endpoint with the typed or saved token. */
  'backend.test': { input: BackendTestSchema, output: reply<EndpointTestResult[]>() },
  /** "Try now": every backend address waiting for its next try tries at once (at most once per 5 s, else refused in words). */
  'backend.tryNow': { input: z.undefined(), output: reply<{ tried: number }>() },
  /** The alert rules (condition, pending, keep-firing, severity per kind of check) and the hourly cap. */
  'alerts.settings': { input: z.undefined(), output: reply<AlertSettings>() },
  'alerts.configure': { input: AlertSettingsSchema, output: reply<AlertSettings>() },
  /** "I am on it": hides the banner for this alert; notices still follow its rules. */
  'alerts.ack': { input: z.object({ id: AlertIdSchema }).strict(), output: reply<AlertView>() },
  /** No notices about this check for a while (0 lifts the silence). */
  'alerts.silence': {
    input: z.object({ id: AlertIdSchema, minutes: z.number().int().min(0).max(LONGEST_SILENCE_MINUTES).meta({ label: 'Silence for', unit: 'minutes' }) }).strict(),
    output: reply<{ id: string; until: number | null }>(),
  },
  /** Webhook addresses (secrets never leave the core) and the delivery log. */
  'webhooks.list': { input: z.undefined(), output: reply<{ endpoints: WebhookEndpointView[]; deliveries: DeliveryView[]; pending: number }>() },
  'webhooks.save': { input: WebhookSaveSchema, output: reply<WebhookEndpointView[]>() },
  'webhooks.remove': { input: z.object({ url: z.string().max(500) }).strict(), output: reply<WebhookEndpointView[]>() },
  /** A signed test notice to one saved address; it shows in the delivery log. */
  'webhooks.test': { input: z.object({ url: z.string().max(500) }).strict(), output: reply<{ id: string }>() },
  /** Availability against the 99.9 % objective, per backend instance and overall. */
  'health.availability': { input: z.undefined(), output: reply<AvailabilityRow[]>() },
  /** A screen's part that stopped drawing: written to the console's log for IT (bounded per screen). */
  'app.reportFault': { input: ScreenFaultSchema, output: reply<{ logged: boolean }>() },
  /**
   * A kiosk screen showing "Station not open yet" or "Station closed" says so while it does (every few seconds): the
   * desks and managers are told members are sent to the desk from it (probe28a R3: after a restart nobody knew).
   */
  'station.waiting': { input: z.undefined(), output: reply<null>() },
} as const;

export interface AuditView {
  id: number;
  ts: number;
  actor: string;
  action: string;
  subject: string;
  before: string | null;
  after: string | null;
}

export interface DeadLetterView {
  key: string;
  lane: string;
  op: string;
  body: string;
  created: number;
  attempts: number;
  reason: string;
  failedAt: number;
}

/** Action kinds a backend is known to take; the console sends others too and lets the backend decide. */
export const KNOWN_ACTIONS = ACTION_KINDS;

/**
 * The least role each request needs; the main process refuses the rest (hiding buttons is not enough).
 * Pool configuration, exports, dead-letter discards and settings need a manager.
 */
export const ACCESS = {
  'app.info': null,
  'auth.status': null,
  'auth.setup': null,
  'auth.login': null,
  'auth.logout': null,
  'auth.changePins': 'manager',
  'state.snapshot': 'kiosk',
  'desk.checkin': 'kiosk',
  'desk.settings': 'kiosk',
  'desk.lookup': 'desk',
  'desk.configure': 'manager',
  'demo.setRate': 'manager',
  'demo.fault': 'manager',
  'door.release': 'desk',
  'outbox.send': 'desk',
  'outbox.dead': 'desk',
  'outbox.retry': 'desk',
  'outbox.discard': 'manager',
  'pools.list': 'desk',
  'pools.create': 'manager',
  'pools.configure': 'manager',
  'pools.destroy': 'manager',
  'analytics.view': 'desk',
  'analytics.events': 'desk',
  'analytics.openExport': 'desk',
  'analytics.closeExport': 'desk',
  'analytics.cancelOpen': 'desk',
  'analytics.pickExport': 'desk',
  'analytics.export': 'manager',
  // What the screens need for the same thing: a download is an export's, an upload is opening one.
  'analytics.downloadTicket': 'manager',
  'analytics.uploadTicket': 'desk',
  'analytics.settings': 'desk',
  'analytics.configure': 'manager',
  'audit.list': 'manager',
  'app.diagnostics': 'manager',
  'backend.settings': 'manager',
  'backend.configure': 'manager',
  'backend.test': 'manager',
  // Front-desk staff are the ones waiting on "Offline"; a kiosk has no such button.
  'backend.tryNow': 'desk',
  'app.startAtLogin': 'manager',
  'app.setStartAtLogin': 'manager',
  'alerts.settings': 'manager',
  'alerts.configure': 'manager',
  'alerts.ack': 'desk',
  'alerts.silence': 'manager',
  'webhooks.list': 'manager',
  'webhooks.save': 'manager',
  'webhooks.remove': 'manager',
  'webhooks.test': 'manager',
  'health.availability': 'desk',
  // Any screen can fail to draw, the sign-in page and a kiosk included.
  'app.reportFault': null,
  'station.waiting': null,
} as const satisfies { [K in RequestName]: Role | null };

/** Requests a screen below the front desk may make: a kiosk's, and any screen's before it signs in. */
export type KioskRequest = { [K in RequestName]: (typeof ACCESS)[K] extends 'kiosk' | null ? K : never }[RequestName];

/**
 * What a screen below the front desk is told, per request it may make: only what the kiosk's screen shows
 * (kiosk-replies.ts). Every such request is listed, so a new one is not sent whole by default.
 */
export const KIOSK_REPLIES = {
  'app.info': (r) => r,
  'auth.status': (r) => r,
  'auth.setup': (r) => r,
  'auth.login': (r) => r,
  'auth.logout': (r) => r,
  'state.snapshot': kioskSnapshot,
  'desk.checkin': kioskCheckin,
  // Whether this PC has a members list to decide by offline (not who is on it): with none, a kiosk sends members to the desk.
  'desk.settings': (r) => ({ verdictSeconds: r.verdictSeconds, rosterSize: r.rosterSize }),
  'app.reportFault': (r) => r,
  'station.waiting': (r) => r,
} satisfies { [K in KioskRequest]: (reply: RequestOutput<K>) => unknown };

/** A reply as `role` may see it: the whole of it from the front desk up, else its kiosk shape. */
export function replyFor(role: Role | null, name: RequestName, reply: unknown): unknown {
  if (atLeast(role, 'desk')) return reply;
  const shape = (KIOSK_REPLIES as unknown as Partial<Record<RequestName, (r: unknown) => unknown>>)[name];
  // Not reachable (ACCESS keeps these screens to KIOSK_REPLIES' requests); said as nothing rather than whole.
  return shape ? shape(reply) : undefined;
}

export interface Events {
  'state.patch': StatePatch;
  /** This screen was signed out by something done elsewhere (its PIN was changed); `message` says what, for the sign-in. */
  'auth.changed': { message: string };
}

export type RequestName = keyof typeof requests;
export type RequestInput<K extends RequestName> = z.input<(typeof requests)[K]['input']>;
export type ParsedInput<K extends RequestName> = z.output<(typeof requests)[K]['input']>;
export type RequestOutput<K extends RequestName> = (typeof requests)[K]['output'];
export type EventName = keyof Events;

/** Inputs that are `undefined` may be left out. */
type InputArgs<K extends RequestName> = undefined extends RequestInput<K> ? [input?: RequestInput<K>] : [input: RequestInput<K>];

/** The window API: the preload and the web bridge both implement exactly this. */
export interface GymApi {
  call<K extends RequestName>(name: K, ...input: InputArgs<K>): Promise<Result<RequestOutput<K>>>;
  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void;
}

export const isRequestName = (name: unknown): name is RequestName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
