/**
 * One side of a load scenario, in whatever process runs it: ours (one PoolManager holding every
 * socket) or the peer (a plain `ws` socket per virtual user, the client a user might write instead).
 * Each virtual user sends its actions `gapMs` apart; the side reports what it saw, and the data tags
 * the backend accepted, so the caller can count lost and duplicated messages against the backend.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { defaultSocketFactory } from '../../src/main/core/pool/connection';
import { limitHeapGrowth } from '../../src/main/core/heap-growth';
import type { PoolConfig } from '../../src/shared/pools';
import type { LoadPlan } from './plan';
import { AcceptedBits, countError, q, round, Samples, type SideResult } from './stats';

export type Side = 'ours' | 'peer';
const CONNECT_DEADLINE_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wsVersion = (createRequire(import.meta.url)('ws/package.json') as { version: string }).version;

/**
 * RSS peak over all of `fn`; CPU and event-loop lag from `steady()` on (the messages, not the
 * connection storm before them, which the connect figures cover).
 */
async function measured<T extends { msgs_received: number }>(
  fn: (steady: () => void) => Promise<T>,
): Promise<T & { rss_mb: number; cpu_pct: number; cpu_us_per_msg: number; loop_lag_ms_p99: number; duration_s: number }> {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  const r = await fn(() => {
    lag.reset();
    cpu0 = process.cpuUsage();
    t0 = performance.now();
  });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  lag.disable();
  return {
    ...r,
    rss_mb: round(Math.max(peak, process.memoryUsage.rss()) / 1048576),
    cpu_pct: round(((cpu.user + cpu.system) / 1000 / wall) * 100),
    // CPU time per message holds up on a busy machine, where wall-clock rates and lag do not.
    cpu_us_per_msg: round((cpu.user + cpu.system) / Math.max(1, r.msgs_received)),
    loop_lag_ms_p99: round(lag.percentile(99) / 1e6),
    duration_s: round(wall / 1000),
  };
}

interface Tally {
  connectMs: number[];
  latency: Samples;
  errors: Record<string, number>;
  accepted: AcceptedBits;
  sent: number;
  unanswered: number;
}

/**
 * Every virtual user's stream of actions; `send` resolves when the backend accepted the action.
 * User `vu` starts at a random point within the first gap (as arrivals would) and sends every
 * `gapMs` from there, on schedule whether or not the last was answered. One scheduler walks the
 * merged timetable, and the bench counts what is in flight instead of holding promises: a sleeping
 * loop per user, and 300,000 settled promises, would be the bench's memory billed to the side.
 */
async function users(plan: LoadPlan, side: Side, send: (vu: number, data: string) => Promise<void>, t: Tally): Promise<number> {
  const t0 = performance.now();
  const n = plan.connections;
  const total = n * plan.msgs;
  // Users in the order of their start within the first gap; message k goes to order[k % n], its (k / n)-th.
  const offset = Array.from({ length: n }, () => (plan.gapMs ? Math.random() * plan.gapMs : 0));
  const order = Array.from({ length: n }, (_, vu) => vu).sort((x, y) => offset[x]! - offset[y]!);
  const due = (k: number): number => t0 + offset[order[k % n]!]! + Math.floor(k / n) * plan.gapMs;
  let inFlight = 0;
  let k = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const settle = (): void => {
    if (--inFlight === 0 && k === total) done();
  };
  const tick = (): void => {
    const now = performance.now();
    for (; k < total && due(k) <= now; k++) {
      const vu = order[k % n]!;
      const i = Math.floor(k / n);
      const at = performance.now();
      t.sent++;
      inFlight++;
      send(vu, `${side}-${plan.name}-${vu}-${i}`).then(
        () => {
          t.latency.push(performance.now() - at);
          t.accepted.set(vu * plan.msgs + i);
          settle();
        },
        (e: unknown) => {
          countError(t.errors, e);
          settle();
        },
      );
    }
    if (k < total) setTimeout(tick, Math.max(1, due(k) - performance.now()));
    else if (inFlight === 0) done();
  };
  tick();
  await finished;
  return (performance.now() - t0) / 1000;
}

function result(name: string, version: string, plan: LoadPlan, t: Tally, secs: number) {
  return {
    name,
    version,
    connections: plan.connections,
    connected: t.connectMs.length,
    connect_ms_p50: q(t.connectMs, 0.5),
    connect_ms_p99: q(t.connectMs, 0.99),
    msgs_sent: t.sent,
    msgs_received: t.accepted.count,
    msgs_per_s: Math.round(t.accepted.count / secs),
    latency_ms_p50: t.latency.quantile(0.5),
    latency_ms_p95: t.latency.quantile(0.95),
    latency_ms_p99: t.latency.quantile(0.99),
    errors: t.errors,
    accepted: t.accepted.encode(),
    unanswered: t.unanswered,
  };
}

const tally = (plan: LoadPlan): Tally => {
  const size = plan.connections * plan.msgs;
  return { connectMs: [], latency: new Samples(size), errors: {}, accepted: new AcceptedBits(size), sent: 0, unanswered: 0 };
};

/** Ours: one PoolManager, one pool of `connections` sockets over every instance. */
export function runOurs(plan: LoadPlan, urls: string[], token: string): Promise<SideResult> {
  const t = tally(plan);
  // The pool opens every socket at once; the factory times each from creation to the backend's welcome.
  const factory = (url: string): WebSocket => {
    const ws = defaultSocketFactory(url);
    const at = performance.now();
    ws.once('message', () => t.connectMs.push(performance.now() - at));
    return ws;
  };
  const pool: PoolConfig = {
    name: 'load',
    endpoints: urls,
    maxConnections: plan.connections,
    healthCheckInterval: plan.tuned ? 1_000 : 250,
    reconnectAttempts: 5,
    strategy: plan.tuned ? 'least-connections' : 'health-weighted',
    handshakeTimeout: plan.tuned ? 10_000 : undefined,
  };
  limitHeapGrowth(); // as the console's main process does at startup
  // Defaults go in without the screens' schema: it caps a pool at 64 sockets, and these hold up to 1,000.
  const mgr = new PoolManager({ token, store: memoryPoolStore(), defaults: [pool], socketFactory: factory, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  return measured(async (steady) => {
    mgr.start();
    const deadline = performance.now() + CONNECT_DEADLINE_MS;
    while (t.connectMs.length < plan.connections && performance.now() < deadline) await sleep(20);
    if (t.connectMs.length < plan.connections) t.errors['connect-failed'] = plan.connections - t.connectMs.length;
    steady();
    const secs = await users(plan, 'ours', (_vu, data) => mgr.request('action', { kind: 'sync', data }).then(() => undefined), t);
    mgr.stop();
    return result('ours', 'PoolManager', plan, t, secs);
  });
}

/** The peer: a plain ws socket per virtual user, hello then requests; no pool, no retry. */
export function runPeer(plan: LoadPlan, urls: string[], token: string): Promise<SideResult> {
  const t = tally(plan);
  return measured(async (steady) => {
    const sockets = await Promise.all(Array.from({ length: plan.connections }, (_, vu) => peerSocket(urls[vu % urls.length]!, token, t)));
    steady();
    const secs = await users(
      plan,
      'peer',
      (vu, data) => {
        const s = sockets[vu];
        return s ? s.request(data) : Promise.reject(Object.assign(new Error('not connected'), { code: 'connect-failed' }));
      },
      t,
    );
    for (const s of sockets) s?.close();
    return result('ws', wsVersion, plan, t, secs);
  });
}

interface PeerSocket {
  request(data: string): Promise<void>;
  close(): void;
}

async function peerSocket(url: string, token: string, t: Tally): Promise<PeerSocket | null> {
  const at = performance.now();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const waiting = new Map<string, { resolve(): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  const opened = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), CONNECT_DEADLINE_MS);
    ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', versions: [1], token, client: 'load-peer' })));
    ws.once('message', () => (clearTimeout(timer), resolve(true)));
    ws.once('error', () => (clearTimeout(timer), resolve(false)));
  });
  if (!opened) {
    ws.terminate();
    t.errors['connect-failed'] = (t.errors['connect-failed'] ?? 0) + 1;
    return null;
  }
  t.connectMs.push(performance.now() - at);
  ws.on('message', (raw) => {
    const f = JSON.parse(raw.toString()) as { t: string; id?: string; ok?: boolean; error?: { code: string; message: string } };
    const w = f.id ? waiting.get(f.id) : undefined;
    if (!w || f.t !== 'reply') return;
    waiting.delete(f.id!);
    clearTimeout(w.timer);
    if (f.ok) w.resolve();
    else w.reject(Object.assign(new Error(f.error?.message ?? 'refused'), { code: f.error?.code ?? 'refused' }));
  });
  ws.on('close', () => {
    for (const w of waiting.values()) {
      clearTimeout(w.timer);
      w.reject(Object.assign(new Error('closed'), { code: 'connection-lost' }));
    }
    waiting.clear();
  });
  ws.on('error', () => {});
  return {
    request: (data) =>
      new Promise<void>((resolve, reject) => {
        const id = randomUUID();
        const timer = setTimeout(() => (waiting.delete(id), reject(Object.assign(new Error('timed out'), { code: 'timeout' }))), REQUEST_TIMEOUT_MS);
        waiting.set(id, { resolve, reject, timer });
        ws.send(JSON.stringify({ t: 'req', id, op: 'action', body: { kind: 'sync', data } }));
      }),
    close: () => ws.close(),
  };
}

export const runSide = (side: Side, plan: LoadPlan, urls: string[], token: string): Promise<SideResult> =>
  side === 'ours' ? runOurs(plan, urls, token) : runPeer(plan, urls, token);
