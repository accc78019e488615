import { DOOR_WORDS, type AuditAction } from '../../shared/words';
import { UserError } from '../../shared/result';
import type { Handlers } from './bridge/dispatch';
import type { EmbeddedDemo } from './demo/embedded';
import type { PoolManager } from './pool/manager';
import type { Outbox } from './delivery/outbox';
import type { AuditLog } from './store/audit-log';
import type { AnalyticsEngine } from './analytics/engine';
import { analyticsHandlers } from './analytics/analytics-handlers';
import type { Clock } from './clock';
import type { FrontDesk } from './desk/front-desk';
import { doorAuditAction, isDoorRelease, type DoorRelease } from './desk/door-release';
import { authHandlers } from './auth/auth-handlers';
import type { PinStore } from './auth/pins';
import type { ScreenSessions } from './auth/session';
import type { CallContext } from './bridge/dispatch';
import { ROLE_TEXT } from '../../shared/roles';
import { occupancyWarnings } from '../../shared/desk';
import type { PatchStream } from './state/patch-stream';
import type { ConsoleLog } from './log';
import { diagnosticsText } from './diagnostics';
import { backendHandlers, DEMO_FIXED, REVIEW_ONLY } from './pool/backend-handlers';
import type { TokenVault } from './token-vault';
import type { ExportInbox } from './analytics/export-inbox';
import type { ReviewLoader } from './store/review-thread';
import type { ExportJobs } from './analytics/export-jobs';
import { loginItemHandlers, type LoginItem } from './login-item';
import type { AlertCenter } from './alerts/center';
import { alertHandlers } from './alerts/alert-handlers';
import { transferHandlers } from './analytics/transfer-handlers';
import { DEMO_SITE, UNNAMED_SITE } from '../../shared/analytics';
import type { FileTickets } from './auth/file-tickets';
import { join } from 'node:path';
import type { ScreenFaultLog } from './screen-faults';
import type { CheckinBudget } from './desk/checkin-budget';

interface HandlerDeps {
  version: string;
  dataDir: string;
  demo: EmbeddedDemo | null;
  pools: PoolManager;
  outbox: Outbox;
  auditLog: AuditLog;
  analytics: AnalyticsEngine;
  desk: FrontDesk;
  door: DoorRelease;
  kiosk: boolean;
  pins: PinStore;
  screens: ScreenSessions;
  stream: PatchStream;
  refresh(): void;
  clock: Clock;
  log: ConsoleLog | null;
  tokenVault?: TokenVault;
  /** Started with --review-only: no backend may be configured (a saved token would make the folder a live site's). */
  review?: boolean;
  inbox: ExportInbox;
  reviews: ReviewLoader;
  /** Exports being written, ended by a stop. */
  exports: ExportJobs;
  pickExportFiles?: () => Promise<string[]>;
  loginItem?: LoginItem;
  pickSaveFile?: (suggestedName: string) => Promise<string | null>;
  alerts: AlertCenter;
  /** Tickets for the browser form's downloads and uploads of exports. */
  tickets: FileTickets;
  /** Check-ins' pace (the owner stops it with the console). */
  scans: CheckinBudget;
  /** Screens' fault reports, logged within bounds (the owner stops it with the console). */
  screenFault: ScreenFaultLog;
}

/** The contract, implemented once; Electron IPC and the web bridge both dispatch here. */
export function createHandlers({ version, dataDir, kiosk, demo, pools, outbox, auditLog, analytics, desk, door, pins, screens, stream, refresh, clock, log, tokenVault, review, inbox, reviews, exports, pickExportFiles, loginItem, pickSaveFile, alerts, tickets, scans, screenFault }: HandlerDeps): Handlers {
  const actor = (ctx: CallContext): string => (ctx.session.role ? ROLE_TEXT[ctx.session.role] : 'unknown');
  // Made as the console starts: the diagnostics' recent warnings are this run's since then.
  const startedAt = clock.now();
  /** Every configuration change is audited: who, what, before and after. */
  const recordAs = (who: string, action: AuditAction, subject: string, before: unknown, after: unknown): void => {
    try {
      auditLog.record(who, action, subject, before, after);
    } catch (e) {
      // Recorded after the change is kept (a full disk refuses both, the change first): a change that happened is not answered as failed.
      console.error(`audit: could not record ${action} on ${subject} by ${who}:`, e);
    }
    analytics.record('user', action, who, subject);
  };
  const audit = (ctx: CallContext, action: AuditAction, subject: string, before: unknown, after: unknown): void => recordAs(actor(ctx), action, subject, before, after);
  // Who opened the door, and when, is asked after an incident: each press is recorded with what came of it
  // (released, refused, given up), never as "released" before the gym system said so.
  door.onOutcome(({ by, door: which, view }) => {
    const action = doorAuditAction(view);
    if (action) recordAs(by, action, which, null, { askedAt: view.at });
  });
  const configOf = (name: string) => pools.list().find((p) => p.config.name === name)?.config;
  const needDemo = (what: string): EmbeddedDemo => {
    if (!demo) throw new UserError('not-demo', `${what} is only available on the demo gym.`);
    return demo;
  };
  return {
    'app.info': () => ({ version, demo: demo !== null, kiosk, exportPicker: pickExportFiles ? 'dialog' : 'upload' }),
    ...authHandlers({
      pins,
      clock,
      audit: auditLog,
      kiosk,
      review,
      screens,
      // The first run's gym name, saved as a manager's Analytics → Storage → Gym name would be.
      nameGym: (siteName) => {
        const before = analytics.settings();
        recordAs('first run', 'analytics.configure', 'analytics settings', before, analytics.configure({ ...before, siteName }));
      },
    }),
    'desk.lookup': ({ query }) => desk.lookup(query),
    'desk.checkin': (req, ctx) => {
      // Nothing to send it to, ever: a check-in queued here would never reach a gym.
      if (review) throw new UserError('review-only', REVIEW_ONLY);
      if (req.override && ctx.session.role === 'kiosk') throw new UserError('forbidden', 'Overrides are for front-desk staff.');
      // A kiosk screen's scans are the kiosk's: said as the desk's they would skip its repeat rule and read as staff work.
      if (ctx.session.role === 'kiosk' && req.source !== 'kiosk') throw new UserError('forbidden', 'A kiosk station checks members in as the kiosk.');
      // Decided here or still on its way: the desk's list of waiting check-ins shows it at once.
      // The station is this screen as that kind of station: a card let in at one kiosk screen and handed to a friend
      // at another is sent, and so is one a desk screen shows after its kiosk form let it in.
      const station = `${req.source}:${ctx.session.screenId}`;
      // Before anything is looked up or queued: a flood refused there costs the console nothing. Only a made-up
      // card meets the console-wide ceiling (FrontDesk says which), so a flood of them never stops a member.
      return scans
        .spend(ctx.session, !!req.override, (beforeSend) => desk.checkin(req, actor(ctx), station, beforeSend))
        .finally(refresh);
    },
    'desk.settings': () => ({ ...desk.settings, rosterSize: desk.cache.size, rosterSyncedAt: desk.cache.syncedAt }),
    'desk.configure': (patch, ctx) => {
      const before = desk.settings;
      const after = desk.configure({ ...before, ...patch });
      audit(ctx, 'desk.configure', 'desk settings', before, after);
      const occ = stream.current('occupancy');
      stream.gauge('occupancy', { ...occ, ...occupancyWarnings(after, occ.capacity) });
      return after;
    },
    'audit.list': () => auditLog.list(),
    'state.snapshot': () => stream.snapshot(),
    'demo.setRate': ({ ratePerHour }) => {
      needDemo('Changing the traffic rate').simulator.setRate(ratePerHour);
      refresh();
      return { ratePerHour };
    },
    'demo.fault': async ({ instance, action, value }) => {
      const d = needDemo('Breaking instances');
      if (instance >= d.cluster.instances.length) throw new UserError('no-such-instance', `The demo gym has instances 0 to ${d.cluster.instances.length - 1}.`);
      const status = await d.fault(instance, action, value ?? (action === 'delay' ? 300 : action === 'drop' ? 0.2 : 0));
      refresh();
      return status;
    },
    'door.release': async ({ door: which }, ctx) => {
      if (review) throw new UserError('review-only', REVIEW_ONLY);
      // Its outcome goes to the audit and event logs once known (door.onOutcome, below).
      return door.release(which, actor(ctx));
    },
    'outbox.send': async ({ lane, kind, data }, ctx) => {
      if (review) throw new UserError('review-only', REVIEW_ONLY);
      // Queued here it would wait a day, and open the door whenever the backend came back.
      if (kind === 'door.open') throw new UserError('door-release-only', DOOR_WORDS.notBySend);
      const queued = await outbox.enqueue(lane, 'action', { kind, data });
      audit(ctx, 'staff.send', kind, null, { lane });
      return queued;
    },
    'outbox.dead': () => outbox.deadLetters(),
    'outbox.retry': ({ key }, ctx) => {
      const letter = outbox.deadLetter(key);
      if (letter && isDoorRelease(letter.op, letter.body)) throw new UserError('door-release-not-retried', DOOR_WORDS.notRetried);
      outbox.retryDead(key, actor(ctx));
      return { key };
    },
    'outbox.discard': ({ key }, ctx) => {
      outbox.discardDead(key, actor(ctx));
      return { key };
    },
    ...analyticsHandlers({
      engine: analytics,
      stream,
      dataDir,
      site: demo ? DEMO_SITE : UNNAMED_SITE,
      simulated: !!demo,
      version,
      clock,
      audit,
      actor,
      inbox,
      reviews,
      exports,
      pickExportFiles,
      pickSaveFile,
    }),
    ...transferHandlers({ tickets, exportsDir: join(dataDir, 'exports'), desktop: { save: !!pickSaveFile, open: !!pickExportFiles } }),
    'pools.list': () => pools.list(),
    'pools.create': ({ config }, ctx) => {
      // A review-only console connects to nothing: a pool would open sockets to a gym.
      if (review) throw new UserError('review-only', REVIEW_ONLY);
      const view = pools.create(config);
      audit(ctx, 'pools.create', config.name, null, view.config);
      return view;
    },
    'pools.configure': async ({ name, patch }, ctx) => {
      const before = configOf(name);
      const view = pools.configure(name, patch);
      audit(ctx, 'pools.configure', name, before, view.config);
      // A CA file saved is tried at once: "saved" alone hid a wrong file until the next reconnect.
      const caFileTrial = patch.caFile ? await pools.tryCaFile(name) : null;
      return caFileTrial ? { ...(pools.list().find((p) => p.config.name === name) ?? view), caFileTrial } : view;
    },
    'pools.destroy': ({ name }, ctx) => {
      // The demo gym's own pool is its built-in connection: the screen says it cannot be changed, so neither can a call.
      if (demo && pools.main?.name === name) throw new UserError('demo-backend', DEMO_FIXED);
      const before = configOf(name);
      pools.destroy(name);
      audit(ctx, 'pools.destroy', name, before, null);
      return { name };
    },
    'app.reportFault': (fault, ctx) => screenFault(fault, { screenId: ctx.session.screenId, role: ctx.session.role }),
    'station.waiting': (_i, ctx) => {
      ctx.session.waitingSince = clock.mono();
      return null;
    },
    'app.diagnostics': () => ({ text: diagnosticsText({ version, dataDir, demo: demo !== null, review, kiosk, pools, outbox, log, now: clock.now(), startedAt, health: alerts.monitor.gauge() }) }),
    ...backendHandlers({ pools, demo: demo !== null, review: review ?? false, tokenVault, clock, audit, hideSecret: (s) => log?.hide(s) }),
    ...loginItemHandlers({ loginItem, audit }),
    ...alertHandlers({ center: alerts, analytics, clock, actor, addresses: () => new Set(pools.gymAddresses()) }),
  };
}

