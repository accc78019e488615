import { alertBanner, LOST_AT_START_WORDS, type BannerLine } from '../../shared/banner-words';
import { activityWords, wrongOccupancyWords } from '../../shared/words';
import { terminalLine } from './terminal-line';
import { defaultPool, type PoolConfig } from '../../shared/pools';
import type { Gauges } from '../../shared/state';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { DEMO_SITE, siteInWords, UNNAMED_SITE } from '../../shared/analytics';
import type { Clock } from './clock';
import { ensureDataDir } from './data-dir';
import { systemClock } from './clock';
import { startEmbeddedDemo, type EmbeddedDemo } from './demo/embedded';
import { writeFailureWords } from './disk-words';
import { watchConsoleDbFile } from './store/console-db-gone';
import { occupancyHere } from './occupancy-here';
import { STATION_WAITING_EVERY_MS } from '../../shared/contract';
import { followGymFeed } from './feed-wiring';
import { activityRecorder, followPoolsAndOutbox } from './activity-wiring';
import { createHandlers } from './handlers';
import { CheckinBudget, type CheckinLimits } from './desk/checkin-budget';
import { screenFaultLog } from './screen-faults';
import type { Handlers } from './bridge/dispatch';
import { PoolManager } from './pool/manager';
import { filePoolStore, memoryPoolStore, type PoolStore } from './pool/pools-file';
import { fallBackToSavedToken } from './startup/token-fallback';
import { canonicalPools, OUTSIDE_ACTOR, seenPoolStore, START_FLAGS_ACTOR, START_TOKEN_ACTOR } from './pool/pools-seen';
import { watchWakeAndNetwork } from './pool/wake-watch';
import { PatchStream } from './state/patch-stream';
import { openOutbox } from './delivery/open-outbox';
import type { Outbox } from './delivery/outbox';
import { DoorRelease } from './desk/door-release';
import { analyticsDamageMark, openEngine } from './analytics/open-engine';
import { analyticsDamagedWords } from './store/open-analytics';
import { FrontDesk } from './desk/front-desk';
import { WaitingCheckins } from './desk/waiting-checkins';
import { PerfTicker } from './analytics/perf-ticker';
import { MemorySettler, processSettlerInputs } from './memory-settler';
import { limitHeapGrowth } from './heap-growth';
import { RosterCache } from './desk/roster-cache';
import { PinStore } from './auth/pins';
import { ScreenSessions, type Session, type TellScreen } from './auth/session';
import { DEMO_PINS } from '../../shared/roles';
import type { AnalyticsEngine } from './analytics/engine';
import { loadToken, type TokenVault } from './token-vault';
import type { LoginItem } from './login-item';
import type { ConsoleLog } from './log';
import { logCoreEvents, logInternalErrors } from './log-wiring';
import { ExportInbox } from './analytics/export-inbox';
import { ExportJobs, sweepExportsDir } from './analytics/export-jobs';
import { ReviewLoader } from './store/review-thread';
import { AlertCenter } from './alerts/center';
import { healthSources } from './health/sources';
import { recoveryActions } from './health/recovery';
import { EMPTY_HEALTH, troubleNow, type AlertNotice } from '../../shared/health';
import type { PerfPoint } from '../../shared/state';
import { CONSOLE_DB } from './store/open-console-db';
import { heldForBackendWords } from './delivery/held-words';
import { FileTickets } from './auth/file-tickets';

export interface CoreOptions {
  version: string;
  dataDir: string;
  /** Real backend instances; leave out to run on the embedded demo gym. */
  backend?: { endpoints: string[]; token: string; /** Saved before this start's token replaced it: tried if that one is refused. */ previousToken?: string };
  demoRatePerHour?: number;
  /** No backend and no demo: a console for opening exports, its own data in review/ (the folder's live data untouched). */
  reviewOnly?: boolean;
  clock?: Clock;
  patchIntervalMs?: number;
  /** Where pools persist; defaults to pools.json in the data dir (memory for the demo). */
  poolStore?: PoolStore;
  /** Start as a kiosk check-in station. */
  kiosk?: boolean;
  /** Where the backend token is kept, so it can be changed while the console runs. */
  tokenVault?: TokenVault;
  /** The log file; tests leave it out. */
  log?: ConsoleLog;
  /** This start's --backend replaced other saved addresses (resolve-start.ts): shown until it first connects. */
  replacedAddresses?: string;
  /** Why a live console starts offline (no saved pools or token): shown as alerts until it connects. */
  startupWarnings?: string[];
  /** What the data folder lost before this start (console.db gone or empty): alerts for the whole run, connected or not. */
  lostData?: string[];
  /** The last run did not stop cleanly, nothing lost (resolve-start): said once in the log and the event log. */
  uncleanStop?: string | null;
  /** The desktop's native open dialog for exports to review; the browser form uploads instead. */
  pickExportFiles?: () => Promise<string[]>;
  /** The desktop's "start at login" entry; the browser form has none. */
  loginItem?: LoginItem;
  /** The desktop's native save dialog for new exports; the browser form saves to the exports folder. */
  pickSaveFile?: (suggestedName: string) => Promise<string | null>;
  /** The built export-review worker script; from source (tests, tsx) it is found beside its loader. */
  reviewWorker?: string;
  /** Tests and the bench shorten the webhooks' retry schedule (Standard Webhooks' runs over a day). */
  webhookRetryMs?: number[];
  /** How long a door release waits for the backend before it is given up (door-release.ts); tests shorten it. */
  doorReleaseMs?: number;
  /** How long the desk waits for the backend's verdict before deciding on this PC (tests). */
  verdictWaitMs?: number;
  /** How long a door release's outcome shows as news before it is history (door-release.ts DOOR_NEWS_MS); tests shorten it. */
  doorNewsMs?: number;
  /** How fast screens may ask for check-ins (checkin-budget.ts); the kiosk bench, timing one scan at a time, lifts it. */
  checkinLimits?: CheckinLimits;
}

export interface Core {
  handlers: Handlers;
  stream: PatchStream;
  pools: PoolManager;
  outbox: Outbox;
  analytics: AnalyticsEngine;
  desk: FrontDesk;
  /**
   * A new screen's sign-in: the demo starts as manager, a kiosk as kiosk, a live console signed out.
   * `tell` reaches the screen when it is signed out from elsewhere; its transport calls `end()` when it goes.
   */
  newSession(tell?: TellScreen): Session;
  /** Resolves when start-up work done in the background (demo history) is finished. */
  ready: Promise<void>;
  demo: EmbeddedDemo | null;
  /** Export files admitted for review; the web host uploads into it. */
  inbox: ExportInbox;
  /** What the web host asks before a download or upload: a ticket a signed-in screen was given over the bridge. */
  tickets: FileTickets;
  /** Re-check every socket now (the Electron shell calls this on resume). */
  probe(why: string): void;
  /** Whether this PC's PINs are set (a kiosk started without them cannot be closed: the start says so). */
  pinsConfigured(): boolean;
  /** Health checks, alert rules and their channels. */
  alerts: AlertCenter;
  /** Each alert notice as it is sent (the desktop shows it as a system notification). */
  onNotice(listener: (n: AlertNotice) => void): () => void;
  stop(): Promise<void>;
}


/** The console's main-process core in plain Node: pools, event feed, state stream and the handler table. */
export async function startCore(opts: CoreOptions): Promise<Core> {
  const clock = opts.clock ?? systemClock;
  const review = !opts.backend && (opts.reviewOnly ?? false);
  const demo = opts.backend || review ? null : await startEmbeddedDemo({ ratePerHour: opts.demoRatePerHour });
  const backend = opts.backend ?? (demo ? { endpoints: demo.cluster.urls, token: demo.token } : { endpoints: [], token: '' });
  const pools = new PoolManager({
    token: backend.token,
    // A token file that is there but unusable: the connection's cause says so, naming it, not "none is saved".
    tokenUnreadable: opts.backend && !backend.token ? loadToken(opts.tokenVault).problem : null,
    clock,
    // Neither the demo nor a review-only console saves pools: the folder's own stay as they were.
    // A live site's is compared at each start with what the console last saw: a change made outside it is audited.
    store: opts.poolStore ?? (demo || review ? memoryPoolStore() : seenPoolStore(filePoolStore(opts.dataDir), () => localDb, (c, inFile) => auditLog.record(changedBy(inFile), c.action, c.name, c.before, c.after))),
    // With no endpoints given, the saved pools are the configuration.
    defaults: backend.endpoints.length ? [defaultPool(backend.endpoints)] : [],
  });
  // The demo gym is new every run, and a review-only console has no gym: keep their data apart from a live site's.
  const storeDir = demo ? ensureDataDir(join(opts.dataDir, 'demo')) : review ? ensureDataDir(join(opts.dataDir, 'review')) : opts.dataDir;
  // Looked at before opening makes it: a console.db already here means analytics were kept here too.
  const ranHere = existsSync(join(storeDir, CONSOLE_DB));
  const { outbox, audit: auditLog, db: localDb, keeper, repaired, older, close: closeOutbox } = openOutbox(storeDir, pools, clock);
  // A start with --backend at new addresses saves them as one default pool (resolve-start.ts): said as that, not as a hand edit.
  const flagged = backend.endpoints.length ? canonicalPools([defaultPool(backend.endpoints)]) : null;
  const changedBy = (inFile: readonly PoolConfig[]): string => (flagged !== null && canonicalPools(inFile) === flagged ? START_FLAGS_ACTOR : OUTSIDE_ACTOR);
  // The demo gym is new every run: who an earlier one had inside, and its check-ins, are not this one's.
  if (demo) localDb.exec('DELETE FROM last_known; DELETE FROM presence;');
  const initial: Gauges = {
    mode: { demo: demo !== null, review, dataDir: opts.dataDir },
    connection: pools.connectionView(),
    occupancy: { count: 0, capacity: 0 },
    demo: demo ? demoGauge(demo) : null,
    pools: [],
    outbox: outbox.view(),
    waitingCheckins: [],
    answeredCheckins: [],
    door: null,
    exportProgress: null,
    alerts: [],
    health: EMPTY_HEALTH,
  };
  const stream = new PatchStream(initial, { clock, minIntervalMs: opts.patchIntervalMs });
  // With every instance away the count is only the last known one: the samples leave it unknown, not 0 or stale.
  const knownOccupancy = (): number | null => (pools.connectionView().state === 'offline' ? null : stream.current('occupancy').count);
  const damageMark = analyticsDamageMark(localDb);
  const { engine: analytics, warning, brief: storeBrief, ready: backfilled, stopBackfill } = openEngine(storeDir, pools, knownOccupancy, clock, demo ? { ratePerHour: demo.simulator.ratePerHour, members: [...demo.cluster.gym.members], occupancy: demo.cluster.gym.occupancy } : null, damageMark.found(), ranHere);
  // The demo's made-up week ends where a disk refuses it (the charts keep what was written), said once: never a rejection left unheard.
  const ready = backfilled.catch((e: unknown) => {
    const line = `the demo's history of the last 7 days could not all be written (${writeFailureWords(e)}): its charts show what was written and what the demo records from now.`;
    opts.log?.logger.warn({ err: e }, line);
    process.stderr.write(terminalLine(line));
  });
  damageMark.clear(); // checked whole just now: set aside, or found sound
  const record = activityRecorder(stream, analytics, clock);
  // Replies come only once the outbox sends, after this function has set it to `refresh`.
  let answeredNow = (): void => {};
  // Answers that cannot be right, from check-in replies (the desk) and the live feed: the backend's protocol errors, told for IT.
  const answerWrong = (detail: string, raw: string): void => pools.answerWrong(detail, raw);
  const desk = new FrontDesk({
    pools,
    outbox,
    audit: auditLog,
    cache: new RosterCache(localDb),
    db: localDb,
    clock,
    onConflict: (detail) => record({ type: 'reconcile-conflict', detail }),
    onUnanswered: (detail) => {
      opts.log?.logger.warn(detail);
      record({ type: 'checkin-unanswered', detail });
    },
    onRepeat: (detail) => record({ type: 'repeat-scan', detail }),
    onWrong: answerWrong,
    onAnswered: () => answeredNow(),
    gymZone: () => analytics.store.timezone,
    onSettingsDamaged: (detail) => {
      opts.log?.logger.warn(detail);
      record({ type: 'store-damaged', detail });
    },
    // The last believable figure, also while the backend sends ones that cannot be right since: with none, a full gym
    // was let in freely once it went away (probe28b H1). Its `at` stays when it was believed.
    lastOccupancy: () => {
      const o = stream.current('occupancy');
      return o.at === undefined ? null : { count: o.count, capacity: o.capacity, at: o.at };
    },
    verdictWaitMs: opts.verdictWaitMs,
    // A refused sync left the copy as it was: said in the log, the activity list and Health (offline check-ins depend on it).
    onRosterSync: (refused, waitMs) => {
      const detail = refused ? `${refused.message} Next try in ${Math.round(waitMs / 60_000)} min.` : 'A roster sync completed after refused ones: the copy on this PC is up to date again.';
      opts.log?.logger[refused ? 'warn' : 'info']({ roster: refused ? { times: refused.times, waitMs } : 'synced' }, `roster sync ${refused ? 'refused' : 'completed again'}: ${detail}`);
      record({ type: refused ? 'roster-refused' : 'roster-synced', detail });
      center.monitor.poke();
    },
  });
  const door = new DoorRelease({ outbox, clock, online: () => pools.connectionView().state !== 'offline', changed: () => refresh(), waitMs: opts.doorReleaseMs, newsMs: opts.doorNewsMs });
  const pins = new PinStore(localDb, keeper.pinsSet);
  // The demo gym's PINs are the ones on its sign-in screen: a change lasts until the console stops.
  if (demo) pins.set(DEMO_PINS);
  const screens = new ScreenSessions(opts.kiosk ? 'kiosk' : demo ? 'manager' : null, opts.kiosk ? 'kiosk' : null);
  // A live gym's saved token only: the demo's is built in, and a review PC has none.
  const liveVault = opts.backend ? opts.tokenVault : undefined;
  const tokenOpenToOthers = liveVault?.openToOthers ? (): string | null => liveVault.openToOthers?.() ?? null : undefined;
  const offlineWarnings = (): string[] => (pools.connectionView().state === 'offline' ? (opts.startupWarnings ?? []) : []);
  // Said on the screens until the console first connects: a start that put old addresses back is then seen (readme25 W12).
  let replacedAddresses = opts.replacedAddresses ?? null;
  /** The loss this start found, as Health's check says it; its alert's id names this start (checks.ts `lost`). */
  const lostAtStart = opts.lostData?.length ? { reason: opts.lostData.join(' '), at: clock.now() } : null;
  let lostAckedBy: string | null = null;
  // Kept once read: the alert it was given to ends, and leaves the engine's short list of recent ones in time.
  const lostNow = (): { reason: string; at: number; ackedBy: string | null } | null => lostAtStart && { ...lostAtStart, ackedBy: (lostAckedBy ??= center.engine.view().find((a) => a.id === `lost:${lostAtStart.at}`)?.ackedBy ?? null) };
  let lastPerf: PerfPoint | null = null;
  const wrongOccupancy = (): string | null => {
    const wrong = stream.current('occupancy').wrong;
    return wrong ? wrongOccupancyWords(wrong) : null;
  };
  const noticeListeners = new Set<(n: AlertNotice) => void>();
  const center = new AlertCenter({
    db: localDb,
    audit: auditLog,
    clock,
    inputs: healthSources({ clock, pools, outbox, analytics, audit: auditLog, desk, consoleDbFile: join(storeDir, CONSOLE_DB), consoleDbFate: watchConsoleDbFile(join(storeDir, CONSOLE_DB)), lostAtStart: lostNow, dataDir: storeDir, storeWarning: storeBrief, olderFileUnread: older?.kind === 'left-unread' ? older.line : null, startupWarnings: offlineWarnings, lastPerf: () => lastPerf, guessing: () => screens.lockout.guessing(clock.mono()), review, wrongOccupancy, tokenOpenToOthers }),
    changed: () => {
      stream.derive('health', () => center.monitor.gauge());
      stream.derive('alerts', alerts);
    },
    onNotice: (n) => {
      stream.append('notices', n);
      if (n.kind !== 'digest') record({ type: n.kind === 'firing' ? 'alert-firing' : 'alert-resolved', detail: `${n.title}. ${n.text}` });
      opts.log?.logger[n.kind === 'resolved' ? 'info' : 'warn']({ notice: { id: n.id, kind: n.kind, alert: n.alert, severity: n.severity } }, `alert ${n.kind}: ${n.title}: ${n.text}`);
      for (const l of noticeListeners) l(n);
    },
    retrySchedule: opts.webhookRetryMs,
    source: () => ({ site: siteInWords(analytics.settings().siteName ?? (demo ? DEMO_SITE : UNNAMED_SITE)), station: opts.kiosk ? 'kiosk' : review ? 'review PC' : 'front desk', host: hostname() }),
  });
  /** The banners: why a live console started offline, and every alert firing now that nobody has acknowledged. */
  const alerts = (): BannerLine[] => {
    const offline = offlineWarnings();
    // An offline start already says why the backend is unreachable; its alert would say it twice.
    const firing = center.engine.view().filter((a) => troubleNow(a) && !a.ackedBy && !(offline.length && a.kind === 'backend'));
    const cause = pools.connectionView().cause?.kind ?? null;
    const rosterCopy = desk.cache.size > 0;
    // Said to staff in their words until IT acknowledges this start's alert for it (readme25 W2); that alert's own line would say it twice.
    // Only while that alert is on: with its rule switched off there would be nothing to acknowledge it by (review26 V6).
    const lostAlert = lostAtStart && center.engine.view().find((a) => a.id === `lost:${lostAtStart.at}` && a.state !== 'resolved');
    const lost = lostAtStart && lostAlert && !lostAlert.ackedBy ? [{ text: LOST_AT_START_WORDS, detail: lostAtStart.reason, lostCheckins: true as const }] : [];
    if (replacedAddresses && pools.connectionView().state !== 'offline') replacedAddresses = null;
    return [...lost, ...(replacedAddresses ? [{ text: replacedAddresses }] : []), ...offline.map((text) => ({ text })), ...firing.filter((a) => a.kind !== 'lost').map((a) => alertBanner(a, cause, rosterCopy))];
  };
  const waiting = new WaitingCheckins(localDb, (card) => desk.cache.byCardId(card)?.name ?? null);
  const countHere = occupancyHere({ pools, stream, desk, waiting: () => { const o = outbox.view(); return o.queued + o.inFlight; } });
  const refresh = (): void => {
    stream.derive('connection', () => pools.connectionView());
    stream.derive('pools', () => pools.list());
    stream.derive('outbox', () => outbox.view());
    stream.derive('waitingCheckins', () => waiting.view(clock.now()));
    stream.derive('answeredCheckins', () => desk.answered);
    stream.derive('door', () => door.view());
    stream.derive('alerts', alerts);
    if (demo) stream.derive('demo', () => demoGauge(demo));
    center.monitor.poke();
  };

  const perf = new PerfTicker(
    analytics.meter,
    {
      rtts: () => pools.list().flatMap((p) => p.sockets.filter((x) => x.state === 'open' && x.rttMs !== null).map((x) => ({ instance: x.endpoint.replace(/^wss?:\/\//, ''), ms: x.rttMs! }))),
    },
    (point) => {
      lastPerf = point;
      stream.append('perf', point);
      // Each second, not on each change: a busy outbox changes thousands of times a second, and a visit's automatic
      // check-out frees a place with no change at all.
      countHere();
      // A kiosk screen gone quiet (closed, or opened since) stops counting within a few of its calls.
      const stations = screens.stationsWaiting(clock.mono(), 2.5 * STATION_WAITING_EVERY_MS);
      if ((stream.current('stationsWaiting') ?? 0) !== stations) stream.gauge('stationsWaiting', stations);
    },
    () => clock.now(),
  );
  pools.on('change', () => {
    refresh();
    outbox.kick();
  });
  outbox.on('change', refresh);
  answeredNow = refresh;
  followPoolsAndOutbox(pools, outbox, analytics, record, clock);
  const kept = followGymFeed(pools, { db: localDb, stream, analytics, desk, clock, onWrong: answerWrong });
  if (opts.log) logCoreEvents(opts.log.logger, pools, stream);
  pools.start();
  // Recorded as a manager's change on the screens is (readme25 W12: a startup entry's old token went over theirs unseen).
  if (opts.backend?.previousToken && opts.backend.token) auditLog.record(START_TOKEN_ACTOR, 'backend.configure', 'backend connection', { token: 'a token is saved' }, { token: 'replaced by the one given at this start' });
  // A typo in a token given at start must not take a working desk offline (readme24 R10).
  if (opts.backend?.previousToken && opts.backend.token) {
    fallBackToSavedToken(pools, {
      given: opts.backend.token,
      previous: opts.backend.previousToken,
      vault: opts.tokenVault,
      // The audit row of the start's replacement is not left standing alone (review25 V6).
      restored: () => auditLog.record(START_TOKEN_ACTOR, 'backend.configure', 'backend connection', { token: 'replaced by the one given at this start' }, { token: 'the one saved before, put back: the backend refused the one given' }),
      say: (line) => {
        opts.log?.logger.warn(line);
        process.stderr.write(terminalLine(line));
      },
    });
  }
  analytics.start();
  desk.start();
  refresh(); // what waits from before a restart is listed at once
  perf.start();
  limitHeapGrowth();
  const settler = new MemorySettler(clock, processSettlerInputs());
  settler.start();
  for (const w of [...(opts.lostData ?? []), ...(repaired ? [repaired] : []), ...(warning ? [warning] : [])]) record({ type: 'store-damaged', detail: w });
  if (opts.uncleanStop) {
    // The event list shows its label, then this detail; the log says both.
    record({ type: 'unclean-stop', detail: opts.uncleanStop });
    opts.log?.logger.warn(`${activityWords('unclean-stop')}. ${opts.uncleanStop}`);
  }
  // Set aside at this start: said to whoever started the console too, as a damaged console.db is.
  if (older) record({ type: older.kind === 'renamed' ? 'store-renamed' : 'store-left-unread', detail: older.line });
  for (const w of [repaired, warning, older?.line]) {
    if (!w) continue;
    opts.log?.logger.warn(w);
    process.stderr.write(terminalLine(w));
  }
  // What waits from before this start: said, so nobody clears the folder before it is sent.
  // Counted from memory, and never in the way of a stop: a failing disk must not keep the stores from closing.
  const sayHeld = (at: 'stop' | 'start'): void => {
    try {
      const line = demo || review ? null : heldForBackendWords(outbox.held(), join(storeDir, CONSOLE_DB), opts.dataDir, at);
      if (!line) return;
      opts.log?.logger.warn(line);
      process.stderr.write(terminalLine(line));
    } catch (e) {
      opts.log?.logger.error({ err: e }, 'could not count what waits for the gym system');
    }
  };
  sayHeld('start');
  // Said once at start, in the log and to whoever started it; Health and the Backend card say it until it is mended.
  const tokenOpen = tokenOpenToOthers?.();
  if (tokenOpen) {
    opts.log?.logger.warn(tokenOpen);
    process.stderr.write(terminalLine(tokenOpen));
  }
  // Broken pages met on a read or write while running: said at once in the log, the activity list and Health.
  analytics.store.onDamaged = (detail) => {
    opts.log?.logger.error({ detail }, `analytics.db is damaged: ${detail}`);
    try {
      damageMark.set(detail);
    } catch (e) {
      opts.log?.logger.error({ err: e }, 'could not note in console.db that analytics.db is damaged; the next start will not check it whole');
    }
    record({ type: 'store-damaged', detail: analyticsDamagedWords(analytics.store.file) });
    center.monitor.poke();
  };
  center.start();
  recoveryActions({ center, pools, analytics, db: localDb, clock, record });
  let stopped = false;
  const probe = (why: string): void => {
    // The desktop's resume can arrive while quitting: the stores may be closed already.
    if (stopped) return;
    record({ type: 'probe', detail: why });
    pools.probe();
  };
  const unwatch = watchWakeAndNetwork(probe);
  const inbox = new ExportInbox(join(opts.dataDir, 'uploads'));
  const reviews = new ReviewLoader(opts.reviewWorker);
  // What exports stopped by a crash left behind: a file with a finished export's name but empty, and a large .partial.
  const swept = sweepExportsDir(join(opts.dataDir, 'exports'));
  if (swept.length) opts.log?.logger.info({ removed: swept }, `removed ${swept.length} unfinished export file(s) left by an earlier run`);
  const exports = new ExportJobs();
  const tickets = new FileTickets(clock);
  const scans = new CheckinBudget(clock, (line) => (opts.log ? opts.log.logger.warn(line) : console.warn(line)), opts.checkinLimits);
  const screenFault = screenFaultLog(opts.log?.logger ?? null, clock);

  const handlers = createHandlers({ version: opts.version, dataDir: opts.dataDir, kiosk: opts.kiosk ?? false, demo, pools, outbox, auditLog, analytics, desk, door, pins, screens, stream, refresh, clock, log: opts.log ?? null, tokenVault: review ? undefined : opts.tokenVault, review, inbox, reviews, exports, pickExportFiles: opts.pickExportFiles, loginItem: opts.loginItem, pickSaveFile: opts.pickSaveFile, alerts: center, tickets, scans, screenFault });
  return {
    handlers: opts.log ? logInternalErrors(handlers, opts.log.logger) : handlers,
    newSession: (tell) => screens.start(tell),
    stream,
    pools,
    outbox,
    analytics,
    desk,
    ready,
    demo,
    inbox,
    tickets,
    probe,
    pinsConfigured: () => pins.configured,
    alerts: center,
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    /** Sources first, then the last patch, then the stores: nothing may touch a closed database. */
    async stop() {
      stopped = true;
      unwatch();
      center.stop();
      perf.stop();
      scans.stop(); // a count of refused scans or left-out fault reports not yet said: the log closes after this
      screenFault.stop();
      settler.stop();
      desk.stop();
      door.stop();
      pools.stop();
      pools.removeAllListeners();
      pools.feed.removeAllListeners();
      outbox.removeAllListeners();
      sayHeld('stop');
      stream.flush();
      kept.stop(); // after the feed's listeners are gone: nothing schedules another write
      stopBackfill(); // the demo's history ends at its next hour; the store closes after it
      await ready.catch(() => {});
      await exports.stop(); // ended at their next pause, their files removed: before their store closes
      analytics.stop();
      closeOutbox();
      await reviews.stop();
      inbox.clear();
      await demo?.stop();
    },
  };
}

function demoGauge(demo: EmbeddedDemo): NonNullable<Gauges['demo']> {
  return {
    ratePerHour: demo.simulator.ratePerHour,
    instances: demo.cluster.instances.map((i) => ({ index: i.index, url: i.url, listening: i.listening, ...i.faults })),
  };
}
