/**
 * Failover benchmark: our pooled client against a plain reconnecting WebSocket (partysocket) and
 * against Socket.IO tuned to our heartbeat budget (its nodes as processes over the redis-streams
 * adapter; skipped, with the reason, without redis-server), in one run, under the same seeded faults.
 *
 * While a phase runs, a check-in is emitted every 1 ms. Each fault kills or hangs the instance the
 * client under test is receiving events from; the switch time runs from just before kill()/hang()
 * until the application callback sees the first event newer than the log head at the fault.
 * See docs/benchmarks.md for the definitions and the figures.
 */
import { WebSocket as ReconnectingWebSocket } from 'partysocket';
import WS from 'ws';
import { startCluster, type Cluster } from '../src/server/cluster';
import { seededRandom } from '../src/server/random';
import { PoolManager } from '../src/main/core/pool/manager';
import { memoryPoolStore } from '../src/main/core/pool/pools-file';
import { defaultPool } from '../src/shared/pools';
import { PROTOCOL_VERSION, STREAM, type ClientFrame, type ServerFrame } from '../src/shared/protocol';
import type { ScenarioOptions } from './scenario';
import { now, pct, Received, round, Signal, sleep, waitUntil } from './measure';
import { randomUUID } from 'node:crypto';
import { redisMissing, startRedis } from '../tests/helpers/redis-server';
import { SocketIoClient, startEmitter, startSocketIoNodes } from './peers/socketio';
import { SOCKETIO_VERSION, TUNED } from './peers/socketio-config';

const TOKEN = 'bench-failover';
const INSTANCES = 3;
const QUICK_FAULTS = 40;
const FULL_FAULTS = 1_000;
/** The peer faces at most this many faults: each of its switches takes seconds (keeps the full run near 20 min). */
const PEER_MAX_FAULTS = { quick: 10, full: 60 } as const;
/** The peer has no heartbeat: a hang is waited out this long, then recorded at this value. */
const PEER_HANG_CAP_MS = { quick: 3_000, full: 5_000 } as const;
const DEFAULT_SEED = 20_251_123;

/** Bounds on every wait, so a misbehaving client ends the run instead of hanging it. */
const LIMIT = {
  switchMs: 30_000,
  detectMs: 10_000,
  healthyMs: 30_000,
  /**
   * How long ours gets to report 'connected' after a restore before the next fault may go ahead on
   * structural recovery alone (every socket open again, events held on two instances). Its health
   * scorer treats an endpoint with many outages in the last 60 s as flapping and keeps one of its
   * sockets out of rotation ('degraded') for up to a minute, which at this fault rate is most of the
   * time; waiting that out would make the run several times longer without measuring anything new.
   */
  connectedMs: 300,
  readyMs: 15_000,
  stragglersMs: 5_000,
  /** A replay asked for by a heartbeat arrives well within this on loopback. */
  quietMs: 2_000,
} as const;

type FaultKind = 'close' | 'hang';

interface PlannedFault {
  kind: FaultKind;
  /** Picks among the instances the client receives from, when it receives from more than one. */
  roll: number;
  /** Pause after the client is healthy again, before the next fault (~50 ms). */
  settleMs: number;
}

interface PhaseResult {
  faults: number;
  close: number[];
  hang: number[];
  hangDetect: number[];
  closeDetect: number[];
  recover: number[];
  switchTimeouts: number;
  detectTimeouts: number;
  recoverTimeouts: number;
  /** Faults after which the client was structurally recovered but not yet reporting healthy. */
  recoveredDegraded: number;
  hangUndetected: number;
  emitted: number;
  received: number;
  lost: number;
  duplicated: number;
  durationS: number;
  extra: Record<string, number>;
}

/** One check-in per 1 ms tick while it runs. */
function startGenerator(cluster: Cluster): { stop(): void } {
  let n = 0;
  const timer = setInterval(() => cluster.gym.checkIn(`bench-${n++}`, 'door'), 1);
  return { stop: () => clearInterval(timer) };
}

function planFaults(count: number, seed: number): PlannedFault[] {
  const rand = seededRandom(seed);
  const kinds: [FaultKind, FaultKind] = rand() < 0.5 ? ['close', 'hang'] : ['hang', 'close'];
  return Array.from({ length: count }, (_, i) => ({ kind: kinds[i % 2]!, roll: rand(), settleMs: 40 + Math.floor(rand() * 21) }));
}

function emptyPhase(): PhaseResult {
  return {
    faults: 0,
    close: [],
    hang: [],
    hangDetect: [],
    closeDetect: [],
    recover: [],
    switchTimeouts: 0,
    detectTimeouts: 0,
    recoverTimeouts: 0,
    recoveredDegraded: 0,
    hangUndetected: 0,
    emitted: 0,
    received: 0,
    lost: 0,
    duplicated: 0,
    durationS: 0,
    extra: {},
  };
}

/** The client under test, as the phase runner sees it. */
interface Subject {
  /** Index of the instance to fault now (the one it receives events from). */
  target(fault: PlannedFault): number;
  healthy(): boolean;
  /** Back to full strength even if not (yet) reporting healthy; absent: only healthy() counts. */
  recovered?(): boolean;
  /** What it looks like, for the log when it does not recover. */
  describe?(): string;
  /** Armed before a fault; fires when the client itself reports that endpoint disconnected (ours only). */
  watchDetect?(url: string): Signal;
}

interface PhaseHooks {
  /** Called with every event seq the application receives. */
  setListener(fn: (seq: number) => void): void;
}

/** How faults reach instance i when they are not the cluster's own (the Socket.IO nodes). */
type Targets = (index: number) => { url: string; kill(): Promise<void>; hang(): void; restore(): Promise<void> };

/** Runs the faults of one phase against one subject; events flow the whole time. */
async function runFaults(
  name: string,
  cluster: Cluster,
  subject: Subject,
  hooks: PhaseHooks,
  plan: PlannedFault[],
  opts: { hangCapMs: number | null; log: (m: string) => void; targets?: Targets },
): Promise<PhaseResult> {
  const r = emptyPhase();
  const startSeq = cluster.gym.log.lastSeq;
  const received = new Received(startSeq);
  let watch: { faultSeq: number; signal: Signal } | null = null;
  hooks.setListener((seq) => {
    received.add(seq);
    if (watch && seq > watch.faultSeq) watch.signal.fire();
  });
  const started = now();
  const gen = startGenerator(cluster);
  await sleep(100);
  const step = Math.max(1, Math.round(plan.length / 10));

  for (const [i, fault] of plan.entries()) {
    const index = subject.target(fault);
    const inst = opts.targets?.(index) ?? cluster.instance(index);
    const signal = new Signal();
    const detect = subject.watchDetect?.(inst.url);

    const t0 = now();
    watch = { faultSeq: cluster.gym.log.lastSeq, signal };
    const killed = fault.kind === 'close' ? inst.kill() : (inst.hang(), Promise.resolve());
    r.faults++;

    const cap = fault.kind === 'hang' && opts.hangCapMs !== null ? opts.hangCapMs : LIMIT.switchMs;
    const at = await signal.wait(cap);
    watch = null;
    if (at === null) {
      if (fault.kind === 'hang' && opts.hangCapMs !== null) r.hangUndetected++;
      else r.switchTimeouts++;
    }
    const switched = (at ?? t0 + cap) - t0;
    (fault.kind === 'close' ? r.close : r.hang).push(switched);

    if (detect) {
      const dAt = await detect.wait(LIMIT.detectMs);
      if (dAt === null) r.detectTimeouts++;
      else (fault.kind === 'close' ? r.closeDetect : r.hangDetect).push(dAt - t0);
    }

    await killed;
    const restoredAt = now();
    await inst.restore();
    // Healthy, or (ours) back to full strength and still not healthy after connectedMs.
    let backAt: number | null = null;
    let healthyAt: number | null = null;
    const done = await waitUntil(() => {
      if (subject.healthy()) healthyAt = now();
      else if (backAt === null && subject.recovered?.()) backAt = now();
      return healthyAt !== null || (backAt !== null && now() - restoredAt >= LIMIT.connectedMs);
    }, LIMIT.healthyMs);
    if (done) {
      if (healthyAt === null) r.recoveredDegraded++;
      r.recover.push((healthyAt ?? backAt!) - restoredAt);
    } else {
      r.recoverTimeouts++;
      opts.log(`  ${name}: not healthy ${LIMIT.healthyMs} ms after restoring instance ${index} (${fault.kind}): ${subject.describe?.() ?? ''}`);
    }
    await sleep(fault.settleMs);

    if ((i + 1) % step === 0 || i + 1 === plan.length) {
      opts.log(`  ${name}: ${i + 1}/${plan.length} faults (${fault.kind} ${switched.toFixed(1)} ms), ${((now() - started) / 1000).toFixed(0)} s`);
    }
  }

  gen.stop();
  const lastSeq = cluster.gym.log.lastSeq;
  // Stragglers: until nothing is missing, or nothing new arrived for a while (bounded either way).
  let seen = received.total;
  let quietSince = now();
  await waitUntil(
    () => {
      if (received.total !== seen) [seen, quietSince] = [received.total, now()];
      return received.missing(lastSeq) === 0 || now() - quietSince > LIMIT.quietMs;
    },
    LIMIT.stragglersMs,
    20,
  );
  r.emitted = lastSeq - startSeq;
  r.received = received.total;
  r.lost = received.missing(lastSeq);
  r.duplicated = received.total - received.unique;
  r.durationS = (now() - started) / 1000;
  return r;
}

/** Our client: the PoolManager with the app's default pool, untuned. */
async function oursPhase(plan: PlannedFault[], opts: { log: (m: string) => void }): Promise<PhaseResult> {
  const cluster = await startCluster({ instances: INSTANCES, port: 0, token: TOKEN });
  const mgr = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [defaultPool(cluster.urls)] });
  let listener: (seq: number) => void = () => {};
  let resyncs = 0;
  let continuityLost = 0;
  let failovers = 0;
  const detectWatches = new Map<string, Signal>();
  mgr.feed.on('event', (e) => listener(e.seq));
  mgr.feed.on('resync', () => resyncs++);
  mgr.feed.on('continuityLost', () => continuityLost++);
  mgr.on('activity', (a) => {
    if (a.type === 'failover') failovers++;
    if (a.type === 'disconnected') detectWatches.get(a.endpoint)?.fire();
  });
  try {
    mgr.start();
    if (!(await waitUntil(() => mgr.connectionView().state === 'connected' && resyncs > 0, LIMIT.readyMs))) {
      throw new Error('our client did not connect to the cluster');
    }
    const subject: Subject = {
      target(fault) {
        // Events are held on two instances at once; both are "primary". The seeded roll picks one.
        const primaries = mgr.connectionView().endpoints.filter((e) => e.primary);
        const url = primaries[Math.floor(fault.roll * primaries.length)]?.url;
        const index = url ? cluster.urls.indexOf(url) : -1;
        if (index < 0) throw new Error('our client has no subscribed endpoint');
        return index;
      },
      healthy: () => mgr.connectionView().state === 'connected',
      recovered: () => {
        const socks = mgr.list().flatMap((p) => p.sockets);
        const wanted = mgr.list().reduce((n, p) => n + p.config.maxConnections, 0);
        const primaries = mgr.connectionView().endpoints.filter((e) => e.primary).length;
        return socks.length === wanted && socks.every((k) => k.state === 'open') && primaries >= 2;
      },
      describe: () =>
        JSON.stringify(
          mgr.list().map((p) => ({
            ratio: p.healthRatio,
            endpoints: p.endpoints.map((e) => `${cluster.urls.indexOf(e.url)}:${e.breaker}/${e.failures}`),
            sockets: p.sockets.map((k) => `${cluster.urls.indexOf(k.endpoint)}:${k.state}:${k.score}:${k.inRotation ? 'in' : 'out'}:d${k.inputs.recentDisconnects}`),
          })),
        ),
      watchDetect(url) {
        const s = new Signal();
        detectWatches.clear();
        detectWatches.set(url, s);
        return s;
      },
    };
    const hooks: PhaseHooks = { setListener: (fn) => (listener = fn) };
    const r = await runFaults('ours', cluster, subject, hooks, plan, { hangCapMs: null, log: opts.log });
    r.extra = { resyncs, continuity_lost: continuityLost, failovers };
    return r;
  } finally {
    mgr.stop();
    await cluster.close();
  }
}

/**
 * The peer: partysocket's ReconnectingWebSocket with default options, rotating over the instance
 * URLs, and the protocol layer a typical app writes: hello, a snapshot for the head, sub from there.
 * No resume and no heartbeat, as the library offers neither.
 */
class PeerClient {
  readonly rws: InstanceType<typeof ReconnectingWebSocket>;
  url = '';
  subscribed = false;
  private next = 0;
  private reqs = 0;
  onEvent: (seq: number) => void = () => {};

  constructor(urls: string[], token: string) {
    this.rws = new ReconnectingWebSocket(
      () => {
        this.url = urls[this.next++ % urls.length]!;
        return this.url;
      },
      undefined,
      { WebSocket: WS },
    );
    this.rws.addEventListener('open', () => {
      this.subscribed = false;
      this.send({ t: 'hello', versions: [PROTOCOL_VERSION], token, client: 'partysocket-bench' });
    });
    this.rws.addEventListener('close', () => (this.subscribed = false));
    this.rws.addEventListener('message', (m: MessageEvent) => {
      if (typeof m.data !== 'string') return;
      this.handle(JSON.parse(m.data) as ServerFrame);
    });
  }

  get open(): boolean {
    return this.rws.readyState === this.rws.OPEN;
  }

  close(): void {
    this.rws.close();
  }

  private send(frame: ClientFrame): void {
    this.rws.send(JSON.stringify(frame));
  }

  private handle(frame: ServerFrame): void {
    switch (frame.t) {
      case 'welcome':
        return this.send({ t: 'req', id: `snap-${++this.reqs}`, op: 'snapshot', body: {} });
      case 'reply':
        if (frame.ok) this.send({ t: 'sub', stream: STREAM, after: (frame.body as { head: number }).head });
        return;
      case 'subbed':
        this.subscribed = true;
        return;
      case 'event':
        return this.onEvent(frame.seq);
      default:
        return;
    }
  }
}

async function peerPhase(plan: PlannedFault[], opts: { hangCapMs: number; log: (m: string) => void }): Promise<PhaseResult> {
  const cluster = await startCluster({ instances: INSTANCES, port: 0, token: TOKEN });
  const peer = new PeerClient(cluster.urls, TOKEN);
  try {
    if (!(await waitUntil(() => peer.open && peer.subscribed, LIMIT.readyMs))) throw new Error('partysocket did not connect to the cluster');
    const subject: Subject = {
      target() {
        const index = cluster.urls.indexOf(peer.url);
        if (index < 0) throw new Error('partysocket is on no known instance');
        return index;
      },
      healthy: () => peer.open && peer.subscribed,
    };
    const hooks: PhaseHooks = { setListener: (fn) => (peer.onEvent = fn) };
    const r = await runFaults('partysocket', cluster, subject, hooks, plan, { hangCapMs: opts.hangCapMs, log: opts.log });
    r.extra = { reconnections: peer.rws.retryCount };
    return r;
  } finally {
    peer.close();
    await cluster.close();
  }
}

/** Ours can switch inside the 1 ms generator tick; ratios divide by at least that resolution. */
/**
 * The Socket.IO peer (tuned to our heartbeat budget): its nodes are processes clustered over the
 * redis-streams adapter, fed the same check-ins through an emitter. "close" drops every connection
 * of the node (process alive, so it stores the sessions); "hang" is SIGSTOP, then SIGCONT.
 */
async function socketIoPhase(plan: PlannedFault[], opts: { hangCapMs: number; log: (m: string) => void }): Promise<PhaseResult | string> {
  const missing = redisMissing();
  if (missing) return missing;
  const redis = await startRedis();
  const cluster = await startCluster({ instances: INSTANCES, port: 0, token: TOKEN });
  const stream = `failover${randomUUID().slice(0, 8)}`;
  const nodes = await startSocketIoNodes({ redisUrl: redis.url, count: INSTANCES, stream, tuning: TUNED });
  const emitter = startEmitter(redis.url, stream);
  cluster.gym.on('event', (e) => emitter.emit(e.seq));
  const client = new SocketIoClient(nodes.urls, TUNED);
  try {
    if (!(await waitUntil(() => client.connected, LIMIT.readyMs))) throw new Error('socket.io-client did not connect to the nodes');
    const subject: Subject = { target: () => client.index, healthy: () => client.connected };
    const hooks: PhaseHooks = { setListener: (fn) => (client.onEvent = fn) };
    const dropped = new Set<number>();
    const targets: Targets = (k) => ({
      url: nodes.urls[k]!,
      kill: async () => void (nodes.drop(k), dropped.add(k)),
      hang: () => nodes.stop(k),
      restore: async () => {
        nodes.cont(k);
        if (dropped.delete(k)) await nodes.listen(k);
      },
    });
    const r = await runFaults('socket.io', cluster, subject, hooks, plan, { hangCapMs: opts.hangCapMs, log: opts.log, targets });
    r.extra = { reconnects: client.connects - 1, recovered_sessions: client.recovered };
    return r;
  } finally {
    client.close();
    await emitter.close();
    await nodes.close();
    await cluster.close();
    await redis.close();
  }
}

/** One peer's figures, in the same fields for every peer. */
function peerFigures(name: string, version: string, peer: PhaseResult, hangCapMs: number): Record<string, unknown> {
  return {
    name,
    version,
    faults: peer.faults,
    close_faults: peer.close.length,
    hang_faults: peer.hang.length,
    close_switch_ms_p50: pct(peer.close, 0.5),
    close_switch_ms_p99: pct(peer.close, 0.99),
    hang_switch_ms_p50: pct(peer.hang, 0.5),
    hang_switch_ms_p99: pct(peer.hang, 0.99),
    hang_cap_ms: hangCapMs,
    hang_undetected: peer.hangUndetected,
    switch_timeouts: peer.switchTimeouts,
    recover_ms_p50: pct(peer.recover, 0.5),
    recover_ms_p99: pct(peer.recover, 0.99),
    recover_timeouts: peer.recoverTimeouts,
    emitted: peer.emitted,
    received: peer.received,
    lost: peer.lost,
    duplicated: peer.duplicated,
    ...peer.extra,
    duration_s: round(peer.durationS),
  };
}

const ratio = (peer: number | null, ours: number | null): number | null =>
  peer === null || ours === null ? null : round(peer / Math.max(ours, 1));

export interface FailoverResult {
  scenario: 'failover';
  faults: number;
  close_switch_ms_p50: number | null;
  close_switch_ms_p99: number | null;
  hang_switch_ms_p50: number | null;
  hang_switch_ms_p99: number | null;
  hang_detect_ms_p99: number | null;
  lost: number;
  duplicated: number;
  peer: Record<string, unknown>;
  ratio_hang_switch_vs_peer: number | null;
  [extra: string]: unknown;
}

export async function failover(opts: ScenarioOptions): Promise<FailoverResult> {
  const mode = opts.quick ? 'quick' : 'full';
  const seed = opts.seed ?? DEFAULT_SEED;
  const ourFaults = opts.faults ?? (opts.quick ? QUICK_FAULTS : FULL_FAULTS);
  const peerFaults = Math.min(ourFaults, PEER_MAX_FAULTS[mode]);
  const hangCapMs = PEER_HANG_CAP_MS[mode];
  const plan = planFaults(ourFaults, seed);
  const started = now();

  opts.log(`failover (${mode}, seed ${seed}): ${ourFaults} faults for ours, then ${peerFaults} for partysocket`);
  const ours = await oursPhase(plan, opts);
  opts.log(`  ours done in ${ours.durationS.toFixed(0)} s: lost ${ours.lost}, duplicated ${ours.duplicated}`);
  const peer = await peerPhase(plan.slice(0, peerFaults), { hangCapMs, log: opts.log });
  opts.log(`  partysocket done in ${peer.durationS.toFixed(0)} s: lost ${peer.lost}, duplicated ${peer.duplicated}`);

  const peerOut = peerFigures('partysocket', '1.3.0', peer, hangCapMs) as ReturnType<typeof peerFigures> & { close_switch_ms_p99: number | null; hang_switch_ms_p99: number | null };
  opts.log(`  then ${peerFaults} for socket.io (tuned: pings ${TUNED.pingInterval} + ${TUNED.pingTimeout} ms)`);
  const sio = await socketIoPhase(plan.slice(0, peerFaults), { hangCapMs, log: opts.log });
  const sioOut = typeof sio === 'string' ? { name: 'socket.io', version: SOCKETIO_VERSION, skipped: sio } : { ...peerFigures('socket.io', SOCKETIO_VERSION, sio, hangCapMs), tuned: true, ping_interval_ms: TUNED.pingInterval, ping_timeout_ms: TUNED.pingTimeout };
  const ourClose99 = pct(ours.close, 0.99);
  const ourHang99 = pct(ours.hang, 0.99);
  return {
    scenario: 'failover',
    mode,
    seed,
    faults: ours.faults,
    close_faults: ours.close.length,
    hang_faults: ours.hang.length,
    close_switch_ms_p50: pct(ours.close, 0.5),
    close_switch_ms_p99: ourClose99,
    close_switch_ms_max: round(ours.close.length ? Math.max(...ours.close) : null),
    hang_switch_ms_p50: pct(ours.hang, 0.5),
    hang_switch_ms_p99: ourHang99,
    hang_switch_ms_max: round(ours.hang.length ? Math.max(...ours.hang) : null),
    hang_detect_ms_p50: pct(ours.hangDetect, 0.5),
    hang_detect_ms_p99: pct(ours.hangDetect, 0.99),
    hang_detect_ms_max: round(ours.hangDetect.length ? Math.max(...ours.hangDetect) : null),
    close_detect_ms_p99: pct(ours.closeDetect, 0.99),
    switch_timeouts: ours.switchTimeouts,
    detect_timeouts: ours.detectTimeouts,
    recover_ms_p50: pct(ours.recover, 0.5),
    recover_ms_p99: pct(ours.recover, 0.99),
    recover_timeouts: ours.recoverTimeouts,
    recovered_degraded: ours.recoveredDegraded,
    emitted: ours.emitted,
    received: ours.received,
    lost: ours.lost,
    duplicated: ours.duplicated,
    ...ours.extra,
    duration_s: round(ours.durationS),
    peer: peerOut,
    peer_socketio: sioOut,
    ratio_close_switch_vs_peer: ratio(peerOut.close_switch_ms_p99, ourClose99),
    ratio_hang_switch_vs_peer: ratio(peerOut.hang_switch_ms_p99, ourHang99),
    total_s: round((now() - started) / 1000),
  };
}

/** The readable summary for a person at a terminal. */
export function summarizeFailover(r: FailoverResult): string {
  const p = r.peer as Record<string, unknown>;
  const v = (x: unknown): string => (x === null || x === undefined ? '—' : String(x));
  const q = (r.peer_socketio ?? {}) as Record<string, unknown>;
  const rows: [string, unknown, unknown, unknown][] = [
    ['faults', r.faults, p.faults, q.faults],
    ['close switch p50 (ms)', r.close_switch_ms_p50, p.close_switch_ms_p50, q.close_switch_ms_p50],
    ['close switch p99 (ms)', r.close_switch_ms_p99, p.close_switch_ms_p99, q.close_switch_ms_p99],
    ['hang switch p50 (ms)', r.hang_switch_ms_p50, p.hang_switch_ms_p50, q.hang_switch_ms_p50],
    ['hang switch p99 (ms)', r.hang_switch_ms_p99, p.hang_switch_ms_p99, q.hang_switch_ms_p99],
    ['hang detect p99 (ms)', r.hang_detect_ms_p99, p.hang_undetected ? `never (${v(p.hang_undetected)} undetected)` : '—', q.hang_undetected ? `${v(q.hang_undetected)} undetected` : '—'],
    ['lost', r.lost, p.lost, q.lost],
    ['duplicated', r.duplicated, p.duplicated, q.duplicated],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return [
    `failover (${v(r.mode)}, seed ${v(r.seed)}), ${v(r.total_s)} s${q.skipped ? `; socket.io skipped: ${v(q.skipped)}` : ''}`,
    `${''.padEnd(w)}  ${'ours'.padStart(10)}  ${'partysocket'.padStart(12)}  ${'socket.io'.padStart(10)}`,
    ...rows.map(([k, a, b, c]) => `${k.padEnd(w)}  ${v(a).padStart(10)}  ${v(b).padStart(12)}  ${v(c).padStart(10)}`),
    `hang switch p99, peer / ours: ${v(r.ratio_hang_switch_vs_peer)}×   close switch p99, peer / ours: ${v(r.ratio_close_switch_vs_peer)}×`,
  ].join('\n');
}
