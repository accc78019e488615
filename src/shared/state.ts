import type { BannerLine } from './banner-words';
import type { CHECKIN_SOURCES, DenyReason, AllowReason, Member, MemberStatus, OccupancyProblem, Verdict } from './protocol';
import type { FailureCause, PoolsLeftOut, PoolView } from './pools';
import type { ActivityEntry } from './activity';
import { EMPTY_HEALTH, type AlertNotice, type HealthGauge } from './health';

/** What the console shows, streamed from the core as coalesced patches. */

export type LinkState = 'connected' | 'degraded' | 'offline';

export interface EndpointView {
  url: string;
  state: 'connecting' | 'open' | 'closed';
  rttMs: number | null;
  primary: boolean;
  /** While it is down: ms until the console next tries it, as of when this view was made (null: it is not waiting). */
  nextTryInMs: number | null;
  /** While it is down for a cause that never mends itself (a refused token…): what IT must fix, in staff words; waiting will not help. */
  needsFix?: string;
  /** Open, but its program was found stuck (a socket closed for its silence) and has answered no ping since: not counted as answering. */
  stuck?: true;
  /** Open, and some of the backend programs behind it (a load balancer) were found stuck while others answer. */
  someStuck?: true;
  /** Open over wss://: when the certificate it showed runs out (wall ms), and how long it was made to last. */
  certExpiresAt?: number;
  certLifeMs?: number;
}

export interface ConnectionView {
  state: LinkState;
  endpoints: EndpointView[];
  /** Last applied server sequence, for the curious. */
  lastSeq: number;
  protocolErrors: number;
  /** Times the backend could not send again events this PC missed: those events are missing from its lists. */
  eventsMissed: number;
  /** Events the backend sent that this console could not read, left out one by one (the stream went on); absent for none. */
  eventsUnreadable?: number;
  /** Members' records in the backend's searches and roster pages this console could not read, each counted once and left out; absent for none. */
  recordsUnreadable?: number;
  /** Pools pools.json holds past the console's limits, not running (shared/pools.ts poolsLeftOutWords); absent for none. */
  poolsLeftOut?: PoolsLeftOut;
  /** When the backend last started its event log over (restarted without keeping it) and the console caught up; wall ms. */
  restartedAt: number | null;
  /** That start over happened while this PC was off, restarting or not connected to it: `restartedAt` is when this PC found it, not when it was. */
  restartedWhileAway?: boolean;
  /** Why: when every socket is down, the most telling of the endpoints' causes; when they answer but their shared storage is down, that. */
  cause: FailureCause | null;
}

export interface CheckinEntry {
  seq: number;
  /** When the card was scanned: the backend's `scannedAt` when it sent one, else when it recorded the check-in. */
  ts: number;
  /** When the backend recorded it, only if well after the scan: a check-in that waited while the backend was away. */
  arrivedAt?: number;
  /** The backend's stamp, only when past belief (shared/backend-clock.ts): `ts` is then when this PC received it. */
  clockSaid?: number;
  /** It waited on the PC that took it (the backend away or slow) and came with its scan time: it may reach the list after later scans. */
  waited?: true;
  cardId: string;
  memberId: string | null;
  name: string | null;
  status: MemberStatus | null;
  allowed: boolean;
  reason: AllowReason | DenyReason;
  source: 'door' | 'desk' | 'kiosk';
  /** The verdict the PC that took it gave while the backend was away, if it did (words.ts `overruledWords`). */
  decidedOffline?: { allowed: boolean; reason: AllowReason | DenyReason };
  /** Why staff let the member in past a denial (an override), when the backend says; else null. */
  note: string | null;
  /** Who made that override, when the backend says. */
  overriddenBy?: string;
}

/** A check-in taken on this PC that has not reached the backend yet (it is kept, and sent when the backend is back). */
export interface WaitingCheckin {
  key: string;
  /** When it was scanned (wall ms). */
  ts: number;
  cardId: string;
  name: string | null;
  /** Where it was scanned: the desk or a kiosk screen this console serves (probe27a P7: all read "this PC"). */
  source: (typeof CHECKIN_SOURCES)[number];
  /** What this PC decided meanwhile, if it did. */
  decided: { allowed: boolean; reason: AllowReason | DenyReason } | null;
}

/** A check-in this PC decided itself, once the backend answered it: a verdict still on screen follows the backend's. */
export interface AnsweredCheckin {
  /** The queued check-in's key (CheckinResult `key`). */
  key: string;
  /** What this PC told the member. */
  decided: Verdict;
  /** What the backend recorded, which wins; null when its answer could not be read. */
  verdict: Verdict | null;
  /**
   * The verdict shown came from the backend's own live event, not this PC's decision, and its reply then said
   * otherwise (a backend that sent two events for one request); `member` is whom the reply names.
   */
  fromEvent?: true;
  member?: Pick<Member, 'id' | 'cardId' | 'name' | 'status' | 'expiresOn'> | null;
}

/** The answers kept for the screens, newest first: a verdict on screen is one of the last few. */
export const ANSWERED_CHECKINS_KEPT = 20;

/** At most this many waiting check-ins are listed (the count on Overview says how many wait in all). */
export const WAITING_CHECKINS_SHOWN = 20;

/** What the demo's (and the reference backend's) fault buttons can do to an instance. */
export const FAULT_ACTIONS = ['kill', 'hang', 'delay', 'drop', 'restore'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

export interface DemoInstanceView {
  index: number;
  url: string;
  listening: boolean;
  hung: boolean;
  delayMs: number;
  dropFraction: number;
}

/** Lives with every activity type and how each is counted. */
export type { ActivityEntry } from './activity';

/** Outgoing traffic classes, highest priority first. Heartbeats never enter a lane. */
export const LANES = ['realtime', 'system', 'notification', 'broadcast'] as const;
export type Lane = (typeof LANES)[number];

export interface OutboxGauge {
  queued: number;
  inFlight: number;
  oldestAgeMs: number | null;
  /** When the oldest waiting message was queued (wall ms): screens count its age on, between updates. */
  oldestAt: number | null;
  dead: number;
  lanes: Record<Lane, number>;
  alert: string | null;
  /** Why messages wait although the backend is connected (it takes them and never answers); null otherwise. */
  why: string | null;
}

/**
 * The last front-door release this console asked for. A release happens now or never: it waits for the
 * backend at most `waitMs` and is then given up for good (never sent later), so a door does not open hours
 * after it was asked, when nobody is there.
 */
export interface DoorView {
  /** When it was pressed (wall ms). */
  at: number;
  state: 'waiting' | 'released' | 'not-released';
  /**
   * Why not: no backend answering at the press, none confirmed it within `waitMs`, it refused it, or the console
   * stopped without saying (a crash) while it waited: never confirmed, never sent again.
   */
  why: 'offline' | 'no-answer' | 'refused' | 'stopped' | null;
  /** How long it waits for the backend before it is given up (ms). */
  waitMs: number;
  /** When the backend confirmed it (wall ms): after a "not released", it landed late. */
  confirmedAt: number | null;
  /** False: held in memory only, the disk is failing. */
  durable: boolean;
  /**
   * True once its outcome is a few minutes old (door-release.ts DOOR_NEWS_MS): shown as history, not as
   * the door's state now (the door locked again long ago; the outage may be over).
   */
  earlier: boolean;
}

export interface Gauges {
  /** `review`: started with --review-only, to open exports; no backend and no demo. */
  mode: { demo: boolean; review: boolean; dataDir: string };
  connection: ConnectionView;
  /**
   * capacity: the backend's; busyAt and nearlyFullAt: this gym's warning thresholds, in people. `at`: when
   * this PC last knew the count good (wall ms: its last word from the backend, or losing it); absent
   * until the backend has said it (a first start with the backend away: not known at all).
   */
  /**
   * Who is inside, as the backend last said it believably (`at`: when); `wrong`: what it said since that cannot be a
   * gym's count (protocol.ts occupancyProblem), and when. Absent while its figures can stand.
   */
  occupancy: {
    count: number;
    capacity: number;
    busyAt?: number;
    nearlyFullAt?: number;
    at?: number;
    wrong?: OccupancyProblem & { at: number };
    /** While the backend does not answer or cannot record: this PC's own count, the one the desk decides by (FrontDesk.countHere). */
    here?: number;
  };
  demo: { ratePerHour: number; instances: DemoInstanceView[] } | null;
  pools: PoolView[];
  outbox: OutboxGauge;
  /** Check-ins taken here and not yet at the backend, newest first: listed at once, not when the backend is back. */
  waitingCheckins: WaitingCheckin[];
  /** The backend's answers to check-ins this PC decided itself, newest first (ANSWERED_CHECKINS_KEPT). */
  answeredCheckins: AnsweredCheckin[];
  /** The last front-door release asked for here; null when none since the console started. */
  door: DoorView | null;
  /** A running or just-finished export; null when none. */
  exportProgress: { done: number; total: number; file: string; finished: boolean } | null;
  /** Banners: firing alerts nobody has acknowledged, and why a live console started offline. */
  alerts: BannerLine[];
  /** Every check's status and history, and the alerts. */
  health: HealthGauge;
  /**
   * Kiosk screens on this console not open to members now ("Station not open yet" after a restart, or closed by staff):
   * members who scan there are sent to the desk. Absent from a core that predates it.
   */
  stationsWaiting?: number;
}

/** One second of live performance figures. */
export interface PerfPoint {
  ts: number;
  /** Round trip per backend instance (ms, the median of its open sockets), by address; at most 16. */
  rtts: Record<string, number>;
  p50: number | null;
  p95: number | null;
  inPerS: number;
  outPerS: number;
  errorRate: number;
  rssMb: number;
  heapMb: number;
  cpuPct: number;
  lagMs: number;
}

export interface Feeds {
  checkins: CheckinEntry[];
  activity: ActivityEntry[];
  /** 1 Hz, the last hour: the Performance tab's 5, 15 and 60 minute windows. */
  perf: PerfPoint[];
  /** Alert notices as they are sent: the in-app list, and the browser's notifications in the headless host. */
  notices: AlertNotice[];
}

/** Feeds keep only their newest entries, in the core and in the renderer alike. */
export const FEED_CAPS: { [K in keyof Feeds]: number } = {
  checkins: 200,
  activity: 200,
  perf: 3_600,
  notices: 50,
};

export interface Snapshot {
  seq: number;
  gauges: Gauges;
  feeds: Feeds;
}

/** Gauges: last write wins. Feeds: appended, newest last, capped. */
export interface StatePatch {
  seq: number;
  gauges: Partial<Gauges>;
  feeds: Partial<Feeds>;
}

/** A connection nothing is known of yet: a screen's start, and all a kiosk is told besides its state (kiosk-replies.ts). */
export const BLANK_CONNECTION: ConnectionView = { state: 'offline', endpoints: [], lastSeq: 0, protocolErrors: 0, eventsMissed: 0, restartedAt: null, cause: null };

export const emptyFeeds = (): Feeds => ({ checkins: [], activity: [], perf: [], notices: [] });
export const copyFeeds = (f: Feeds): Feeds => ({ checkins: [...f.checkins], activity: [...f.activity], perf: [...f.perf], notices: [...f.notices] });
export { EMPTY_HEALTH };

export const EMPTY_OUTBOX: OutboxGauge = {
  queued: 0,
  inFlight: 0,
  oldestAgeMs: null,
  oldestAt: null,
  dead: 0,
  lanes: { realtime: 0, system: 0, notification: 0, broadcast: 0 },
  alert: null,
  why: null,
};
