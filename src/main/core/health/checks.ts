import { CLOCK_UNIT, clockSpan as span, plural, replyTime, someInstancesAnswer } from '../../../shared/words';
import { formatMb } from '../../../shared/size-words';
import { CHECK_TEXT, HEADLINES, REVIEW_PC_CHECKS, checkLabel, type CheckKind, type CheckResult, type HealthStatus } from '../../../shared/health';
import type { ConnectionView, OutboxGauge } from '../../../shared/state';
import { ANSWERED_CAUSES, poolsLeftOutWords, type PoolView, type SocketView } from '../../../shared/pools';
import { addressWords, dayWords, summaryCauseAt } from '../pool/failure-cause';
import { unstableFeedWords } from '../pool/unstable-stream';
import { MIN_AGREE } from './clock-skew';
import { clockSaidUtc, LIVE_STAMP_OFF_MS, STAMP_FLOOR_MS } from '../../../shared/backend-clock';
import { ROLE_TEXT, type Role } from '../../../shared/roles';

/** Everything the checks judge, read once per tick; each check is a pure function of it. */
export interface HealthInputs {
  /** This PC's wall clock when the inputs were read (ms). */
  now: number;
  connection: ConnectionView;
  pools: PoolView[];
  /** Why a live console starts offline (no token, no pools). */
  startupWarnings: string[];
  /**
   * renumberedRecently: of those losses, the backend's numbering starting over (absent: none), the last
   * at restartedAt (wall ms): a restart caught up with, nothing missed.
   */
  /**
   * unstable: stand-downs of an address whose numbering could not be followed, as the damping rule counts them (absent or 0: none).
   * wrongOccupancy: the backend's last occupancy cannot be a gym's (protocol.ts occupancyProblem), in words; absent or null: it can.
   */
  feed: {
    applied: number;
    head: number;
    continuityLostRecently: number;
    renumberedRecently?: number;
    restartedAt?: number | null;
    unstable?: number;
    wrongOccupancy?: string | null;
    /** A first picture landed in this run (absent: yes); and snapshots failed in a row since the last that did. */
    synced?: boolean;
    failedSnapshots?: number;
    /** Events were applied within the last couple of seconds: a lag is being worked through, not stuck (absent: not known). */
    catchingUp?: boolean;
  };
  outbox: OutboxGauge;
  /** The roster copy offline check-ins decide from, and the last sync refused (until one completes). */
  /** `notSaved`: the last sync's roster could not be written (the disk's words), until one is. */
  roster: { members: number; synced: boolean; refused: { message: string; waitMs: number } | null; notSaved: string | null };
  /** folderUnwritable: the data folder takes no new file (the next start would be refused), in IT's words. */
  /** consoleDbGone: console.db deleted or replaced under the running console (console-db-gone.ts), in IT's words. */
  stores: { damaged: string | null; writeFailing: string | null; analyticsUnsaved?: string | null; olderFileUnread?: string | null; folderUnwritable?: string | null; consoleDbGone?: string | null; dbMb: number; walMb: number; lastCheckpointAgoMs: number | null };
  freeDiskMb: number | null;
  process: { rssMb: number; lagMs: number };
  /** Our clock − the backend's, from recent event timestamps; null until enough recent events agree (see clock-skew.ts). */
  clockSkewMs: number | null;
  /** Recent events stamped well ahead of the rest: another clock of the backend's, not this PC's (absent: none). */
  clockOdd?: { count: number; of: number; aheadMs: number } | null;
  /** Recent events compared (absent: as many as agree). */
  clockSamples?: number;
  /**
   * Events of the last hour the backend stamped past belief (shared/backend-clock.ts), the last one's stamp and how far
   * from this PC's clock it was (+ ahead); absent or null: none. The live list took them as of their arrival.
   */
  clockUnbelievable?: { count: number; said: number; offMs: number } | null;
  /**
   * guessing: a PIN wrong past the console's free tries since it was last typed right (absent: none):
   * at one try per long wait, the count in the window stays small while someone keeps at it.
   */
  failedSignIns: { count: number; windowMin: number; guessing?: { role: Role; wrong: number } | null };
  /** How long the gym's system has answered slowly (fastestReplyMs at SLOW_BACKEND_MS or more), null or absent while it is not. */
  slowForMs?: number | null;
  /** A PC for reviewing exports (--review-only): it never has a backend, so nothing that needs one is judged. */
  review?: boolean;
  /** What this start found lost from before it (console.db or its -wal missing), in IT's words, when it started, and who acknowledged it; kept all run. */
  lostAtStart?: { reason: string; at: number; ackedBy?: string | null } | null;
  /** The saved backend token file can be read by other users of this PC, in IT's words; absent or null: it cannot. */
  tokenOpenToOthers?: string | null;
}

/** The limits checks judge by, in one place. */
export const HEALTH_LIMITS = {
  feedLagDegraded: 50,
  feedLagFailing: 500,
  outboxAgeDegradedMs: 60_000,
  outboxAgeFailingMs: 5 * 60_000,
  walDegradedMb: 64,
  diskDegradedMb: 500,
  diskFailingMb: 100,
  lagDegradedMs: 200,
  lagFailingMs: 1_000,
  rssDegradedMb: 1_500,
  skewDegradedMs: 30_000,
  skewFailingMs: LIVE_STAMP_OFF_MS,
  signinsDegraded: 5,
  signinsFailing: 15,
} as const;

const result = (kind: CheckKind, status: HealthStatus, reason: string, value: number | null, unit = '', id: string = kind, label: string = CHECK_TEXT[kind]): CheckResult => ({ id, kind, label, status, reason, value, unit });

/** How long before a backend's certificate runs out IT is told: time to renew it on a working day. */
export const CERT_WARN_MS = 14 * 86_400_000;

/** " The backend's certificate at … runs out on …" for the soonest of the open addresses' within CERT_WARN_MS; '' for none. */
function certificateRunsOut(eps: HealthInputs['connection']['endpoints'], now: number): string {
  const soonest = eps.filter((e) => e.state === 'open' && e.certExpiresAt !== undefined).sort((a, b) => a.certExpiresAt! - b.certExpiresAt!)[0];
  // A certificate made to last days (renewed by a machine) is warned of in its last third, not for all its life.
  if (!soonest || soonest.certExpiresAt! - now > Math.min(CERT_WARN_MS, (soonest.certLifeMs ?? Infinity) / 3)) return '';
  const left = soonest.certExpiresAt! - now;
  const at = `The backend's certificate at ${addressWords(soonest.url)}`;
  if (left <= 0) return ` ${at} ran out on ${dayWords(soonest.certExpiresAt!)}: this PC stays connected only until its connections open again. Ask the gym's IT to renew it now.`;
  const when = left < 86_400_000 ? 'within a day' : `in ${plural(Math.round(left / 86_400_000), 'day')}`;
  return ` ${at} runs out on ${dayWords(soonest.certExpiresAt!)}, ${when}: after that this PC cannot connect to it. Ask the gym's IT to renew it before then.`;
}

/**
 * Backend connection, and the token it is made with: one other users of this PC can read is said here until IT runs the
 * chmod, as ssh says of a private key others can read. Said, not a status: this check's status is the connection's,
 * and its alert holds back the feed's, pool's and outbox's (review22 L2); a file's mode must not silence those.
 */
const backend = (i: HealthInputs): CheckResult => {
  const c = connectionCheck(i);
  if (!i.tokenOpenToOthers) return c;
  return { ...c, reason: `${c.reason} ${i.tokenOpenToOthers}` };
};

const connectionCheck = (i: HealthInputs): CheckResult => {
  const eps = i.connection.endpoints;
  // Open with its program found stuck is not answering (probe-hostile18 F3).
  const open = eps.filter((e) => e.state === 'open' && !e.stuck).length;
  if (!eps.length) return result('backend', i.startupWarnings.length ? 'failing' : 'unknown', i.startupWarnings.join(' ') || 'No backend instances are configured.', 0, 'instances');
  // The first connection still under way is not an outage yet.
  if (open === 0 && !i.connection.cause && eps.some((e) => e.state === 'connecting')) return result('backend', 'unknown', 'Connecting to the backend…', 0, 'instances');
  if (open === 0) {
    const c = i.connection.cause;
    const why = c ? `${c.text} ${c.next}` : 'None of them answers.';
    // Something answered but would not do: "not reachable" would send staff to the network cable.
    const verdict = c?.kind === 'app-silent' ? 'answering' : c && ANSWERED_CAUSES.has(c.kind) ? 'connected' : 'reachable';
    return result('backend', 'failing', `No backend instance is ${verdict} (0 of ${eps.length}). ${why}`, 0, 'instances');
  }
  // Answering is not enough: an instance whose shared database is down records nothing.
  const cause = i.connection.cause;
  if (cause?.kind === 'storage-unavailable') return result('backend', 'failing', `${cause.text} ${cause.next}`, open, 'instances');
  const stuck = cause?.kind === 'app-silent' ? ` ${cause.text} ${cause.next}` : '';
  const renew = certificateRunsOut(eps, i.now);
  if (open < eps.length) return result('backend', 'degraded', `${someInstancesAnswer(open, eps.length)}${stuck}${renew}`, open, 'instances');
  // Every address answers, but behind one (a load balancer) a program is stuck: its sockets are out of use.
  if (stuck || renew) return result('backend', 'degraded', `${stuck}${renew}`.trim(), open, 'instances');
  return result('backend', 'ok', eps.length === 1 ? 'The backend answers.' : `All ${eps.length} backend instances answer.`, open, 'instances');
};

/**
 * What makes a pool red (failing), in one place: no socket can carry a check-in, so someone must act.
 * A socket carries one while it is open and most of its requests succeed, even out of rotation: with no
 * healthy socket the pool still sends on an open one (pool.ts `pick`). Sockets out of rotation only
 * for answering slowly are amber: check-ins still go through, more slowly, and the desk has nothing to do.
 */
const carriesCheckins = (s: SocketView): boolean => s.state === 'open' && s.inputs.errorRate < 0.5;
/** From this reply time on, out of rotation reads as the backend being slow (the score is 0 at 1,000 ms). */
const SLOW_MS = 500;

const pool = (p: PoolView): CheckResult => {
  const pct = Math.round(p.healthRatio * 100);
  const id = `pool:${p.config.name}`;
  const label = checkLabel(id);
  // Its first sockets still opening, nothing failed yet: not judged.
  if (p.healthRatio === 0 && p.endpoints.every((e) => e.cause === null) && p.sockets.some((s) => s.state === 'connecting')) return result('pool', 'unknown', 'Opening its sockets…', pct, '%', id, label);
  const open = p.endpoints.filter((e) => e.breaker !== 'closed').map((e) => e.url.replace(/^wss?:\/\//, ''));
  const breakers = open.length ? ` After repeated failures the console rests ${open.join(', ')} for a while before trying again.` : '';
  const carrying = p.sockets.filter(carriesCheckins);
  if (p.healthRatio === 0 && carrying.length) {
    const fastest = Math.min(...carrying.map((s) => s.inputs.latencyMs ?? Infinity));
    if (fastest >= SLOW_MS && fastest < Infinity) {
      // How slow, for how long and what to do is Backend speed's to say: here, only what it does to the sockets.
      const open = carrying.length === 1 ? 'its one open socket answers' : `its ${carrying.length} open sockets answer`;
      const reason = `No socket is in rotation: ${open} slowly, and the console still sends check-ins on ${carrying.length === 1 ? 'it' : 'them'}. How slow: see Backend speed.${breakers}`;
      return { ...result('pool', 'degraded', reason, pct, '%', id, label), headline: HEADLINES.slowBackend };
    }
  }
  const status: HealthStatus = p.healthRatio > 0 || carrying.length ? (p.healthRatio < 0.5 || open.length ? 'degraded' : 'ok') : 'failing';
  const why = status === 'ok' ? null : summaryCauseAt(p.endpoints);
  const reason = status === 'ok' ? `${pct} % of its sockets are healthy.` : `${pct === 0 ? 'None of its sockets are healthy.' : `Only ${pct} % of its sockets are healthy.`}${breakers}${why ? ` ${why.text} ${why.next}` : ''}`;
  return result('pool', status, reason, pct, '%', id, label);
};

/** Pools pools.json holds past the limits are not running: amber until a pool change saves only the running ones. */
const leftOut = (i: HealthInputs): CheckResult[] => {
  const l = i.connection.poolsLeftOut;
  return l ? [result('pool', 'degraded', poolsLeftOutWords(l), l.count, l.count === 1 ? 'pool not running' : 'pools not running')] : [];
};

/** From this reply time on the gym's system counts as slow (a socket's health score counts it unhealthy there too). */
export const SLOW_BACKEND_MS = 1_000;
/** From this reply time on, the desk decides a check-in on this PC rather than keep the member waiting. */
const DESK_WAITS_MS = 1_500;

/**
 * How fast the gym's system answers: the quickest instance's time (its slowest open socket's smoothed round trip
 * or reply time: a socket the check-ins are not sent on hears only quick pongs from an instance slow to record
 * them), else the quickest open address's last round trip; null with nothing open.
 */
export function fastestReplyMs(i: Pick<HealthInputs, 'pools' | 'connection'>): number | null {
  const instances = new Map<string, number>();
  for (const p of i.pools) for (const s of p.sockets) if (s.state === 'open' && s.inputs.latencyMs !== null) instances.set(s.endpoint, Math.max(instances.get(s.endpoint) ?? 0, s.inputs.latencyMs));
  let best: number | null = instances.size ? Math.min(...instances.values()) : null;
  if (best !== null) return best;
  for (const e of i.connection.endpoints) if (e.state === 'open' && e.rttMs !== null) best = Math.min(best ?? Infinity, e.rttMs);
  return best;
}

/** "for 6 min", "for 40 s": how long a slow spell has lasted. */
const lasted = (ms: number | null | undefined): string => (ms ? ` for ${ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`}` : '');

/** Slow is not down: the staff are told how slow, for how long, and what still works, and IT is told once it lasts (the default rule). */
const speed = (i: HealthInputs): CheckResult => {
  const ms = fastestReplyMs(i);
  if (ms === null) {
    // Connected to a backend that has timed nothing yet (one that leaves pings unanswered: probe-hostile20), not "not connected".
    const why = i.connection.state === 'offline' ? 'No backend instance is connected' : 'The backend has not answered anything the console times yet';
    return result('speed', 'unknown', `${why}, so how fast it answers cannot be judged.`, null, 'ms a reply');
  }
  const about = replyTime(ms);
  // The console's own delay makes every reply late too: then it is the console (the responsiveness check says so), not the gym's system.
  if (i.process.lagMs >= HEALTH_LIMITS.lagDegradedMs) return result('speed', 'ok', `Replies take about ${about}, but this console is slow itself, so the gym's system is not judged.`, Math.round(ms), 'ms a reply');
  if (ms < SLOW_BACKEND_MS) return result('speed', 'ok', `The gym's system answers in about ${about}.`, Math.round(ms), 'ms a reply');
  const still = ms >= DESK_WAITS_MS ? 'Check-ins still work: the desk decides them on this PC at once and sends them on; a door release takes longer to confirm.' : 'Check-ins still work, more slowly.';
  const reason = `The gym's system has been answering slowly${lasted(i.slowForMs)}: replies take about ${about}, while this console keeps up. ${still} Nothing to do at the desk; tell IT if it lasts.`;
  return { ...result('speed', 'degraded', reason, Math.round(ms), 'ms a reply'), headline: HEADLINES.slowBackend };
};

/** "once", "twice", "3 times": not "1 time(s)". */
const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/**
 * "The gym's system was restarted at 6:06 AM", in this PC's time; found at this PC's first sync after it started,
 * "while this PC was off, restarting or not connected to it" (when it was is not known).
 */
export const restartedWords = (at: number | null, whileAway = false): string =>
  whileAway
    ? "The gym's system was restarted while this PC was off, restarting or not connected to it"
    : at === null
      ? "The gym's system was restarted"
      : `The gym's system was restarted at ${new Date(at).toLocaleTimeString('en', { hour: 'numeric', minute: '2-digit' }).replace(/\s/g, ' ')}`;

/** The backend answers, but its picture of who is in (its snapshot) failed try after try. No count: it would change the words at every look. */
const snapshotFailingWords = (synced: boolean): string =>
  "The gym's system answers, but could not send its picture of who is in, try after try: " +
  (synced ? "the live list stays as it was and misses check-ins since. " : 'the live list and reports have not started. ') +
  "Every check-in this PC sends still reaches it. The console asks again by itself; if this lasts, tell the gym's IT.";

const feed = (i: HealthInputs): CheckResult => {
  if (i.connection.state === 'offline') return result('feed', 'unknown', 'No backend instance is connected, so the event feed cannot be judged.', null, 'events');
  const lag = Math.max(0, i.feed.head - i.feed.applied);
  // "Up to date" before any picture landed was a guess (probe-hostile19 G4): the live list has not started.
  const failed = i.feed.failedSnapshots ?? 0;
  if (failed >= 2) return result('feed', 'degraded', snapshotFailingWords(i.feed.synced !== false), lag, 'events');
  if (i.feed.synced === false) return result('feed', 'unknown', "Waiting for the gym's system's first picture of who is in: the live list starts once it comes.", null, 'events');
  const renumbered = i.feed.renumberedRecently ?? 0;
  const gaps = i.feed.continuityLostRecently - renumbered;
  if (i.feed.unstable) return result('feed', 'degraded', unstableFeedWords(i.feed.unstable), lag, 'events');
  if (i.feed.wrongOccupancy) return result('feed', 'degraded', i.feed.wrongOccupancy, lag, 'events');
  // Events really lost in a break: the live list and reports miss them, and staff should hear it.
  if (gaps > 0) return result('feed', 'degraded', `The gym's system could not send again the events this PC missed during a break, ${times(gaps)} in the last 10 min: check-ins from those moments are missing from this PC's lists and reports. This PC took a fresh picture of who is in.`, lag, 'events');
  // One restart caught up with is news, not trouble; starting over again and again is.
  if (renumbered > 1) return result('feed', 'degraded', `The gym's system started its event log over ${times(renumbered)} in the last 10 min (restarted each time without keeping it); this PC caught up each time. Tell IT if it keeps happening.`, lag, 'events');
  // Far behind but applying (a burst, a replay after a break) is slow, not broken: red only once it stops moving.
  if (lag >= HEALTH_LIMITS.feedLagDegraded && i.feed.catchingUp) return result('feed', 'degraded', `Catching up with the gym's system: ${lag} events to go. The live lists show the newest once it is done.`, lag, 'events');
  if (lag >= HEALTH_LIMITS.feedLagFailing) return result('feed', 'failing', `The live lists are ${lag} events behind the gym's system and not catching up.`, lag, 'events');
  if (lag >= HEALTH_LIMITS.feedLagDegraded) return result('feed', 'degraded', `The live lists are ${lag} events behind the gym's system.`, lag, 'events');
  if (renumbered === 1) return result('feed', 'ok', `${restartedWords(i.feed.restartedAt ?? null, i.connection.restartedWhileAway)}; this PC caught up with it.`, lag, 'events');
  return result('feed', 'ok', lag ? `${lag} events behind, catching up.` : 'Up to date with the backend.', lag, 'events');
};

const outbox = (i: HealthInputs): CheckResult => {
  const o = i.outbox;
  const age = o.oldestAgeMs ?? 0;
  const dead = o.dead ? ` ${o.dead} ${o.dead === 1 ? 'message' : 'messages'} could not be delivered (see Dead letters on Connection Pools).` : '';
  const why = o.why ? ` ${o.why}` : '';
  if (o.alert) return result('outbox', 'failing', o.alert, age / 1000, 's');
  if (age >= HEALTH_LIMITS.outboxAgeFailingMs) return result('outbox', 'failing', `The oldest unsent message has waited ${Math.round(age / 60_000)} min.${why}${dead}`, age / 1000, 's');
  if (age >= HEALTH_LIMITS.outboxAgeDegradedMs) return result('outbox', 'degraded', `The oldest unsent message has waited ${Math.round(age / 1000)} s.${why}${dead}`, age / 1000, 's');
  if (o.why) return result('outbox', 'degraded', `${o.queued + o.inFlight} waiting. ${o.why}${dead}`, age / 1000, 's');
  if (o.dead) return result('outbox', 'degraded', dead.trim(), age / 1000, 's');
  // Sent and not yet taken (no ack) is still waiting: "everything has been sent" read as done (probe-hostile19 G5).
  const waiting = o.queued + o.inFlight;
  return result('outbox', 'ok', waiting ? `${waiting} waiting for the gym's system to take them, the oldest ${Math.round(age / 1000)} s.` : 'Everything has been sent.', age / 1000, 's');
};

const roster = (i: HealthInputs): CheckResult => {
  const { members, synced, refused } = i.roster;
  if (refused) {
    // Refused in an earlier run: tried once as soon as the backend answers, then backing off again.
    const again = refused.waitMs > 0 ? `The console tries the sync again in ${span(refused.waitMs)}, not every 10 min.` : 'The console tries the sync again once the backend answers.';
    if (members === 0) {
      return result('roster', 'failing', `No copy of the members list on this PC, so a check-in taken while the backend is unreachable knows no member and turns each away as an unknown card. ${refused.message} ${again}`, 0, 'members');
    }
    return result('roster', 'degraded', `The copy of the roster on this PC (${plural(members, 'member')}) is no longer updated; check-ins taken while the backend is unreachable go by it. ${refused.message} ${again}`, members, 'members');
  }
  if (i.roster.notSaved) {
    const why = `the backend sent it, but it could not be saved (${i.roster.notSaved})`;
    const fix = "Tell the gym's IT; the console saves it at its next sync once the disk takes it.";
    if (members === 0) return result('roster', 'failing', `No copy of the members list on this PC: ${why}, so a check-in taken while the backend is unreachable knows no member and turns each away as an unknown card. ${fix}`, 0, 'members');
    return result('roster', 'degraded', `The copy of the roster on this PC (${plural(members, 'member')}) could not be updated: ${why}; check-ins taken while the backend is unreachable go by the older copy. ${fix}`, members, 'members');
  }
  // While the backend answers, "once it answers" would be no help: the sync is due, or failing (review20b L2).
  const fetching = i.connection.state === 'offline' ? 'It is fetched once the backend answers.' : "The console is fetching it from the backend; if this lasts more than a few minutes, tell the gym's IT.";
  if (!synced && members === 0) return result('roster', 'unknown', `No copy of the members list on this PC yet: ${fetching[0]!.toLowerCase()}${fetching.slice(1)}`, 0, 'members');
  // Members kept from Find alone (a first sync cut short): the copy looks full enough to trust, and is not (probe-hostile20 H2).
  if (!synced) {
    return result('roster', 'degraded', `Only ${plural(members, 'member')} found with Find ${members === 1 ? 'is' : 'are'} on this PC: the whole roster has not been fetched yet, so a check-in taken while the backend is unreachable turns other members away as unknown cards. ${fetching}`, members, 'members');
  }
  return result('roster', 'ok', `${plural(members, 'member')} kept for check-ins while the backend is unreachable.`, members, 'members');
};

const stores = (i: HealthInputs): CheckResult => {
  const s = i.stores;
  const size = `the databases take ${s.dbMb.toFixed(1)} MB, plus ${s.walMb.toFixed(1)} MB of recent changes not yet written into them`;
  if (s.consoleDbGone) return result('stores', 'failing', s.consoleDbGone, s.walMb, 'MB of recent changes');
  if (s.writeFailing) return result('stores', 'failing', s.writeFailing, s.walMb, 'MB of recent changes');
  if (s.damaged) return result('stores', 'degraded', s.damaged, s.walMb, 'MB of recent changes');
  if (s.analyticsUnsaved) return result('stores', 'degraded', s.analyticsUnsaved, s.walMb, 'MB of recent changes');
  if (s.olderFileUnread) return result('stores', 'degraded', s.olderFileUnread, s.walMb, 'MB of recent changes');
  if (s.folderUnwritable) return result('stores', 'degraded', s.folderUnwritable, s.walMb, 'MB of recent changes');
  if (s.walMb >= HEALTH_LIMITS.walDegradedMb) return result('stores', 'degraded', `The file of recent changes (write-ahead log) has grown to ${s.walMb.toFixed(0)} MB; the console folds it into the databases.`, s.walMb, 'MB of recent changes');
  const cp = s.lastCheckpointAgoMs === null ? '' : ` (last done ${Math.round(s.lastCheckpointAgoMs / 60_000)} min ago)`;
  return result('stores', 'ok', `Saving works; ${size}${cp}.`, s.walMb, 'MB of recent changes');
};

/**
 * What this start found lost: its own check, apart from Local databases, so acknowledging it hides no later trouble
 * there; its id names the start, so an acknowledgement from a run before is not taken for this one's (review25 V3).
 */
const lost = (i: HealthInputs): CheckResult => {
  if (!i.lostAtStart) return result('lost', 'ok', 'Nothing saved on this PC was found missing at this start.', null);
  const { reason, at, ackedBy } = i.lostAtStart;
  // Nothing can be done about it once seen: acknowledged, it stays said but no longer holds the console Degraded all run (review26 V9).
  if (ackedBy) return result('lost', 'ok', `${reason} Acknowledged by ${ackedBy}.`, null, '', `lost:${at}`);
  return result('lost', 'degraded', reason, null, '', `lost:${at}`);
};

const disk = (i: HealthInputs): CheckResult => {
  const mb = i.freeDiskMb;
  if (mb === null) return result('disk', 'unknown', 'This system does not report free disk space.', null, 'MB');
  // Read at the desk too, where nobody can free space: who to tell, and that check-ins go on (readme24 R3).
  if (mb < HEALTH_LIMITS.diskFailingMb) return result('disk', 'failing', `This PC's disk is almost full: ${formatMb(mb)} free where the console keeps its data. Check-ins still work; tell the gym's IT now, so they free space before the console can no longer save them.`, mb, 'MB');
  if (mb < HEALTH_LIMITS.diskDegradedMb) return result('disk', 'degraded', `Low disk space: ${formatMb(mb)} free where the console keeps its data. Tell the gym's IT to free some space soon.`, mb, 'MB');
  return result('disk', 'ok', `${formatMb(mb)} free.`, mb, 'MB');
};

const proc = (i: HealthInputs): CheckResult => {
  const { rssMb, lagMs } = i.process;
  const lag = Math.round(lagMs);
  if (lagMs >= HEALTH_LIMITS.lagFailingMs) return result('process', 'failing', `The console is stalling: it takes ${lag.toLocaleString('en')} ms to respond.`, lag, 'ms to respond');
  if (lagMs >= HEALTH_LIMITS.lagDegradedMs) return result('process', 'degraded', `The console is slow to respond: it takes ${lag.toLocaleString('en')} ms.`, lag, 'ms to respond');
  if (rssMb >= HEALTH_LIMITS.rssDegradedMb) return result('process', 'degraded', `The console uses ${Math.round(rssMb)} MB of memory; restart it at a quiet moment.`, lag, 'ms to respond');
  return result('process', 'ok', `Uses ${Math.round(rssMb)} MB of memory; responds within ${lag} ms.`, lag, 'ms to respond');
};

/**
 * Said once, here, for IT: the backend stamped an event past belief. The live list shows it as of its arrival with
 * the backend's stamp on that row alone; analytics count it then too.
 */
function unbelievableWords(u: NonNullable<HealthInputs['clockUnbelievable']>): string {
  const when = u.said < STAMP_FLOOR_MS ? `${clockSaidUtc(u.said)}, before any gym used this console` : `${clockSaidUtc(u.said)}, ${span(u.offMs)} ${u.offMs > 0 ? 'ahead of' : 'behind'} this PC's clock`;
  const which = u.count === 1 ? 'An event from the backend in the last hour was' : `${u.count.toLocaleString('en')} events from the backend in the last hour carried times that cannot be right; the last was`;
  return `${which} stamped ${when}. The console lists and counts such events when they arrived. Ask whoever runs the backend to check its clock.`;
}

const clock = (i: HealthInputs): CheckResult => {
  const skew = i.clockSkewMs;
  const off = i.clockUnbelievable ?? null;
  if (skew === null) {
    if (off) return result('clock', 'degraded', unbelievableWords(off), null, CLOCK_UNIT);
    const n = i.clockSamples ?? 0;
    // One event with a wrong time (or two) judged the PC's clock for 5 minutes: a few must agree first.
    const few = `Too few recent events from the backend agree on the time to compare clocks (${n} so far; ${MIN_AGREE} are needed).`;
    return result('clock', 'unknown', n ? few : 'No recent events from the backend to compare clocks with.', null, CLOCK_UNIT);
  }
  const s = Math.round(skew / 1000);
  const which = skew > 0 ? 'ahead of' : 'behind';
  const odd = i.clockOdd ?? null;
  // A stamp past belief is said in its own words below, not again as "one event ahead of the others".
  const oddNote = odd?.count === 1 && !off ? ` One recent event from the backend carried a time ${span(odd.aheadMs)} ahead of the others; it was left out.` : '';
  if (Math.abs(skew) >= HEALTH_LIMITS.skewFailingMs) return result('clock', 'failing', `This PC's clock is ${span(skew)} ${which} the backend's. Set the PC's time (turn on automatic time), or the backend's if this PC's is right.${oddNote}`, s, CLOCK_UNIT);
  if (Math.abs(skew) >= HEALTH_LIMITS.skewDegradedMs) return result('clock', 'degraded', `This PC's clock is ${span(skew)} ${which} the backend's.${oddNote}`, s, CLOCK_UNIT);
  // Events from one instance running ahead are that instance's clock: staff told to move the PC's set it wrong for the rest.
  if (odd && odd.count > 1) {
    return result('clock', 'degraded', `${odd.count} of the last ${odd.of} events from the backend carry times ${span(odd.aheadMs)} ahead of the rest: one of the backend instances likely has its clock wrong. This PC's clock agrees with the rest (within ${Math.max(1, Math.abs(s))} s), so leave it as it is; ask whoever runs the backend to set that instance's time.${off ? ` ${unbelievableWords(off)}` : ''}`, s, CLOCK_UNIT);
  }
  if (off) return result('clock', 'degraded', `Within ${Math.max(1, Math.abs(s))} s of the backend's usual time. ${unbelievableWords(off)}`, s, CLOCK_UNIT);
  return result('clock', 'ok', `Within ${Math.max(1, Math.abs(s))} s of the backend.${oddNote}`, s, CLOCK_UNIT);
};

const signins = (i: HealthInputs): CheckResult => {
  const { count, windowMin, guessing } = i.failedSignIns;
  if (guessing) {
    const pin = `${ROLE_TEXT[guessing.role]} PIN`;
    return result('signins', 'failing', `Someone keeps trying the ${pin}: ${guessing.wrong} wrong since it was last typed right, so every screen now waits longer between tries (up to 15 min). Check who is at the console and the kiosk; change the ${pin} if in doubt.`, count, 'wrong PINs');
  }
  const what = `${count} wrong ${count === 1 ? 'PIN' : 'PINs'} in the last ${windowMin} min`;
  if (count >= HEALTH_LIMITS.signinsFailing) return result('signins', 'failing', `${what}: someone may be guessing PINs. Check who is at the console; change the PINs if in doubt.`, count, 'wrong PINs');
  if (count >= HEALTH_LIMITS.signinsDegraded) return result('signins', 'degraded', `${what}: a burst of wrong PINs. Check who is at the console.`, count, 'wrong PINs');
  return result('signins', 'ok', count ? `${what}.` : `No wrong PINs in the last ${windowMin} min.`, count, 'wrong PINs');
};

const ON_REVIEW_PC: Record<(typeof REVIEW_PC_CHECKS)[number], (i: HealthInputs) => CheckResult> = { stores, disk, process: proc, signins };

/** Every check, in the order the Health view lists them. */
export function runChecks(i: HealthInputs): CheckResult[] {
  // "Not known" for ever, on a PC that by design has no backend, roster, feed or queue, read as a fault.
  if (i.review) return REVIEW_PC_CHECKS.map((k) => ON_REVIEW_PC[k](i));
  return [backend(i), ...leftOut(i), ...i.pools.map(pool), speed(i), feed(i), outbox(i), roster(i), stores(i), lost(i), disk(i), proc(i), clock(i), signins(i)];
}

/** A symptom's root cause: with every backend instance down, pools, feed and queue follow. */
export const PARENT: Partial<Record<CheckKind, CheckKind>> = { pool: 'backend', speed: 'backend', feed: 'backend', outbox: 'backend', clock: 'backend' };
