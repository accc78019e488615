import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Op, Replies, RequestBodies } from '../../../shared/protocol';
import { OUT_BECAUSE, type FailureCause, type PoolConfig, type PoolView } from '../../../shared/pools';
import type { Clock } from '../clock';
import { fullJitter } from './backoff';
import { CircuitBreaker } from './breaker';
import type { ProtocolFault, SocketFactory } from './connection';
import type { ProgramLink } from './heartbeat';
import { PooledSocket } from './socket';
import { createPicker, GOLDEN, untriedInstancesFirst, type Picker } from './strategies';
import { RoutedRequest, type RequestRoute } from './routed-request';
import type { PoolActivity } from './activity';
import { cause, faultyMessageWords } from './failure-cause';
import { Programs } from './programs';
import { replyTime } from '../../../shared/words';

/** At most this share of the requests in flight may be hedged at once (and never fewer than HEDGE_MIN). */
const HEDGE_BUDGET = 0.1;
const HEDGE_MIN = 2;

export interface PoolDeps {
  token: string;
  /** With no token: why the saved token file could not be used (see ConnectionOptions). */
  tokenUnreadable?: string | null;
  clock: Clock;
  socketFactory: SocketFactory;
  random?: () => number;
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  requestTimeoutMs?: number;
}

interface Endpoint {
  url: string;
  breaker: CircuitBreaker;
  sockets: Set<PooledSocket>;
  attempt: number;
  timer: unknown;
  retryAt: number | null;
  disconnects: number[];
  /** Set once the endpoint has lost a socket; later opens are reconnects. */
  hadOutage: boolean;
  draining: boolean;
  /** Protocol errors in the current quarantine window, and the first of them. */
  faults: { since: number; count: number; first: ProtocolFault | null };
  /** When it was last quarantined; repeats within QUARANTINE_MEMORY_MS wait longer each time. */
  quarantines: number[];
  /** Why the last connect failed or socket was lost; cleared when one opens (a stuck program's, once it answers). */
  cause: FailureCause | null;
  /** Each backend program behind the address (one per instance its welcomes name): when it answered, whether it is stuck. */
  programs: Programs;
  /** Heartbeat reply gaps its sockets have seen, passed from each to the next so a new one starts adapted. */
  gaps: number[];
  /**
   * Tries of the address so far, and the last one that failed. Sockets opened together are one try:
   * the breaker counts tries of the address, as its setting says, not sockets (two sockets made
   * "5 failed tries" pause it after 3, and read "after 9 failures" on a later pause).
   */
  tries: number;
  failedTry: number;
  /** Sockets in a row that closed soon after opening, or that the console cut for what they said: reconnects back off by it. */
  flaps: number;
}

/** `rotation`: a socket went out of rotation or back in; the event stream may move (told apart from the log's words, which can be fewer). */
type PoolEvents = { change: []; open: [PooledSocket]; closed: [PooledSocket]; activity: [PoolActivity]; rotation: [PooledSocket] };

const DISCONNECT_MEMORY_MS = 60_000;
/** Sockets of one endpoint closing within this window are one outage, not several. */
const OUTAGE_WINDOW_MS = 1_000;
const DRAIN_LIMIT_MS = 5_000;
/** A socket that closes sooner than this after opening failed, as far as backoff goes: reconnecting at once looped 700 times a second. */
const SHORT_LIFE_MS = 5_000;
/** Once flaps reach the breaker's threshold, the address is paused this long, doubling per flap up to the cap. */
const FLAP_PAUSE_MS = 2_000;
const FLAP_PAUSE_CAP_MS = 60_000;
/** A backend that breaks the protocol this often is cut off: a bug or an attack, not bad luck. */
/** One address back after failing: the pool's others waiting longer than this try within it (jittered, so consoles spread out)… */
const HURRY_WITHIN_MS = 1_000;
/** …at most this often, so an address that flaps cannot keep the others trying. */
const HURRY_EVERY_MS = 10_000;
const QUARANTINE_ERRORS = 10;
const QUARANTINE_WINDOW_MS = 10_000;
const QUARANTINE_MEMORY_MS = 10 * 60_000;
const QUARANTINE_BASE_MS = 5_000;
const QUARANTINE_CAP_MS = 5 * 60_000;

/** A named pool: sockets spread over its endpoints, health-scored, routed by its strategy. */
export class ConnectionPool extends EventEmitter<PoolEvents> {
  private readonly endpoints = new Map<string, Endpoint>();
  private picker: Picker<PooledSocket>;
  /** Sockets not yet open (kept apart so `comingBack` needs no walk of the pool). */
  private readonly connecting = new Set<PooledSocket>();
  private stopped = false;
  private list: PooledSocket[] | null = null;
  private routableList: PooledSocket[] | null = null;
  /** A slow spell was told in the event log: told once for the pool, then once when it is over. */
  private slowSaid = false;
  /** Requests in flight, and how many of them have been hedged: hedges are kept to a budget of the first. */
  private readonly route: RequestRoute;
  /** Sockets opened so far: where the next one's heartbeat falls in the interval. */
  private opened = 0;
  private requesting = 0;
  private hedging = 0;

  protocolErrors = 0;

  /** When an address coming back last hurried the others (monotonic ms). */
  private hurriedAt = -Infinity;

  constructor(
    public config: PoolConfig,
    private deps: PoolDeps,
  ) {
    super();
    this.picker = createPicker(config.strategy);
    // What each routed request asks of this pool.
    this.route = {
      clock: deps.clock,
      requestTimeoutMs: deps.requestTimeoutMs,
      pick: (exclude) => this.pick(exclude),
      hedgeMs: (sock) => this.hedgeMs(sock),
      takeHedge: () => {
        if (this.hedging >= Math.max(HEDGE_MIN, this.requesting * HEDGE_BUDGET)) return false;
        this.hedging++;
        return true;
      },
      finished: (hedges) => {
        this.requesting--;
        this.hedging -= hedges;
      },
      outcome: (sock, ok) => this.outcome(sock, ok),
      changed: () => this.emit('change'),
    };
  }

  get name(): string {
    return this.config.name;
  }

  start(): void {
    for (const url of this.config.endpoints) this.addEndpoint(url);
  }

  /** Every socket; one shared array, rebuilt only when a socket comes or goes (asked per request). Do not mutate. */
  sockets(): PooledSocket[] {
    return (this.list ??= [...this.endpoints.values()].flatMap((e) => [...e.sockets]));
  }

  /** The sockets in rotation, kept until one opens, closes, drains or changes rotation: a pool may hold 1,000. */
  private routable(): PooledSocket[] {
    return (this.routableList ??= this.sockets().filter((s) => s.routable));
  }

  private invalidate(): void {
    this.list = null;
    this.routableList = null;
  }

  /** Applies a validated config while traffic flows: nothing is torn down that does not have to be. */
  /** `caFileSaved`: the CA file was just read again (saved from a screen), even under the same path: a renewed CA, a file put back. */
  configure(next: PoolConfig, socketFactory: SocketFactory = this.deps.socketFactory, caFileSaved = false): void {
    const prev = this.config;
    this.config = next;
    this.deps = { ...this.deps, socketFactory }; // new sockets use it; open ones keep theirs
    if (next.strategy !== prev.strategy) this.picker = createPicker(next.strategy);
    for (const ep of this.endpoints.values()) ep.breaker.threshold = next.reconnectAttempts;
    if (next.healthCheckInterval !== prev.healthCheckInterval) {
      for (const s of this.sockets()) s.conn.setHeartbeat(next.healthCheckInterval);
      for (const ep of this.endpoints.values()) ep.gaps = []; // learned at the old interval
    }
    // A new CA file may be the fix for what failed: try at once, not after the breaker's cooldown.
    if (caFileSaved || next.caFile !== prev.caFile) for (const ep of this.endpoints.values()) this.forgetFailures(ep);
    for (const url of prev.endpoints) if (!next.endpoints.includes(url)) this.removeEndpoint(url);
    for (const url of next.endpoints) if (!this.endpoints.has(url)) this.addEndpoint(url);
    for (const ep of this.endpoints.values()) this.reconcile(ep);
    this.emit('change');
  }

  /** A new backend token: every socket is replaced by one that says it, now, whatever the breakers said. */
  setToken(token: string): void {
    this.deps = { ...this.deps, token, tokenUnreadable: null };
    for (const ep of this.endpoints.values()) {
      this.forgetFailures(ep);
      for (const s of ep.sockets) this.drain(s);
      this.reconcile(ep);
    }
    this.emit('change');
  }

  /** What changed may be the fix: the endpoint's failures no longer hold it back. */
  private forgetFailures(ep: Endpoint): void {
    ep.breaker.success();
    ep.attempt = 0;
    ep.cause = null;
  }

  stop(): void {
    this.stopped = true;
    for (const ep of this.endpoints.values()) {
      this.deps.clock.clearTimeout(ep.timer);
      for (const s of ep.sockets) s.conn.close('pool stopped', 'The console stopped this pool (it was changed, removed or the console is closing).');
    }
    this.endpoints.clear();
    this.invalidate();
  }

  probe(): void {
    for (const s of this.sockets()) s.conn.probe();
  }

  /** Recovery: one early trial for each endpoint whose breaker is open; returns their addresses. */
  probeOpenBreakers(minLeftMs: number): string[] {
    const now = this.deps.clock.mono();
    const due = [...this.endpoints.values()].filter((ep) => ep.breaker.state === 'open' && ep.retryAt !== null && ep.retryAt - now > minLeftMs);
    for (const ep of due) if (ep.breaker.probeEarly()) this.reconcile(ep);
    return due.map((ep) => ep.url);
  }

  /** Staff asked ("Try now"): every address waiting for its next try tries at once, a paused one too; returns their addresses. */
  tryNow(): string[] {
    const waiting = [...this.endpoints.values()].filter((ep) => ep.retryAt !== null && !ep.draining);
    for (const ep of waiting) {
      ep.breaker.probeEarly();
      this.reconcile(ep);
    }
    return waiting.map((ep) => ep.url);
  }

  /**
   * One address came back after failing: the backend is likely back, and the others (down for the same
   * reason) waited out up to 30 s of back-off while staff saw "Offline". They try within a second instead.
   */
  private hurryPeers(back: Endpoint): void {
    const { clock } = this.deps;
    const now = clock.mono();
    if (now - this.hurriedAt < HURRY_EVERY_MS) return;
    this.hurriedAt = now;
    for (const ep of this.endpoints.values()) {
      if (ep === back || ep.draining || ep.retryAt === null || ep.retryAt - now <= HURRY_WITHIN_MS) continue;
      const ms = (this.deps.random ?? Math.random)() * HURRY_WITHIN_MS;
      clock.clearTimeout(ep.timer);
      ep.retryAt = now + ms;
      ep.timer = clock.setTimeout(() => {
        ep.breaker.probeEarly();
        this.reconcile(ep);
      }, ms);
    }
  }

  /**
   * Routes a request by the pool's strategy. If the chosen socket has not acknowledged it in time,
   * the same request (same idempotency key) also goes to another socket; the first reply wins.
   * `check` finds what is wrong with a well-formed reply given what was asked: a protocol error of
   * the socket that sent it, and the request goes elsewhere.
   */
  request<O extends Op>(op: O, body: z.input<(typeof RequestBodies)[O]>, id: string = randomUUID(), check?: (reply: Replies[O]) => string | null): Promise<Replies[O]> {
    this.requesting++;
    const checkBody = check as ((b: unknown) => string | null) | undefined;
    return new Promise<Replies[O]>((resolve, reject) => new RoutedRequest(this.route, op, body, id, resolve as (v: unknown) => void, reject, checkBody).attempt());
  }


  view(): PoolView {
    const socks = this.sockets();
    const now = this.deps.clock.mono();
    return {
      config: this.config,
      healthRatio: socks.filter((s) => s.routable).length / this.config.maxConnections,
      sockets: socks.map((s) => s.view()),
      endpoints: [...this.endpoints.values()].map((e) => ({
        url: e.url,
        breaker: e.breaker.state,
        failures: e.breaker.failures,
        nextRetryInMs: e.retryAt === null ? null : Math.max(0, Math.round(e.retryAt - now)),
        cause: e.cause,
        ...this.stuckView(e),
      })),
    };
  }

  /** A socket answering slowly gets a little longer before its request is hedged. */
  private hedgeMs(sock: PooledSocket): number {
    return Math.min(1_000, Math.max(150, 4 * (sock.health.latencyMs ?? 0)));
  }

  /** The strategy's choice among routable sockets that pass `accept`. */
  /** Whether any socket is in rotation (from the cached list: cheap on every send). */
  get anyInRotation(): boolean {
    return this.routable().length > 0;
  }

  pickWhere(accept: (s: PooledSocket) => boolean): PooledSocket | undefined {
    return this.choose(this.routable().filter(accept));
  }

  private pick(exclude: ReadonlySet<PooledSocket>): PooledSocket | undefined {
    const routable = exclude.size ? untriedInstancesFirst(this.routable(), exclude) : this.routable();
    // Out of rotation is still better than nothing when it is all there is.
    const open = (s: PooledSocket): boolean => !exclude.has(s) && s.open && !s.draining;
    // A program known stuck answers nothing: one merely not heard from yet (beside it) may (review20b H1).
    return this.choose(routable) ?? this.sockets().find((s) => open(s) && !s.knownStuck()) ?? this.sockets().find(open);
  }

  /**
   * The strategy's choice, but not a socket behind on a burst while another is not: its answer would wait behind
   * frames the console has yet to read. Looked for only when the choice is one, so a large pool's pick stays a pick.
   */
  private choose(candidates: readonly PooledSocket[]): PooledSocket | undefined {
    const sock = this.picker.pick(candidates);
    if (!sock?.behind) return sock;
    const clear = candidates.filter((s) => !s.behind);
    return clear.length ? this.picker.pick(clear) : sock;
  }

  /**
   * A program behind `ep` answered (a frame after a welcome, on any socket to its instance): a stuck spell ends, told
   * once, and its sockets are used again.
   */
  private programAnswered(ep: Endpoint, sock: PooledSocket, at: number): void {
    const wasPresumed = !sock.programHeard && ep.programs.anyStuck;
    sock.programHeard = true;
    const ended = ep.programs.answered(sock.programKey, at);
    if (!ended) {
      // A new socket beside a stuck program, its own program answering: into rotation.
      if (wasPresumed) {
        this.routableList = null;
        this.emit('change');
      }
      return;
    }
    if (ep.cause?.kind === 'app-silent' && !ep.programs.anyStuck) ep.cause = null;
    this.routableList = null;
    const which = sock.programKey ? ` (instance "${sock.programKey}")` : '';
    this.activity('rotation-in', ep.url, `the backend program${which} answers again: its sockets are used as usual`);
    this.emit('change');
  }

  /**
   * A socket is on its way (connecting, or its address retries within a second): a sibling coming back from a blip,
   * worth waiting for rather than sending to a program known stuck (probe-hostile20 H4).
   */
  get comingBack(): boolean {
    if (this.connecting.size > 0) return true;
    const soon = this.deps.clock.mono() + 1_000;
    for (const ep of this.endpoints.values()) if (ep.retryAt !== null && ep.retryAt <= soon) return true;
    return false;
  }

  /** Out of use for its program: found stuck, or beside a stuck one and not yet heard from itself (review20 M1). */
  private stuckSocket(ep: Endpoint, sock: PooledSocket): boolean {
    return ep.programs.anyStuck && (ep.programs.isStuck(sock.programKey) || !sock.programHeard);
  }

  /**
   * The address's stuck programs, for its view: `stuck`, why; with `stuckInstances` when other programs at the address
   * answer (behind a load balancer: they take the check-ins), without when none does (the address does not answer).
   * Nothing while no open socket reaches one (they are reconnecting, or drain for a new token).
   */
  private stuckView(ep: Endpoint): { stuck?: FailureCause; stuckInstances?: string[] } {
    const first = ep.programs.firstStuck;
    if (!first) return {};
    // Only programs found stuck are named: one merely not heard from yet is a healthy sibling a beat from joining, or
    // (every socket so) a backend that renames itself on every connection (review20b M1).
    const stuck = new Set<string>();
    let answering = false;
    let presumed = false;
    for (const s of ep.sockets) {
      if (!s.open || s.draining) continue;
      if (ep.programs.isStuck(s.programKey)) stuck.add(s.programKey);
      else if (this.stuckSocket(ep, s)) presumed = true;
      else answering = true;
    }
    if (answering) return stuck.size ? { stuck: first, stuckInstances: [...stuck] } : {};
    return stuck.size || presumed ? { stuck: first } : {};
  }

  private outcome(sock: PooledSocket, ok: boolean): void {
    if (sock.health.outcome(ok)) this.rotationChanged(sock);
  }

  private rotationChanged(sock: PooledSocket): void {
    this.routableList = null;
    this.emit('rotation', sock);
    // A slow backend slows every socket at once: the log says so once for the pool, and once when it is over,
    // not a line per socket (walkthrough 14b: six lines a spell).
    const slowOthers = this.sockets().some((s) => s !== sock && s.open && !s.health.inRotation && s.health.outBecause === 'slow');
    if (!sock.health.inRotation && sock.health.outBecause === 'slow') {
      if (this.slowSaid && slowOthers) return;
      this.slowSaid = true;
      this.activity('rotation-out', '', slowPoolWords(sock.health.latencyMs));
      return;
    }
    if (sock.health.inRotation && this.slowSaid) {
      if (slowOthers) return;
      this.slowSaid = false;
      this.activity('rotation-in', '', 'the backend answers at normal speed again: every socket is used as usual');
      return;
    }
    this.activity(sock.health.inRotation ? 'rotation-in' : 'rotation-out', sock.endpoint, rotationWords(sock));
  }

  private activity(type: PoolActivity['type'], endpoint: string, detail = '', raw?: string, onPurpose = false): void {
    const a: PoolActivity = raw === undefined || raw === detail ? { type, pool: this.name, endpoint, detail } : { type, pool: this.name, endpoint, detail, raw };
    this.emit('activity', onPurpose ? { ...a, onPurpose: true } : a);
  }

  /** Sockets per endpoint: maxConnections spread evenly, earlier endpoints taking the remainder. */
  private share(url: string): number {
    const eps = this.config.endpoints;
    const i = eps.indexOf(url);
    if (i < 0) return 0;
    return Math.floor(this.config.maxConnections / eps.length) + (i < this.config.maxConnections % eps.length ? 1 : 0);
  }

  private addEndpoint(url: string): void {
    const { clock } = this.deps;
    this.endpoints.set(url, {
      url,
      breaker: new CircuitBreaker(this.config.reconnectAttempts, () => clock.mono()),
      sockets: new Set(),
      attempt: 0,
      timer: null,
      retryAt: null,
      disconnects: [],
      hadOutage: false,
      draining: false,
      faults: { since: 0, count: 0, first: null },
      quarantines: [],
      cause: null,
      programs: new Programs(),
      gaps: [],
      tries: 0,
      failedTry: 0,
      flaps: 0,
    });
    this.invalidate();
    this.reconcile(this.endpoints.get(url)!);
  }

  private removeEndpoint(url: string): void {
    const ep = this.endpoints.get(url);
    if (!ep) return;
    ep.draining = true;
    this.deps.clock.clearTimeout(ep.timer);
    for (const s of ep.sockets) this.drain(s);
    this.endpoints.delete(url);
    this.invalidate();
  }

  /** Takes a socket out of routing, then closes it once its requests are answered (or after a limit). */
  private drain(sock: PooledSocket): void {
    sock.draining = true;
    this.routableList = null;
    const started = this.deps.clock.mono();
    const check = (): void => {
      if (sock.inFlight === 0 || this.deps.clock.mono() - started > DRAIN_LIMIT_MS) sock.conn.close('drained', 'Taken out of use after its last request finished.');
      else this.deps.clock.setTimeout(check, 50);
    };
    check();
  }

  /** Brings an endpoint to its share of sockets, as the breaker allows. */
  private reconcile(ep: Endpoint): void {
    if (this.stopped || ep.draining) return;
    this.deps.clock.clearTimeout(ep.timer);
    ep.timer = null;
    ep.retryAt = null;
    const want = this.share(ep.url);
    // Counted, not listed: every socket's opening calls this, and a list sorted by score each time
    // made opening 500 sockets quadratic.
    let live = 0;
    for (const s of ep.sockets) if (!s.draining) live++;
    if (live > want) {
      // Fewer wanted (maxConnections lowered): retire the least useful first.
      const ranked = [...ep.sockets].filter((s) => !s.draining).sort((a, b) => Number(a.subscribed) - Number(b.subscribed) || a.score - b.score);
      for (const s of ranked.slice(0, live - want)) this.drain(s);
      return;
    }
    let missing = want - live;
    if (missing <= 0) return;
    const before = ep.breaker.state;
    const wait = ep.breaker.waitMs();
    if (ep.breaker.state !== before) this.activity('breaker-half-open', ep.url);
    if (wait > 0) return this.retryIn(ep, wait);
    if (ep.breaker.state === 'half-open') {
      if ([...ep.sockets].some((s) => s.conn.state === 'connecting')) return; // one trial at a time
      missing = 1;
    }
    ep.tries++;
    for (let i = 0; i < missing; i++) this.openSocket(ep);
  }

  /** Counts a bad frame against its endpoint; too many in the window and the endpoint is quarantined. */
  private countFault(ep: Endpoint, fault: ProtocolFault): void {
    const now = this.deps.clock.mono();
    if (ep.faults.first === null || now - ep.faults.since > QUARANTINE_WINDOW_MS) ep.faults = { since: now, count: 0, first: fault };
    if (++ep.faults.count >= QUARANTINE_ERRORS) this.quarantine(ep);
  }

  /** Closes every socket of a misbehaving endpoint and keeps it out for a while, longer each repeat. */
  private quarantine(ep: Endpoint): void {
    const now = this.deps.clock.mono();
    ep.quarantines = ep.quarantines.filter((t) => now - t < QUARANTINE_MEMORY_MS);
    ep.quarantines.push(now);
    const cooldown = Math.min(QUARANTINE_CAP_MS, QUARANTINE_BASE_MS * 2 ** (ep.quarantines.length - 1));
    const { count, first } = ep.faults;
    ep.faults = { since: now, count: 0, first: null };
    ep.breaker.trip(cooldown);
    // The screens say what came, in words; why it could not be read (a schema's wording) is the log's (`raw`).
    const what = first ? ` First: ${faultyMessageWords(first.frameType, first.bytes, first.schema ? undefined : first.reason)}.` : '';
    const secs = Math.round(cooldown / 1000);
    const frames = `${count} messages that break the protocol within ${QUARANTINE_WINDOW_MS / 1000} s`;
    const said = `Sent ${frames}; shut out for ${secs} s.${what}`;
    this.activity('quarantined', ep.url, said, first ? `${said} Why: ${first.reason}` : said);
    // Its sockets are closed by us, so no socket failure says why: without this, staff read that nothing answers.
    ep.cause = cause('breaks-protocol', `${frames}.${what}`);
    for (const s of ep.sockets) s.conn.close(`quarantined after ${count} protocol errors`, 'Set aside: this backend instance sent messages the console cannot accept.');
  }

  /** Opens and closes over and over: paused like an address that fails to connect, longer each flap. */
  private pauseFlapping(ep: Endpoint, reason: string): void {
    const pause = Math.min(FLAP_PAUSE_CAP_MS, FLAP_PAUSE_MS * 2 ** (ep.flaps - ep.breaker.threshold));
    ep.breaker.trip(pause);
    this.activity('breaker-open', ep.url, `after ${ep.flaps} connections in a row that closed soon after opening (${reason}); next try in ${Math.round(pause / 1000)} s`);
  }

  private retryIn(ep: Endpoint, ms: number): void {
    this.deps.clock.clearTimeout(ep.timer);
    ep.retryAt = this.deps.clock.mono() + ms;
    ep.timer = this.deps.clock.setTimeout(() => this.reconcile(ep), ms);
  }

  private recentDisconnects(ep: Endpoint): number {
    const cutoff = this.deps.clock.mono() - DISCONNECT_MEMORY_MS;
    while (ep.disconnects.length && ep.disconnects[0]! < cutoff) ep.disconnects.shift();
    return ep.disconnects.length;
  }

  private openSocket(ep: Endpoint): void {
    const { clock } = this.deps;
    // Asked of the program behind the socket once its welcome names its instance (the socket is made just below).
    const program: ProgramLink = {
      heardAt: () => ep.programs.heardAt(sock.programKey),
      stuck: () => this.stuckSocket(ep, sock),
      answered: (at) => this.programAnswered(ep, sock, at),
      pingAnswered: () => ep.programs.pingAnswered(),
      pingsOwedWhileTalking: () => ep.programs.pingsOwedWhileTalking(),
      ignoresPings: () => ep.programs.ignoresPings,
      named: () => sock.programKey !== '',
      proved: (sentAt) => ep.programs.proved(sock.programKey, sentAt),
      provenAt: () => ep.programs.provenAt(sock.programKey),
    };
    const sock = new PooledSocket(
      ep.url,
      {
        token: this.deps.token,
        tokenUnreadable: this.deps.tokenUnreadable,
        clock,
        socketFactory: this.deps.socketFactory,
        heartbeatMs: this.config.healthCheckInterval,
        // Golden-ratio steps: any number of sockets opened together spread evenly over the interval.
        beatPhase: (this.opened++ * GOLDEN) % 1,
        requestTimeoutMs: this.deps.requestTimeoutMs,
        welcomeTimeoutMs: this.config.handshakeTimeout,
        learnedGaps: learnedGaps(ep),
        program,
      },
      () => clock.mono(),
      () => this.recentDisconnects(ep),
    );
    sock.stuckNow = program.stuck;
    sock.knownStuck = () => ep.programs.isStuck(sock.programKey);
    this.connecting.add(sock);
    ep.sockets.add(sock);
    this.invalidate();
    const thisTry = ep.tries;
    let opened = false;
    let openedAt = 0;
    let proving: unknown = null;
    /** The address works: its breaker closes (and the caller fills its other slots). */
    const works = (): void => {
      proving = null;
      ep.attempt = 0;
      if (ep.breaker.state !== 'closed') this.activity('breaker-closed', ep.url);
      ep.breaker.success();
    };
    sock.conn.on('open', () => {
      opened = true;
      this.connecting.delete(sock);
      openedAt = clock.mono();
      this.routableList = null;
      sock.health.opened();
      // A program found stuck may still greet: only what it sends after its welcome ends that (programAnswered).
      ep.programs.opened(sock.programKey);
      if (!ep.programs.isStuck(sock.programKey)) ep.cause = null;
      const cameBack = ep.attempt > 0 || ep.breaker.state !== 'closed';
      // After flaps, opening proves nothing (the last ones opened too): only a socket that stays open does.
      const flapping = ep.flaps > 0;
      if (!flapping) works();
      this.activity(ep.hadOutage ? 'reconnected' : 'connected', ep.url, '', sock.conn.instance ? `instance ${sock.conn.instance}` : undefined);
      this.emit('open', sock);
      if (cameBack && !flapping) this.hurryPeers(ep);
      this.emit('change');
      if (!flapping) this.reconcile(ep); // after a half-open trial, fill the other slots
      else {
        proving = clock.setTimeout(() => {
          if (!sock.open || sock.faulted) return;
          works();
          this.reconcile(ep);
        }, SHORT_LIFE_MS);
      }
    });
    sock.conn.on('pong', ({ rttMs, ours }) => {
      // A round trip that waited on the console's own backlog is not the backend's speed.
      if (ours ? sock.health.answered() : sock.health.rtt(rttMs)) this.rotationChanged(sock);
      this.emit('change');
    });
    sock.conn.on('storage', () => this.emit('change'));
    sock.conn.on('protocolError', (fault) => {
      this.protocolErrors++;
      this.outcome(sock, false);
      this.countFault(ep, fault);
    });
    sock.conn.on('close', (reason) => {
      this.connecting.delete(sock);
      clock.clearTimeout(proving);
      ep.sockets.delete(sock);
      this.invalidate();
      // Short-lived sockets still add up: each passes on what it started from plus what it saw.
      const gaps = sock.conn.heartbeat.gaps();
      if (gaps.length) ep.gaps = gaps;
      if (sock.conn.failure?.kind === 'unreachable') for (const s of ep.sockets) s.conn.heartbeat.outage();
      if (sock.conn.failure && !sock.draining) ep.cause = sock.conn.failure;
      // Its instance's program is stuck: its other sockets wait on it too (the first found is seldom the last).
      if (sock.conn.failure?.kind === 'app-silent' && !sock.draining && ep.programs.markStuck(sock.programKey, sock.conn.failure)) this.routableList = null;
      if (opened) ep.programs.closed(sock.programKey);
      this.emit('closed', sock);
      // Staff read why in the cause's words; the socket's own reason goes to the log file.
      const words = sock.conn.failure?.text ?? sock.conn.closedBecause ?? reason;
      // Stopped or taken out of use by the console itself, with nothing wrong: a normal restart, not trouble for IT.
      const onPurpose = (this.stopped || sock.draining) && !sock.conn.failure;
      if (opened) {
        if (!sock.draining) ep.hadOutage = true;
        const now = clock.mono();
        if (now - (ep.disconnects.at(-1) ?? -Infinity) > OUTAGE_WINDOW_MS) ep.disconnects.push(now);
        this.activity('disconnected', ep.url, words, reason, onPurpose);
      } else {
        this.activity('failed', ep.url, words, reason, onPurpose);
        if (!onPurpose && ep.failedTry !== thisTry) {
          ep.failedTry = thisTry;
          const before = ep.breaker.state;
          if (ep.breaker.failure() === 'open' && before !== 'open') this.activity('breaker-open', ep.url, pausedDetail(before, ep.breaker));
        }
      }
      this.emit('change');
      if (this.stopped || ep.draining || sock.draining) return;
      // A socket that lived is lost: back at once. One that closed soon, or was cut for what it said, failed.
      const flapped = opened && (sock.faulted || clock.mono() - openedAt < SHORT_LIFE_MS);
      // Sockets opened in one try that close together are one flap, as they are one failed try below.
      if (flapped && ep.failedTry !== thisTry) {
        ep.failedTry = thisTry;
        ep.flaps++;
      } else if (opened && !flapped) ep.flaps = 0;
      if (flapped && ep.flaps >= ep.breaker.threshold && ep.breaker.state !== 'open') this.pauseFlapping(ep, reason);
      const step = flapped ? ep.flaps : opened ? 0 : ep.attempt++;
      const wait = ep.breaker.state === 'open' ? ep.breaker.waitMs() : fullJitter(step, this.deps.reconnectBaseMs ?? 200, this.deps.reconnectCapMs ?? 5_000, this.deps.random);
      this.retryIn(ep, wait);
    });
    sock.conn.connect();
  }
}

/**
 * What an endpoint's sockets learned of its link, the most of it, for a new socket to start from.
 * Counted first and copied once: every socket of an opening storm comes through here, and a copy
 * of every other socket's gaps each time made opening a large pool quadratic.
 */
function learnedGaps(ep: Endpoint): readonly number[] {
  let most: PooledSocket | null = null;
  let n = ep.gaps.length;
  for (const s of ep.sockets) {
    const k = s.conn.heartbeat.samples;
    if (k > n) [most, n] = [s, k];
  }
  return most ? most.conn.heartbeat.gaps() : ep.gaps;
}

/** Why an address was paused, in the setting's own terms, and for how long. */
function pausedDetail(before: CircuitBreaker['state'], breaker: CircuitBreaker): string {
  const next = `next try in ${Math.round(breaker.cooldown / 1000)} s`;
  return before === 'half-open' ? `the try after the pause failed too; ${next}` : `after ${breaker.failures} failed tries in a row; ${next}`;
}

/** Why a socket left (or rejoined) rotation, for the event log, in staff words (no score: a number staff cannot act on). */
function rotationWords(sock: PooledSocket): string {
  const why = sock.health.outBecause;
  return why ? OUT_BECAUSE[why].long.replace(/\.$/, '') : 'it answers well again';
}

/** The pool's one line for a slow spell: slow is not dead, so its sockets are still used. */
export const slowPoolWords = (ms: number | null): string =>
  `the backend answers slowly${ms === null ? '' : ` (about ${replyTime(ms)} a reply)`}, so this pool's sockets are used only while nothing faster is open; check-ins still go through them`;
