import { CatchUp } from './catch-up';
import { statSync } from 'node:fs';
import type { PerfPoint } from '../../../shared/state';
import type { AnalyticsEngine } from '../analytics/engine';
import type { Clock } from '../clock';
import type { Outbox } from '../delivery/outbox';
import type { PoolManager } from '../pool/manager';
import type { FrontDesk } from '../desk/front-desk';
import type { ContinuityLoss } from '../pool/event-feed';
import type { AuditLog } from '../store/audit-log';
import { fastestReplyMs, SLOW_BACKEND_MS, type HealthInputs } from './checks';
import { analyticsDamagedWords } from '../store/open-analytics';
import { processMemory } from '../process-memory';
import { folderTakesFiles, folderUnwritableWords } from '../disk-words';
import { consoleDbFateWords, type ConsoleDbFate } from '../store/console-db-gone';
import { estimateSkew } from './clock-skew';
import { stampBelievable } from '../../../shared/backend-clock';
import { noteStandDown, unstableCount } from '../pool/unstable-stream';
import type { Role } from '../../../shared/roles';

const SIGNIN_WINDOW_MIN = 10;
const SKEW_SAMPLES = 20;
const SKEW_FRESH_MS = 5 * 60_000;
const CONTINUITY_WINDOW_MS = 10 * 60_000;
const FOLDER_PROBE_MS = 60_000;
/** How long Health says the backend stamped an event past belief: long enough for IT to read it, not all day for one glitch. */
const UNBELIEVABLE_WINDOW_MS = 60 * 60_000;

export interface SourceDeps {
  clock: Clock;
  pools: PoolManager;
  outbox: Outbox;
  analytics: AnalyticsEngine;
  audit: AuditLog;
  /** Its roster copy, for offline check-ins. */
  desk: FrontDesk;
  /** console.db's file, for its size. */
  consoleDbFile: string | null;
  /** Why analytics.db was set aside, or could not be opened, at start (its brief words: open-analytics.ts), if so. */
  storeWarning: string | null;
  /** An older version's outbox.db left unread beside console.db, in IT's words (open-console-db.ts). */
  olderFileUnread?: string | null;
  startupWarnings: () => string[];
  /** The perf ticker's latest second (memory, event-loop lag). */
  lastPerf: () => PerfPoint | null;
  /** The PIN someone keeps guessing, past the console's free tries (ConsoleLockout). */
  guessing?: () => { role: Role; wrong: number } | null;
  /** The folder console.db is in, probed for new files once a minute; null: not probed. */
  dataDir?: string | null;
  /** Whether a folder takes a new file now; a seam for tests, which run as root. */
  takesFiles?: (dir: string) => boolean;
  /** What this start found lost from before it (console.db or its -wal missing), in IT's words, and when it started: its own alert all run. */
  lostAtStart?: () => { reason: string; at: number; ackedBy: string | null } | null;
  /** Whether console.db is still the file opened (console-db-gone.ts); looked at every 10 s. */
  consoleDbFate?: () => ConsoleDbFate | null;
  /** A review-only PC: no backend by design. */
  review?: boolean;
  /** What the backend last said of occupancy that no gym holds, in words; null while its figures can stand. */
  wrongOccupancy?: () => string | null;
  /** The saved backend token file readable by other users, in IT's words (token-vault.ts); probed every 10 s. */
  tokenOpenToOthers?: () => string | null;
}

const mb = (file: string): number => {
  try {
    return statSync(file).size / 1048576;
  } catch {
    return 0;
  }
};


/**
 * Reads what the checks judge from the parts that own each fact; follows the feed for clock skew and
 * continuity. The windows here (`at`) are monotonic: a PC clock set back a day kept a lost tail
 * "recent", and the disk unread, for a day.
 */
export function healthSources(d: SourceDeps): () => HealthInputs {
  const skews: { at: number; skew: number }[] = [];
  const lost: { at: number; why: ContinuityLoss }[] = [];
  // Counted by the minute: a PC whose clock is days off finds every event past belief, and keeps 60 of these, not each event.
  const unbelievable: { at: number; n: number; said: number; offMs: number }[] = [];
  d.pools.feed.on('event', (e, replayed) => {
    // Replayed or not: a stamp of 2031 is no one's recording time (feed.ts took it as of its arrival).
    const now = d.clock.now();
    if (!stampBelievable(e.ts, now)) {
      const at = d.clock.mono();
      const last = unbelievable.at(-1);
      if (last && at - last.at < 60_000) Object.assign(last, { n: last.n + 1, said: e.ts, offMs: e.ts - now });
      else unbelievable.push({ at, n: 1, said: e.ts, offMs: e.ts - now });
    }
    // A replay's times are when events were recorded, minutes before the console got them back: no clock reading.
    if (replayed) return;
    skews.push({ at: d.clock.mono(), skew: d.clock.now() - e.ts });
    if (skews.length > SKEW_SAMPLES) skews.shift();
  });
  d.pools.feed.on('continuityLost', (why) => lost.push({ at: d.clock.mono(), why }));
  const standDowns: number[] = [];
  d.pools.feed.on('unstable', () => noteStandDown(standDowns, d.clock.mono()));
  let disk: { at: number; mb: number | null } = { at: -Infinity, mb: null };
  let folder: { at: number; ok: boolean } = { at: -Infinity, ok: true };
  let fate: { at: number; is: ConsoleDbFate | null } = { at: -Infinity, is: null };
  let token: { at: number; open: string | null } = { at: -Infinity, open: null };
  /** When the gym's system began answering slowly (monotonic), null while it is not. */
  let slowSince: number | null = null;
  const catchUp = new CatchUp();
  return () => {
    const now = d.clock.now();
    const mono = d.clock.mono();
    while (lost.length && lost[0]!.at < mono - CONTINUITY_WINDOW_MS) lost.shift();
    while (unbelievable.length && unbelievable[0]!.at < mono - UNBELIEVABLE_WINDOW_MS) unbelievable.shift();
    const lastUnbelievable = unbelievable.at(-1);
    const fresh = skews.filter((s) => s.at >= mono - SKEW_FRESH_MS).map((s) => s.skew);
    const skew = estimateSkew(fresh);
    // statfs is cheap, but once every 10 s is plenty for disk space.
    if (mono - disk.at >= 10_000) disk = { at: mono, mb: d.analytics.storage().freeDiskMb };
    // A chmod run by IT is seen within 10 s; a stat, no more.
    if (d.tokenOpenToOthers && mono - token.at >= 10_000) token = { at: mono, open: d.tokenOpenToOthers() };
    // A file made and removed, once a minute: SQLite writes on through open files, so only this says a restart would fail.
    if (d.dataDir && mono - folder.at >= FOLDER_PROBE_MS) folder = { at: mono, ok: (d.takesFiles ?? folderTakesFiles)(d.dataDir) };
    if (d.consoleDbFate && mono - fate.at >= 10_000) fate = { at: mono, is: d.consoleDbFate() };
    const sizes = d.analytics.store.sizes();
    const outbox = d.outbox.view();
    const perf = d.lastPerf();
    const mem = processMemory();
    const cp = d.analytics.store.lastCheckpoint;
    const pools = d.pools.list();
    const connection = d.pools.connectionView();
    const reply = fastestReplyMs({ pools, connection });
    if (reply === null || reply < SLOW_BACKEND_MS) slowSince = null;
    else slowSince ??= mono;
    return {
      now,
      connection,
      pools,
      slowForMs: slowSince === null ? null : mono - slowSince,
      startupWarnings: d.startupWarnings(),
      feed: { applied: d.pools.feed.applied, head: d.pools.feed.head, continuityLostRecently: lost.length, renumberedRecently: lost.filter((l) => l.why === 'renumbered').length, restartedAt: d.pools.feed.restartedAt, unstable: unstableCount(standDowns, mono), wrongOccupancy: d.wrongOccupancy?.() ?? null, synced: d.pools.feed.synced, failedSnapshots: d.pools.feed.failedSnapshots, catchingUp: catchUp.look(d.pools.feed.applied, d.pools.feed.head, mono) },
      outbox,
      roster: { members: d.desk.cache.size, synced: d.desk.cache.syncedAt !== null, refused: d.desk.rosterRefused, notSaved: d.desk.rosterNotSaved },
      stores: {
        damaged: d.analytics.store.damaged !== null ? analyticsDamagedWords(d.analytics.store.file) : d.storeWarning,
        writeFailing: d.outbox.alert,
        analyticsUnsaved: d.analytics.store.notStoring,
        olderFileUnread: d.olderFileUnread ?? null,
        folderUnwritable: d.dataDir && !folder.ok ? folderUnwritableWords(d.dataDir, outbox.queued + outbox.inFlight) : null,
        consoleDbGone: fate.is && d.consoleDbFile && d.dataDir ? consoleDbFateWords(fate.is, d.consoleDbFile, d.dataDir, outbox.queued + outbox.inFlight) : null,
        dbMb: sizes.dbMb + (d.consoleDbFile ? mb(d.consoleDbFile) : 0),
        walMb: sizes.walMb + (d.consoleDbFile ? mb(`${d.consoleDbFile}-wal`) : 0),
        lastCheckpointAgoMs: cp === null ? null : now - cp,
      },
      freeDiskMb: disk.mb,
      process: { rssMb: perf?.rssMb ?? mem.rss / 1048576, lagMs: perf?.lagMs ?? 0 },
      clockSkewMs: skew?.skewMs ?? null,
      clockOdd: skew?.odd ?? null,
      clockSamples: fresh.length,
      clockUnbelievable: lastUnbelievable ? { count: unbelievable.reduce((n, u) => n + u.n, 0), said: lastUnbelievable.said, offMs: lastUnbelievable.offMs } : null,
      failedSignIns: { count: d.audit.countSince('auth.failed', now - SIGNIN_WINDOW_MIN * 60_000), windowMin: SIGNIN_WINDOW_MIN, guessing: d.guessing?.() ?? null },
      review: d.review ?? false,
      lostAtStart: d.lostAtStart?.() ?? null,
      tokenOpenToOthers: token.open,
    };
  };
}
