import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import type { LeftOutMembers, Op, Replies, RequestBodies } from '../../../shared/protocol';
import { missingPortProblem, NEEDS_FIX_WORDS, POOL_LIMITS, PoolConfigSchema, poolLimitProblem, type FailureCause, type PoolConfig, type PoolPatch, type PoolsLeftOut, type PoolView } from '../../../shared/pools';
import type { ConnectionView } from '../../../shared/state';
import { standDownWords } from './unstable-stream';
import { UserError } from '../../../shared/result';
import { joinProblems, labelAt, parseInWords } from '../../../shared/field-errors';
import { STRATEGY_WORDS, plural } from '../../../shared/words';
import { systemClock, type Clock } from '../clock';
import type { PoolActivity } from './activity';
import { EventFeed, type ContinuityLoss, type FeedMove } from './event-feed';
import { LeftOutRecords } from './left-out';
import { ConnectionPool, type PoolDeps } from './pool';
import type { PoolStore } from './pools-file';
import type { SocketFactory } from './connection';
import { savedSocketFactoryFor, socketFactoryFor } from './tls';
import { tryCaFile } from './ca-file-trial';
import { cause, causeOfSomeStuck, causeOfStuckAt, summaryCauseAt } from './failure-cause';

/**
 * What the activity log says when the feed resyncs: a backend restarted without its log is caught up
 * with and nothing is lost (information); a replay refused loses the events in the break (trouble).
 */
/** "Try now" at most this often, whoever asks. */
export const TRY_NOW_EVERY_MS = 5_000;
const CONTINUITY_LOST: Record<ContinuityLoss, PoolActivity['type']> = { gap: 'continuity-lost', renumbered: 'backend-restarted' };
const CONTINUITY_WORDS: Record<ContinuityLoss, string> = {
  gap: "the gym's system could not send again the events this PC missed during a break: check-ins from then are missing from this PC's lists and reports; this PC took a fresh picture of who is in",
  // No promise about who is inside: this PC's own memory of who went in (the passback check) outlives it (readme27 W6).
  renumbered: "it started its event log over; this PC caught up with it and shows its count of who is inside",
};
/** The same start over, found at the first sync after this PC started: what it was counting before is gone from the backend too. */
const RESTARTED_WHILE_AWAY = 'it started its event log over while this PC was off, restarting or not connected to it; this PC caught up with it';

const IT_UNREADABLE = "IT: check that the backend's version matches this console's; the console's log says what was wrong.";

/** What staff and IT read of events the console could not read: what is missing, that the rest goes on, and who can fix it. */
export function unreadableWords(u: { seqs: number[]; history: boolean }): string {
  if (!u.history) return `The gym's system sent a live event (number ${u.seqs[0]}) this PC cannot read, so it is missing from this PC's lists and reports; the live events after it go on. ${IT_UNREADABLE}`;
  const n = u.seqs.length || 1;
  return `${n === 1 ? 'One event' : `${n} events`} of the recent history the gym's system sent could not be read and ${n === 1 ? 'is' : 'are'} left out of this PC's list; the rest is shown. ${IT_UNREADABLE}`;
}

/** The same for members' records a search or a roster page held: where they are missing, and that the rest is used. */
export function leftOutWords(n: number, op: 'lookup' | 'roster' | 'checkin'): string {
  const what = n === 1 ? "One member's record" : `${n} members' records`;
  if (op === 'checkin') return `${what} the gym's system sent with a check-in's answer could not be read; the answer is used, with this PC's roster copy of the member. ${IT_UNREADABLE}`;
  if (op === 'lookup') return `${what} the gym's system sent could not be read and ${n === 1 ? 'is' : 'are'} left out of a desk search; the other members are used. ${IT_UNREADABLE}`;
  // The copy keeps what it had of them (roster-cache.ts): only a member it never had is unknown offline.
  const them = n === 1 ? 'that member' : 'those members';
  return `${what} the gym's system sent could not be read; the copy of the roster on this PC keeps the record it already had of ${them}, and a check-in while the backend is unreachable does not know one it never had. The other members are used. ${IT_UNREADABLE}`;
}

export interface ManagerOptions {
  token: string;
  /** With no token: why the saved token file, which is there, could not be used; forgotten once a token is set. */
  tokenUnreadable?: string | null;
  store: PoolStore;
  /** Used when the store has no pools yet. */
  defaults: PoolConfig[];
  clock?: Clock;
  random?: () => number;
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  requestTimeoutMs?: number;
  /** Tests inject sockets; otherwise each pool's own (CA-aware) factory. */
  socketFactory?: SocketFactory;
}

type ManagerEvents = { change: []; activity: [PoolActivity] };

/** All named pools, their persistence, and the one event feed drawn from their sockets. */
export class PoolManager extends EventEmitter<ManagerEvents> {
  readonly feed: EventFeed;
  private readonly pools = new Map<string, ConnectionPool>();
  private readonly clock: Clock;
  private currentToken: string;
  private tokenUnreadable: string | null;
  private triedNowAt = -Infinity;
  private readonly records = new LeftOutRecords();
  /** Answers read but not used (answerWrong): protocol errors too, though no socket's frame was malformed. */
  private wrongAnswers = 0;
  /** Pools pools.json holds past POOL_LIMITS, not running: until a change saves only the running ones. */
  private leftOutPools: PoolsLeftOut | null = null;

  constructor(private readonly opts: ManagerOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.currentToken = opts.token;
    this.tokenUnreadable = opts.token ? null : (opts.tokenUnreadable ?? null);
    this.feed = new EventFeed(() => this.feedSockets(), this.clock, undefined, () => this.gymAddresses());
    this.feed.on('failover', (m) => this.activity({ type: m.to === null ? 'feed-stranded' : 'failover', pool: '', endpoint: m.from, detail: failoverDetail(m) }));
    this.feed.on('continuityLost', (why, away) => this.activity({ type: CONTINUITY_LOST[why], pool: '', endpoint: '', detail: away ? RESTARTED_WHILE_AWAY : CONTINUITY_WORDS[why] }));
    this.feed.on('unreadable', (u) => this.activity({ type: 'event-unreadable', pool: '', endpoint: '', detail: unreadableWords(u), raw: `event${u.seqs.length === 1 ? '' : 's'} ${u.seqs.join(', ') || '(no seq)'}: ${u.problem}` }));
    this.feed.on('unstable', (s) => this.activity({ type: 'feed-unstable', pool: '', endpoint: s.endpoint, detail: standDownWords(s), raw: `${s.how}; not subscribed for ${s.waitMs} ms` }));
    this.feed.on('change', () => this.emit('change'));
  }

  start(): void {
    this.feed.start();
    const { pools, warning, leftOut } = this.opts.store.load();
    this.leftOutPools = leftOut ?? null;
    // Saved pools start whatever became of their CA files: one that cannot be read fails that pool's sockets, with the reason, not the console.
    for (const config of pools ?? this.opts.defaults) this.add(config, this.opts.socketFactory ?? savedSocketFactoryFor(config.caFile));
    if (warning) this.activity({ type: 'pool-configured', pool: '', endpoint: '', detail: warning });
  }

  stop(): void {
    this.feed.stop();
    for (const p of this.pools.values()) p.stop();
    this.pools.clear();
  }

  list(): PoolView[] {
    return [...this.pools.values()].map((p) => p.view());
  }

  create(config: PoolConfig): PoolView {
    if (this.pools.has(config.name)) throw new UserError('pool-exists', `A pool named "${config.name}" already exists; pick another name.`);
    // Staff read "Gym" and "gym" as one pool: two told apart only by capitals would be mixed up on every screen.
    const alike = [...this.pools.keys()].find((n) => n.normalize('NFC').toLowerCase() === config.name.normalize('NFC').toLowerCase());
    if (alike !== undefined) {
      const how = alike.toLowerCase() === config.name.toLowerCase() ? 'in capital letters' : 'in how its accents are stored (it looks the same)';
      throw new UserError('pool-exists', `A pool named "${alike}" already exists, and "${config.name}" differs from it only ${how}; pick another name.`);
    }
    this.newAddressesHavePorts(config.endpoints, []);
    this.withinLimits(config, true);
    const factory = this.factoryFor(config);
    this.persist([...this.configs(), config]);
    const pool = this.add(config, factory);
    this.feed.reconsider();
    this.activity({ type: 'pool-created', pool: config.name, endpoint: '', detail: `${plural(config.endpoints.length, 'address', 'addresses')}, ${STRATEGY_WORDS[config.strategy].toLowerCase()}` });
    return pool.view();
  }

  /** Validates the whole resulting config before touching anything: a bad change applies nothing. */
  configure(name: string, patch: PoolPatch): PoolView {
    const pool = this.get(name);
    const next: Partial<PoolConfig> = { ...pool.config, ...patch };
    if (patch.caFile === '') delete next.caFile;
    const parsed = parseInWords(PoolConfigSchema, next);
    if (!parsed.success) throw new UserError('invalid-pool', joinProblems(parsed.problems), { field: parsed.problems[0]?.field, problems: parsed.problems, detail: parsed.detail });
    this.newAddressesHavePorts(parsed.data.endpoints, pool.config.endpoints);
    this.withinLimits(parsed.data, false);
    const factory = this.factoryFor(parsed.data);
    this.persist(this.configs().map((c) => (c.name === name ? parsed.data : c)));
    pool.configure(parsed.data, factory, patch.caFile !== undefined);
    if (patch.endpoints) this.feed.reconsider();
    this.activity({ type: 'pool-configured', pool: name, endpoint: '', detail: `changed: ${Object.keys(patch).map((k) => labelAt(PoolConfigSchema, k)).join(', ')}` });
    return pool.view();
  }

  /** An address typed without its port would quietly mean port 80; one saved before this rule stays as it is. */
  private newAddressesHavePorts(endpoints: string[], before: string[]): void {
    const problem = endpoints.filter((e) => !before.includes(e)).map(missingPortProblem).find((p) => p !== null);
    if (problem) throw new UserError('invalid-pool', problem, { field: 'endpoints', problems: [{ field: 'endpoints', message: problem }] });
  }

  /** Every change made while running (screens, the backend connection form) stays within POOL_LIMITS. */
  private withinLimits(next: PoolConfig, isNew: boolean): void {
    const others = [...this.pools.values()].map((p) => p.config).filter((c) => c.name !== next.name);
    const problem = poolLimitProblem(others, next, isNew);
    if (problem) throw new UserError('pool-limit', problem, { field: isNew && others.length >= POOL_LIMITS.pools ? undefined : 'maxConnections' });
  }

  destroy(name: string): void {
    const pool = this.get(name);
    if (this.pools.size === 1) throw new UserError('last-pool', 'The console needs at least one pool; create another before destroying this one.');
    this.persist(this.configs().filter((c) => c.name !== name));
    this.pools.delete(name);
    pool.stop();
    this.feed.reconsider();
    this.activity({ type: 'pool-destroyed', pool: name, endpoint: '', detail: '' });
  }

  /** The pool that carries the outbox: the first one. */
  get main(): ConnectionPool | undefined {
    return this.pools.values().next().value;
  }

  /** Routes through the named pool, or the first one; `check` as for `ConnectionPool.request`. */
  request<O extends Op>(op: O, body: z.input<(typeof RequestBodies)[O]>, poolName?: string, check?: (reply: Replies[O]) => string | null): Promise<Replies[O]> {
    const pool = poolName ? this.get(poolName) : this.pools.values().next().value;
    if (!pool) return Promise.reject(new UserError('offline', 'No pool is configured.'));
    return pool.request(op, body, undefined, check).then((reply) => (this.leftOut(op, reply), reply));
  }

  /** Members a reply held that could not be read: told once each, in one line per reply. Check-in answers come through the outbox's channels (pool-channels.ts), which tell this. */
  leftOut(op: Op, reply: unknown): void {
    const l = (reply as { leftOut?: LeftOutMembers }).leftOut;
    if (!l || (op !== 'lookup' && op !== 'roster' && op !== 'checkin')) return;
    const n = this.records.fresh(l);
    if (n > 0) this.activity({ type: 'record-unreadable', pool: '', endpoint: '', detail: leftOutWords(n, op), raw: `${op} reply: ${n} member record${n === 1 ? '' : 's'} left out: ${l.problem}` });
  }

  /**
   * An answer that was read but cannot be right (a check-in's about another card, an occupancy past the building):
   * the backend's error, not used, counted with its protocol errors and told for IT. `raw` is for the log file.
   */
  answerWrong(detail: string, raw: string): void {
    this.wrongAnswers++;
    this.activity({ type: 'answer-wrong', pool: '', endpoint: '', detail, raw });
    this.emit('change');
  }

  /** The token every pool says in its hello; core-only, never sent to a screen. */
  get token(): string {
    return this.currentToken;
  }

  /** A new backend token: every pool reconnects with it. */
  setToken(token: string): void {
    this.currentToken = token;
    this.tokenUnreadable = null;
    for (const p of this.pools.values()) p.setToken(token);
    this.activity({ type: 'token-changed', pool: '', endpoint: '', detail: 'every pool reconnects with the new backend token' });
  }

  /** A pool's CA file, just saved, tried on one of its wss:// addresses; null when it has none (or none is set). */
  tryCaFile(name: string): Promise<string | null> {
    const { config } = this.get(name);
    if (!config.caFile) return Promise.resolve(null);
    return tryCaFile(config.endpoints, { token: this.currentToken, clock: this.clock, socketFactory: this.factoryFor(config) });
  }

  /** For "Test connection": the main pool's socket factory, so its CA file covers wss:// addresses. */
  testFactory(): SocketFactory {
    const main = this.main;
    return this.opts.socketFactory ?? socketFactoryFor(main?.config.caFile);
  }

  /** Probes every socket now: after a wake from sleep or a network change. */
  probe(): void {
    for (const p of this.pools.values()) p.probe();
  }

  /**
   * Staff pressed "Try now": every address of every pool that waits for its next try tries at once.
   * At most once per TRY_NOW_EVERY_MS, so a key held down (or a script) cannot hammer the backend.
   */
  tryNow(): { tried: number } {
    const now = this.clock.mono();
    const left = this.triedNowAt + TRY_NOW_EVERY_MS - now;
    if (left > 0) throw new UserError('too-soon', `The console tried a moment ago; it can try again in ${Math.ceil(left / 1000)} s.`);
    this.triedNowAt = now;
    const tried = [...this.pools.values()].flatMap((p) => p.tryNow());
    this.activity({ type: 'probe', pool: '', endpoint: '', detail: tried.length ? `staff asked to try now: ${plural(new Set(tried).size, 'address', 'addresses')} tried at once` : 'staff asked to try now: no address was waiting' });
    return { tried: new Set(tried).size };
  }

  /** Recovery: an early trial where a breaker is open (when another instance shows the network works). */
  probeOpenBreakers(minLeftMs = 5_000): { pool: string; url: string }[] {
    return [...this.pools.values()].flatMap((p) => p.probeOpenBreakers(minLeftMs).map((url) => ({ pool: p.name, url })));
  }

  /** Recovery: closes sockets that are open but have said nothing for `silentMs`; their pool replaces them. */
  recycleSilent(silentMs: (pool: string) => number): { pool: string; url: string; id: string }[] {
    const out: { pool: string; url: string; id: string }[] = [];
    for (const p of this.pools.values()) {
      for (const s of p.sockets()) {
        if (s.conn.state !== 'open' || s.conn.silentForMs < silentMs(p.name)) continue;
        s.conn.close('recycled: open but silent', 'Reopened: it was connected but had gone silent.');
        out.push({ pool: p.name, url: s.endpoint, id: s.id });
      }
    }
    return out;
  }

  /** The gym's backend: the addresses of the pool check-ins go to. Another pool's (a test server's) are not it (review26 V18). */
  gymAddresses(): string[] {
    return this.main?.config.endpoints ?? [];
  }

  /**
   * Per instance of the gym's backend: does it serve the gym now, answering and able to record (its shared
   * storage up), on any pool's socket? An instance that answers while its Redis is down refuses every check-in,
   * so it is not up.
   */
  serving(): Map<string, boolean> {
    const out = new Map<string, boolean>(this.gymAddresses().map((url) => [url, false]));
    const socks = this.allSockets().filter((s) => s.open && out.has(s.endpoint));
    for (const s of socks) out.set(s.endpoint, true);
    // One socket told is enough: the others on that instance hear it at their next beat.
    for (const s of socks) if (s.conn.storageDown) out.set(s.endpoint, false);
    return out;
  }

  /** The Overview's summary: every endpoint across pools, and whether the gym is reachable. */
  connectionView(): ConnectionView {
    const protocolErrors = [...this.pools.values()].reduce((n, p) => n + p.protocolErrors, this.wrongAnswers);
    const socks = this.allSockets();
    const byUrl = new Map<string, ConnectionView['endpoints'][number]>();
    for (const s of socks) {
      const cur = byUrl.get(s.endpoint);
      const rank = { open: 2, connecting: 1, closed: 0 } as const;
      const better = !cur || rank[s.conn.state] > rank[cur.state];
      byUrl.set(s.endpoint, {
        url: s.endpoint,
        state: better ? s.conn.state : cur!.state,
        rttMs: better ? s.conn.rttMs : cur!.rttMs,
        primary: (cur?.primary ?? false) || s.subscribed,
        nextTryInMs: null,
      });
    }
    for (const p of this.pools.values()) for (const url of p.config.endpoints) if (!byUrl.has(url)) byUrl.set(url, { url, state: 'closed', rttMs: null, primary: false, nextTryInMs: null });
    // The latest certificate its open sockets were shown: one renewed since an older socket opened is what counts.
    for (const s of socks) {
      const v = byUrl.get(s.endpoint)!;
      const span = s.open ? s.conn.certSpan : null;
      if (span && span.to > (v.certExpiresAt ?? -Infinity)) {
        v.certExpiresAt = span.to;
        v.certLifeMs = span.to - span.from;
      }
    }
    const open = socks.filter((s) => s.open).length;
    const views = this.list();
    // Every stuck program, each named by its address (and instance behind a load balancer): IT restarts those only.
    const whole: FailureCause[] = [];
    const partly: FailureCause[] = [];
    const told = new Set<string>();
    // An address down in every pool waits for the soonest of their next tries: staff read when the console tries again.
    for (const e of views.flatMap((p) => p.endpoints)) {
      const v = byUrl.get(e.url);
      if (v && v.state !== 'open' && e.nextRetryInMs !== null) v.nextTryInMs = Math.min(v.nextTryInMs ?? Infinity, e.nextRetryInMs);
      const fix = e.cause && NEEDS_FIX_WORDS[e.cause.kind];
      if (v && v.state !== 'open' && fix) v.needsFix = fix;
      if (!v || v.state !== 'open' || !e.stuck || told.has(e.url)) continue;
      told.add(e.url);
      if (e.stuckInstances) {
        v.someStuck = true;
        partly.push(causeOfSomeStuck(e.stuck, e.url, e.stuckInstances));
      } else {
        v.stuck = true;
        whole.push(byUrl.size > 1 ? causeOfStuckAt(e.stuck, e.url) : e.stuck);
      }
    }
    const stuckOnes = [...whole, ...partly];
    const stuck: FailureCause | null = stuckOnes.length
      ? { ...stuckOnes[0]!, text: stuckOnes.map((c) => c.text).join(' '), next: [...new Set(stuckOnes.map((c) => c.next))].join(' ') }
      : null;
    // Instances that answer but cannot record: reachable, yet not all is well, and staff should hear why.
    const storage = socks.find((s) => s.open && s.conn.storageDown)?.conn.storageDown;
    const healthy = !storage && !stuck && views.every((p) => p.healthRatio >= 1);
    // The main pool carries the outbox: when it alone is down, check-ins wait, and staff should hear why.
    const mainDown = views[0] && views[0].sockets.every((s) => s.state !== 'open') ? summaryCauseAt(views[0].endpoints) : null;
    return {
      state: open === 0 ? 'offline' : healthy ? 'connected' : 'degraded',
      endpoints: [...byUrl.values()],
      lastSeq: this.feed.applied,
      protocolErrors,
      eventsMissed: this.feed.continuityLost - this.feed.renumberings,
      ...(this.feed.unreadable > 0 && { eventsUnreadable: this.feed.unreadable }),
      ...(this.records.count > 0 && { recordsUnreadable: this.records.count }),
      ...(this.leftOutPools && { poolsLeftOut: this.leftOutPools }),
      restartedAt: this.feed.restartedAt,
      ...(this.feed.restartedAt !== null && this.feed.restartedWhileAway && { restartedWhileAway: true }),
      cause: open === 0 ? summaryCauseAt(views.flatMap((p) => p.endpoints)) : storage ? cause('storage-unavailable', storage) : (mainDown ?? stuck),
    };
  }

  /** Whether an address of a pool has a socket open now (AddressStories asks, as each socket fails). */
  addressUp(pool: string, url: string): boolean {
    return this.pools.get(pool)?.sockets().some((s) => s.endpoint === url && s.open) ?? false;
  }

  /** Why an address of a pool last failed; null once it connects. */
  addressCause(pool: string, url: string): FailureCause | null {
    return this.pools.get(pool)?.view().endpoints.find((e) => e.url === url)?.cause ?? null;
  }

  private get(name: string): ConnectionPool {
    const pool = this.pools.get(name);
    if (!pool) throw new UserError('no-such-pool', `There is no pool named "${name}".`);
    return pool;
  }

  private allSockets() {
    return [...this.pools.values()].flatMap((p) => p.sockets());
  }

  /**
   * Where the live feed may be drawn from: the backend check-ins go to (the main pool's addresses), on any pool's
   * sockets to them. A pool to another backend with the same token (a test server) took the feed over while the
   * gym's hung, and kept it: its occupancy and check-ins on Overview and in analytics (probe26b B10).
   */
  private feedSockets() {
    const main = this.main;
    if (!main) return [];
    const gym = new Set(this.gymAddresses());
    return [...this.pools.values()].flatMap((p) => (p === main ? p.sockets() : p.sockets().filter((s) => gym.has(s.endpoint))));
  }

  /** Reads the CA file now: a manager saving a path that cannot be read is told at once, and nothing changes. */
  private factoryFor(config: PoolConfig): SocketFactory {
    return this.opts.socketFactory ?? socketFactoryFor(config.caFile);
  }

  private deps(factory: SocketFactory): PoolDeps {
    const { random, reconnectBaseMs, reconnectCapMs, requestTimeoutMs } = this.opts;
    return { token: this.currentToken, tokenUnreadable: this.tokenUnreadable, clock: this.clock, socketFactory: factory, random, reconnectBaseMs, reconnectCapMs, requestTimeoutMs };
  }

  private add(config: PoolConfig, factory: SocketFactory): ConnectionPool {
    const pool = new ConnectionPool(config, this.deps(factory));
    pool.on('open', (s) => this.feed.attach(s));
    pool.on('closed', (s) => this.feed.detach(s));
    pool.on('change', () => this.emit('change'));
    // Every socket's move, even one the event log tells only once for the pool (a slow spell), may move the stream.
    pool.on('rotation', () => this.feed.ensure());
    pool.on('activity', (a) => this.activity(a));
    this.pools.set(config.name, pool);
    pool.start();
    return pool;
  }

  private configs(): PoolConfig[] {
    return [...this.pools.values()].map((p) => p.config);
  }

  /** Saved before anything runs differently: a change that cannot be kept is refused whole, not undone by the next restart. */
  private persist(next: PoolConfig[]): void {
    try {
      this.opts.store.save(next);
      // pools.json now holds only the running pools: none is left out any more.
      this.leftOutPools = null;
    } catch (e) {
      throw new UserError('pools-not-saved', `${(e as Error).message}. Nothing was changed.`, { detail: String((e as Error).cause ?? e) });
    }
  }

  private activity(a: PoolActivity): void {
    this.emit('activity', a);
  }
}

/** Where live events come from now, in staff's words: another socket on the same instance is not another instance. */
export const failoverDetail = (m: FeedMove): string =>
  m.to === null
    ? 'no connection left to carry them; reconnecting'
    : m.sameInstance
      ? 'now via another connection to the same instance'
      : `now via ${m.to}${m.toInstance && m.to === m.from ? ` (instance "${m.toInstance}")` : ''}`;
