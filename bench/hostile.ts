/**
 * The built headless host under attack: backend instances that send hostile traffic (tests/helpers/
 * hostile-backend.ts) while a fuzzing client hammers the bridge and the HTTP server. Counts crashes
 * and exits, RSS against the RSS at start, protocol errors and quarantines, and the latency of a
 * well-behaved bridge probe; afterwards, pointed at a healthy backend, a check-in must round-trip.
 */
import { spawn, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { quantile } from 'simple-statistics';
import { startCluster } from '../src/server/cluster';
import { ATTACKS, startHostileBackend, type Attack } from '../tests/helpers/hostile-backend';
import { fuzzHost } from '../tests/helpers/hostile-requests';
// The environment `npm run web` and `npm start` give the host (jemalloc on Linux when installed).
import { hostEnv } from '../scripts/host-env.mjs';
import type { BridgeFrame } from '../src/shared/web-bridge';
import type { Result } from '../src/shared/result';
import type { Snapshot } from '../src/shared/state';
import type { ScenarioOptions } from './scenario';

export interface HostileResult {
  scenario: 'hostile';
  frames_sent: number;
  requests_fuzzed: number;
  /** Bridge connections the console closed for sending past its per-screen limits (its defence; the fuzzer reopens). */
  bridge_closed_for_limits: number;
  crashes: number;
  exits: number;
  /** RSS of the freshly started host, connected and idle. */
  rss_mb_cold: number;
  /** RSS at the start of the attack: after a warm-up of honest traffic and the same quiet minute as after it. */
  rss_mb_start: number;
  rss_mb_max: number;
  rss_mb_after: number;
  /** The host's own V8 heap (from its 1 Hz perf feed): RSS that stays up with a heap back down is the allocator keeping pages, not a leak. */
  heap_mb_start: number;
  heap_mb_max: number;
  heap_mb_after: number;
  /** Within 20 % of the RSS at start, a quiet minute after the attack (before the switch to a healthy backend, whose roster the console then copies). */
  rss_back_within_20pct: boolean;
  /** rss_mb_max against the target's bound: 2x the cold RSS plus 50 MB. */
  rss_within_bound: boolean;
  protocol_errors: number;
  quarantines: number;
  bridge_probe_ms_p50: number;
  bridge_probe_ms_p99: number;
  bridge_probes: number;
  checkin_after_attack_ok: boolean;
  seconds: number;
}

const TOKEN = 'bench-hostile';
const WARM_MS = 30_000;
/** The console collects once it has been quiet for 10 s; V8 hands the freed pages back over the next 20 s or so. */
const SETTLE_MS = 60_000;
/** Attacks that bend valid traffic: never quarantined, so they carry the volume. */
const BENDING: Attack[] = ['out-of-order', 'duplicated', 'early-flood', 'stray-flood'];
const BREAKING = ATTACKS.filter((a) => !BENDING.includes(a));

const rssMb = (pid: number): number => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
};

/** One bridge connection, signed in, with calls matched by id. */
async function bridge(url: string) {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token')!;
  const ws = new WebSocket(`ws://${u.host}/bridge?token=${token}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const waiting = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as BridgeFrame;
    if ('id' in f && typeof f.id === 'number') waiting.get(f.id)?.(f.result);
  });
  let id = 0;
  const call = <T>(name: string, payload?: unknown) =>
    new Promise<Result<T>>((resolve) => {
      waiting.set(++id, resolve as (r: Result<unknown>) => void);
      ws.send(JSON.stringify({ id, name, payload }));
    });
  return { ws, token, call };
}

export async function hostile(opts: ScenarioOptions): Promise<HostileResult> {
  const targetFrames = opts.faults ?? (opts.quick ? 100_000 : 1_000_000);
  const targetRequests = Math.round(targetFrames / 10);
  execSync('npx electron-vite build', { stdio: 'ignore' });
  // Instance 0 behaves; 1-3 bend valid traffic; 4-7 break the protocol (and are quarantined for it).
  const hb = await startHostileBackend({ instances: 8, token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'bench-hostile-'));
  const child = spawn(process.execPath, ['out/main/web.js', '--backend', hb.urls.join(','), '--backend-token', TOKEN, '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: hostEnv() });
  let exits = 0;
  let crashes = 0;
  child.on('exit', () => exits++);
  child.stderr!.on('data', (d: Buffer) => {
    // The host's last-resort guard logs what it caught and keeps serving: each is a crash avoided, still counted.
    crashes += (d.toString().match(/console: unexpected /g) ?? []).length;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('host not ready in 20 s')), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /console ready: (\S+)/.exec(out);
      if (m) resolve((clearTimeout(timer), m[1]!));
    });
  });
  const b = await bridge(url);
  await b.call('auth.setup', { desk: '1111', manager: '2222', kiosk: '3333' });
  await b.call('auth.login', { role: 'manager', pin: '2222' });
  const snapshot = async () => ((await b.call<Snapshot>('state.snapshot')) as { value: Snapshot }).value;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if ((await snapshot()).gauges.connection.state !== 'offline') break;
  }
  await new Promise((r) => setTimeout(r, 3_000));
  const heap = async (): Promise<number> => (await snapshot()).feeds.perf.at(-1)?.heapMb ?? 0;
  const rssCold = rssMb(child.pid!);
  // "After" is a console that has carried traffic and then had a quiet minute; "start" is the same
  // console after honest traffic only, so the difference is what the attack left behind.
  opts.log(`hostile: host up, RSS ${rssCold} MB; ${WARM_MS / 1000} s of honest traffic, then a quiet minute`);
  const warm = setInterval(() => hb.emit(20), 10);
  await new Promise((r) => setTimeout(r, WARM_MS));
  clearInterval(warm);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const heapStart = await heap();
  let heapMax = heapStart;
  const rssStart = rssMb(child.pid!);
  let rssMax = rssStart;
  const rssTimer = setInterval(() => exits === 0 && (rssMax = Math.max(rssMax, rssMb(child.pid!))), 250);
  opts.log(`hostile: warm, RSS ${rssStart} MB; attacking until ${targetFrames} frames and ${targetRequests} fuzzed requests`);
  const attackStarted = Date.now();

  // A well-behaved screen asking every 50 ms: how long does the console take to answer it?
  const probe = await bridge(url);
  const probeMs: number[] = [];
  let probing = true;
  const probeLoop = (async () => {
    while (probing && exits === 0) {
      const t = performance.now();
      await probe.call('app.info');
      probeMs.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  let round = 0;
  const rotate = setInterval(() => {
    round++;
    for (let i = 1; i < 8; i++) {
      const set = i <= 3 ? BENDING : BREAKING;
      hb.setAttack(i, set[(round + i) % set.length]!);
    }
  }, 2_000);
  const events = setInterval(() => hb.emit(20), 10);
  // fuzzHost sends `count` bridge frames and `count` HTTP requests.
  const fuzzing = fuzzHost({ url, token: b.token, count: Math.ceil(targetRequests / 2), seed: opts.seed ?? 20261123 });
  let lastLog = Date.now();
  while (hb.attackFrames < targetFrames && exits === 0) {
    await new Promise((r) => setTimeout(r, 250));
    heapMax = Math.max(heapMax, await heap());
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      opts.log(`hostile: ${hb.attackFrames} frames, RSS ${rssMb(child.pid!)} MB (max ${rssMax})`);
    }
  }
  const fuzzed = await fuzzing;
  clearInterval(rotate);
  clearInterval(events);
  for (let i = 1; i < 8; i++) hb.setAttack(i, null);
  probing = false;
  await probeLoop;
  const attackSeconds = (Date.now() - attackStarted) / 1000;
  // Memory a quiet minute after the attack, still on the same backend: what the attack left behind.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const rssAfter = exits === 0 ? rssMb(child.pid!) : 0;
  const heapAfter = await heap();

  // Afterwards: the same console, pointed at a healthy backend, must check a member in.
  const healthy = await startCluster({ instances: 2, port: 0, token: TOKEN });
  const before = await snapshot();
  const pool = before.gauges.pools[0]!.config;
  await b.call('pools.configure', { name: pool.name, patch: { endpoints: healthy.urls, maxConnections: 4 } });
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if ((await snapshot()).gauges.connection.state === 'connected') break;
  }
  const card = [...healthy.gym.members][0]!.cardId;
  const checkin = await b.call<{ offline: boolean; verdict: unknown }>('desk.checkin', { cardId: card, source: 'desk' });
  const checkinOk = checkin.ok && !checkin.value.offline && checkin.value.verdict !== null;
  const final = await snapshot();
  const stored = await b.call<{ type: string }[]>('analytics.events', { range: { last: '1h' }, text: 'break the protocol', limit: 1_000 });
  const quarantines = stored.ok ? stored.value.filter((e) => e.type === 'quarantined').length : -1;
  clearInterval(rssTimer);
  b.ws.close();
  probe.ws.close();
  child.kill('SIGTERM');
  await healthy.close();
  await hb.close();
  const q = (p: number): number => Math.round(quantile(probeMs.length ? probeMs : [0], p) * 10) / 10;
  return {
    scenario: 'hostile',
    frames_sent: hb.attackFrames,
    requests_fuzzed: fuzzed.sent,
    bridge_closed_for_limits: fuzzed.limited,
    crashes: crashes + fuzzed.unexpected,
    exits,
    rss_mb_cold: rssCold,
    rss_mb_start: rssStart,
    rss_mb_max: rssMax,
    rss_mb_after: rssAfter,
    heap_mb_start: heapStart,
    heap_mb_max: heapMax,
    heap_mb_after: heapAfter,
    rss_back_within_20pct: rssAfter <= rssStart * 1.2,
    rss_within_bound: rssMax <= 2 * rssCold + 50,
    protocol_errors: final.gauges.connection.protocolErrors,
    quarantines,
    bridge_probe_ms_p50: q(0.5),
    bridge_probe_ms_p99: q(0.99),
    bridge_probes: probeMs.length,
    checkin_after_attack_ok: checkinOk,
    seconds: Math.round(attackSeconds),
  };
}

export function summarizeHostile(r: HostileResult): string {
  return [
    `hostile: ${r.frames_sent.toLocaleString()} hostile frames and ${r.requests_fuzzed.toLocaleString()} fuzzed requests in ${r.seconds} s`,
    `  crashes ${r.crashes}, exits ${r.exits}`,
    `  RSS ${r.rss_mb_cold} MB fresh, ${r.rss_mb_start} MB at start (warm), ${r.rss_mb_max} MB at most (bound ${2 * r.rss_mb_cold + 50}), ${r.rss_mb_after} MB after`,
    `  heap ${r.heap_mb_start} MB at start, ${r.heap_mb_max} MB at most, ${r.heap_mb_after} MB after`,
    `  ${r.protocol_errors.toLocaleString()} protocol errors counted, ${r.quarantines} quarantines`,
    `  bridge probe p50 ${r.bridge_probe_ms_p50} ms, p99 ${r.bridge_probe_ms_p99} ms over ${r.bridge_probes} probes`,
    `  check-in after the attack on a healthy backend: ${r.checkin_after_attack_ok ? 'ok' : 'FAILED'}`,
  ].join('\n');
}
