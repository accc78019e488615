/**
 * Scale-out benchmark: the reference backend as separate processes on one Redis. Throughput with
 * 1, 2 and 3 processes (and the in-process mode); then real faults from outside the processes
 * (SIGKILL, SIGSTOP, blackhole, rolling restart, Redis restart) against our console, and the same
 * faults against Socket.IO (connection state recovery, redis-streams adapter), default and tuned.
 * `--soak` adds a fault-free run (10 min; 1 min with --quick) counting false detections.
 * See docs/benchmarks.md for the definitions and the figures.
 */
import { randomUUID } from 'node:crypto';
import { RedisGym } from '../src/server/redis/redis-gym';
import { seededRandom } from '../src/server/random';
import { redisMissing, startRedis, type RedisServer } from '../tests/helpers/redis-server';
import { startBackends } from '../tests/helpers/backend-processes';
import { startFaultProxy } from '../tests/helpers/fault-proxy';
import { ADAPTER_VERSION, DEFAULTS, SOCKETIO_VERSION, TUNED, type PeerTuning } from './peers/socketio-config';
import { startEmitter, startSocketIoNodes } from './peers/socketio';
import { measureThroughput } from './scaleout/throughput';
import { planFaults, runFaults, type FaultResult, type Limits, type Procs, type Rig } from './scaleout/faults';
import { oursSubject, peerSubject } from './scaleout/subjects';
import { max, pct, round, sleep } from './measure';
import type { ScenarioOptions } from './scenario';

const TOKEN = 'bench-scaleout';
const PROCESSES = 3;
const DEFAULT_SEED = 20_251_214;
/** Faults for ours (every kind in turn), and for each Socket.IO run (each costs more: see LIMITS). */
const FAULTS = { quick: 10, full: 300 } as const;
const PEER_FAULTS = { quick: 5, full: 25 } as const;
const THROUGHPUT_S = { quick: 2, full: 8 } as const;
const SOAK_MIN = { quick: 1, full: 10 } as const;
/** The default peer gives up on a silent node after 25 + 20 s; its waits must outlast that to measure it. */
const LIMITS: Record<'ours' | 'tuned' | 'default', Limits> = {
  ours: { capMs: 10_000, healthyMs: 30_000 },
  tuned: { capMs: 10_000, healthyMs: 30_000 },
  default: { capMs: 50_000, healthyMs: 60_000 },
};

/** Knobs the smoke test turns down; the CLI uses the defaults for its mode. */
export interface ScaleoutOverrides {
  counts?: number[];
  throughputS?: number;
  peerFaults?: number;
  /** Skip the Socket.IO run with default pings (each silent fault costs it ~45 s). */
  skipDefaultPeer?: boolean;
}

/** Proxies in front of `procs`, and a door on a gym of its own (fresh key prefix). */
async function rigFor(redis: RedisServer, procs: Procs, door: RedisGym, scheme: string): Promise<Rig & { close(): Promise<void> }> {
  const proxies = await Promise.all(procs.urls.map((u) => startFaultProxy({ port: Number(new URL(u).port) }, scheme)));
  return { redis, procs, proxies, door, close: async () => void (await Promise.all(proxies.map((p) => p.close()))) };
}

async function oursPhase(redis: RedisServer, count: number, rand: () => number, log: (m: string) => void, soakMin: number | null) {
  const keyPrefix = `so${randomUUID().slice(0, 8)}:`;
  const procs = await startBackends({ redisUrl: redis.url, count: PROCESSES, token: TOKEN, keyPrefix, capacity: 1_000_000 });
  const door = await RedisGym.open({ url: new URL(redis.url), keyPrefix, capacity: 1_000_000 });
  const rig = await rigFor(redis, procs, door, 'ws');
  const subject = await oursSubject(rig.proxies.map((p) => p.url), TOKEN);
  try {
    let soak: { minutes: number; false_detections: number; lost: number; duplicated: number } | null = null;
    if (soakMin !== null) {
      log(`  ours: soak, ${soakMin} min without faults`);
      const before = subject.disconnects();
      const s = await runFaults(rig, subject, [], { ...LIMITS.ours, soakMs: soakMin * 60_000 }, log);
      soak = { minutes: soakMin, false_detections: subject.disconnects() - before, lost: s.lost, duplicated: s.duplicated };
    }
    const r = await runFaults(rig, subject, planFaults(count, rand), LIMITS.ours, log);
    return { r, soak };
  } finally {
    subject.close();
    await rig.close();
    await door.close();
    await procs.close();
  }
}

async function peerPhase(redis: RedisServer, tuning: PeerTuning, count: number, rand: () => number, log: (m: string) => void): Promise<FaultResult & { recovered: number; connects: number }> {
  const stream = `sio${randomUUID().slice(0, 8)}`;
  const procs = await startSocketIoNodes({ redisUrl: redis.url, count: PROCESSES, stream, tuning });
  const door = await RedisGym.open({ url: new URL(redis.url), keyPrefix: `${stream}:`, capacity: 1_000_000 });
  const emitter = startEmitter(redis.url, stream);
  door.on('event', (e) => emitter.emit(e.seq)); // the same generator, published the Socket.IO way
  const rig = await rigFor(redis, procs, door, 'http');
  const subject = await peerSubject(rig.proxies.map((p) => p.url), tuning);
  try {
    const r = await runFaults(rig, subject, planFaults(count, rand), tuning.tuned ? LIMITS.tuned : LIMITS.default, log);
    return { ...r, recovered: subject.client.recovered, connects: subject.client.connects };
  } finally {
    subject.close();
    await rig.close();
    await emitter.close();
    await door.close();
    await procs.close();
  }
}

const summaryOf = (r: FaultResult) => ({
  faults: r.faults,
  fault_kinds: r.fault_kinds,
  lost: r.lost,
  duplicated: r.duplicated,
  switch_ms_p50: pct(r.switch, 0.5),
  switch_ms_p99: pct(r.switch, 0.99),
  switch_ms_max: max(r.switch),
  detect_ms_p50: pct(r.detect, 0.5),
  detect_ms_p99: pct(r.detect, 0.99),
  detect_ms_max: max(r.detect),
  switch_timeouts: r.switch_timeouts,
  detect_timeouts: r.detect_timeouts,
  not_healthy: r.not_healthy,
  emitted: r.emitted,
  received: r.received,
  door_refused_while_redis_down: r.door_failed,
  duration_s: round(r.duration_s),
});

function peerOut(r: (FaultResult & { recovered: number; connects: number }) | null, tuning: PeerTuning, capMs: number) {
  if (!r) return { name: 'socket.io', version: SOCKETIO_VERSION, tuned: tuning.tuned, skipped: true };
  return {
    name: 'socket.io',
    version: SOCKETIO_VERSION,
    adapter: `@socket.io/redis-streams-adapter ${ADAPTER_VERSION}`,
    tuned: tuning.tuned,
    ping_interval_ms: tuning.pingInterval,
    ping_timeout_ms: tuning.pingTimeout,
    reconnection_delay_ms: tuning.reconnectionDelay,
    cap_ms: capMs,
    ...summaryOf(r),
    reconnects: r.connects - 1,
    recovered_sessions: r.recovered,
  };
}

export type ScaleoutResult = ReturnType<typeof shape> & { [k: string]: unknown };

function shape(
  mode: string,
  seed: number,
  counts: number[],
  tp: Awaited<ReturnType<typeof measureThroughput>>,
  ours: Awaited<ReturnType<typeof oursPhase>>,
  peer: ReturnType<typeof peerOut>,
  peerTuned: ReturnType<typeof peerOut>,
  totalS: number,
) {
  return {
    scenario: 'scaleout' as const,
    mode,
    seed,
    instances: counts,
    msgs_per_s: tp.byCount.map((t) => t.msgs_per_s),
    checkins_per_s: tp.byCount.map((t) => t.checkins_per_s),
    inproc_msgs_per_s: tp.inproc.msgs_per_s,
    inproc_checkins_per_s: tp.inproc.checkins_per_s,
    ...summaryOf(ours.r),
    checkin_ms_p99_during_faults: pct(ours.r.checkin, 0.99),
    checkin_ms_p50_during_faults: pct(ours.r.checkin, 0.5),
    checkins_during_faults: ours.r.checkin.length,
    checkin_ms_p99_during_redis_restart: pct(ours.r.checkin_redis_restart, 0.99),
    soak: ours.soak,
    peer,
    peer_tuned: peerTuned,
    total_s: round(totalS),
  };
}

export async function scaleout(opts: ScenarioOptions, o: ScaleoutOverrides = {}): Promise<ScaleoutResult> {
  const missing = redisMissing();
  if (missing) throw new Error(`scaleout needs redis-server: ${missing}`);
  const mode = opts.quick ? 'quick' : 'full';
  const seed = opts.seed ?? DEFAULT_SEED;
  const rand = seededRandom(seed);
  const counts = o.counts ?? [1, 2, 3];
  const faults = opts.faults ?? FAULTS[mode];
  const peerFaults = o.peerFaults ?? Math.min(faults, PEER_FAULTS[mode]);
  const started = performance.now();
  const redis = await startRedis();
  try {
    opts.log(`scaleout (${mode}, seed ${seed}): throughput with ${counts.join(', ')} processes`);
    const tp = await measureThroughput(redis.url, counts, o.throughputS ?? THROUGHPUT_S[mode], opts.log);
    opts.log(`  ${faults} faults for ours over ${PROCESSES} processes${opts.soak ? ', after a soak' : ''}`);
    const ours = await oursPhase(redis, faults, rand, opts.log, opts.soak ? SOAK_MIN[mode] : null);
    opts.log(`  ours: lost ${ours.r.lost}, duplicated ${ours.r.duplicated}; then ${peerFaults} faults for socket.io, tuned`);
    const tuned = await peerPhase(redis, TUNED, peerFaults, rand, opts.log);
    let dflt = null;
    if (!o.skipDefaultPeer) {
      opts.log(`  socket.io tuned: lost ${tuned.lost}, duplicated ${tuned.duplicated}; then ${peerFaults} faults for socket.io with its defaults`);
      await sleep(100);
      dflt = await peerPhase(redis, DEFAULTS, peerFaults, rand, opts.log);
      opts.log(`  socket.io defaults: lost ${dflt.lost}, duplicated ${dflt.duplicated}`);
    }
    return shape(mode, seed, counts, tp, ours, peerOut(dflt, DEFAULTS, LIMITS.default.capMs), peerOut(tuned, TUNED, LIMITS.tuned.capMs), (performance.now() - started) / 1000);
  } finally {
    await redis.close();
  }
}

/** The readable summary for a person at a terminal. */
export function summarizeScaleout(r: ScaleoutResult): string {
  const v = (x: unknown): string => (x === null || x === undefined ? '—' : String(x));
  const p = r.peer as Record<string, unknown>;
  const t = r.peer_tuned as Record<string, unknown>;
  const rows: [string, unknown, unknown, unknown][] = [
    ['faults', r.faults, t.faults, p.faults],
    ['lost', r.lost, t.lost, p.lost],
    ['duplicated', r.duplicated, t.duplicated, p.duplicated],
    ['switch p99 (ms)', r.switch_ms_p99, t.switch_ms_p99, p.switch_ms_p99],
    ['detect p99 (ms)', r.detect_ms_p99, t.detect_ms_p99, p.detect_ms_p99],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return [
    `scaleout (${r.mode}, seed ${r.seed}), ${v(r.total_s)} s`,
    `msgs/s with ${r.instances.join('/')} processes: ${r.msgs_per_s.join(' / ')}; in-process: ${r.inproc_msgs_per_s}`,
    `check-in during faults p99: ${v(r.checkin_ms_p99_during_faults)} ms (${r.checkins_during_faults} issued); during a Redis restart: ${v(r.checkin_ms_p99_during_redis_restart)} ms`,
    r.soak ? `soak ${r.soak.minutes} min: ${r.soak.false_detections} false detections` : 'soak: not run (--soak)',
    `${''.padEnd(w)}  ${'ours'.padStart(8)}  ${'sio tuned'.padStart(10)}  ${'sio default'.padStart(11)}`,
    ...rows.map(([k, a, b, c]) => `${k.padEnd(w)}  ${v(a).padStart(8)}  ${v(b).padStart(10)}  ${v(c).padStart(11)}`),
  ].join('\n');
}
