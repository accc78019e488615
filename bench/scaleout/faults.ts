/**
 * Real faults from outside the processes, one at a time, against one client under test, while a
 * door writes a check-in to the shared gym every 2 ms. Each fault hits the process the client is
 * receiving events from: SIGKILL (then started again), SIGSTOP (then SIGCONT), a blackhole in the
 * TCP proxy in front of it (then healed), a rolling restart of every process one at a time (SIGTERM,
 * as a deploy does), or a Redis restart. Lost and duplicated are counted by the gym's seq.
 */
import type { RedisGym } from '../../src/server/redis/redis-gym';
import type { RedisServer } from '../../tests/helpers/redis-server';
import type { FaultProxy } from '../../tests/helpers/fault-proxy';
import { now, Received, Signal, sleep, waitUntil } from '../measure';

export const FAULT_KINDS = ['sigkill', 'sigstop', 'blackhole', 'rolling_restart', 'redis_restart'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** The kinds where one process stops answering and the client must notice by itself. */
const SILENT: readonly FaultKind[] = ['sigstop', 'blackhole'];

/** The processes of one phase: our backend or the Socket.IO nodes, with the same verbs. */
export interface Procs {
  urls: string[];
  kill(k: number): Promise<void>;
  stop(k: number): void;
  cont(k: number): void;
  restart(k: number, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  close(): Promise<void>;
}

export interface Rig {
  redis: RedisServer;
  procs: Procs;
  /** One per process; the client reaches process k through proxies[k]. */
  proxies: FaultProxy[];
  /** The door: writes check-ins straight to the shared gym, whichever process is down. */
  door: RedisGym;
}

/** The client under test, as the fault runner sees it. */
export interface Subject {
  name: string;
  /** Index of the process to fault now: the one it receives events from. */
  target(roll: number): number;
  /** Back to full strength, so the next fault starts from the same place. */
  healthy(): boolean;
  /** Fires when the client itself gives up on process k. */
  watchDetect(k: number): Signal;
  onEvent(fn: (seq: number) => void): void;
  /** A front-desk check-in, resent with the same id until some instance answers (ours only). */
  checkIn?(id: string): Promise<void>;
  describe?(): string;
}

export interface Limits {
  /** How long a switch or detection is waited for before it is recorded at this value. */
  capMs: number;
  healthyMs: number;
  /** With no faults planned: how long to run fault-free (the soak). */
  soakMs?: number;
}

export interface FaultResult {
  faults: number;
  fault_kinds: Record<FaultKind, number>;
  switch: number[];
  detect: number[];
  checkin: number[];
  /** Check-ins issued during a Redis restart wait for Redis: kept apart from the process and network faults. */
  checkin_redis_restart: number[];
  switch_timeouts: number;
  detect_timeouts: number;
  not_healthy: number;
  emitted: number;
  door_failed: number;
  received: number;
  lost: number;
  duplicated: number;
  duration_s: number;
}

/** `count` faults, the kinds taken in turn (every kind present from 5 faults on), with seeded rolls. */
export function planFaults(count: number, rand: () => number): { kind: FaultKind; roll: number }[] {
  return Array.from({ length: count }, (_, i) => ({ kind: FAULT_KINDS[i % FAULT_KINDS.length]!, roll: rand() }));
}

/** The gym's newest seq, read from Redis (waiting out a reconnect after a Redis restart). */
async function headOf(door: RedisGym): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      return (await door.snapshot(1)).head;
    } catch (e) {
      if (i >= 100) throw e;
      await sleep(100);
    }
  }
}

export async function runFaults(rig: Rig, subject: Subject, plan: { kind: FaultKind; roll: number }[], limits: Limits, log: (m: string) => void): Promise<FaultResult> {
  const { procs, proxies, redis, door } = rig;
  const kinds = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const r: FaultResult = { faults: 0, fault_kinds: kinds, switch: [], detect: [], checkin: [], checkin_redis_restart: [], switch_timeouts: 0, detect_timeouts: 0, not_healthy: 0, emitted: 0, door_failed: 0, received: 0, lost: 0, duplicated: 0, duration_s: 0 };
  const startSeq = await headOf(door);
  const received = new Received(startSeq);
  let issued = startSeq;
  let watch: { faultSeq: number; signal: Signal } | null = null;
  subject.onEvent((seq) => {
    received.add(seq);
    if (watch && seq > watch.faultSeq) watch.signal.fire();
  });

  let running = true;
  let n = 0;
  const doorTimer = setInterval(() => {
    door.checkIn(`door-${startSeq}-${n++}`, 'door').then(
      (reply) => (issued = Math.max(issued, reply.seq ?? 0)),
      () => r.door_failed++, // Redis away: the door's scan was refused, never applied, so never owed
    );
  }, 2);
  // The front desk: one check-in every 100 ms while a fault is on.
  let inFault: FaultKind | null = null;
  const desk = (async () => {
    for (let i = 0; running; i++) {
      await sleep(100);
      if (!inFault || !subject.checkIn) continue;
      const t = now();
      const kind = inFault;
      await subject.checkIn(`desk-${startSeq}-${i}`);
      (kind === 'redis_restart' ? r.checkin_redis_restart : r.checkin).push(now() - t);
    }
  })();

  const started = now();
  await sleep(200);
  if (!plan.length && limits.soakMs) await sleep(limits.soakMs);
  const step = Math.max(1, Math.round(plan.length / 10));
  for (const [i, { kind, roll }] of plan.entries()) {
    const k = subject.target(roll);
    const signal = new Signal();
    const detect = subject.watchDetect(k);
    watch = { faultSeq: issued, signal };
    inFault = kind;
    const t0 = now();
    r.faults++;
    kinds[kind]++;
    if (kind === 'sigkill') await procs.kill(k);
    else if (kind === 'sigstop') procs.stop(k);
    else if (kind === 'blackhole') proxies[k]!.blackhole();

    if (kind === 'rolling_restart') {
      for (let p = 0; p < procs.urls.length; p++) {
        await procs.restart(p, 'SIGTERM');
        if (!(await waitUntil(subject.healthy, limits.healthyMs, 10))) r.not_healthy++;
      }
    } else if (kind === 'redis_restart') {
      await redis.restart();
      await waitUntil(() => door.available, limits.healthyMs, 10);
    } else {
      const at = await signal.wait(limits.capMs);
      if (at === null) r.switch_timeouts++;
      r.switch.push((at ?? t0 + limits.capMs) - t0);
      if (SILENT.includes(kind)) {
        const d = await detect.wait(limits.capMs);
        if (d === null) r.detect_timeouts++;
        r.detect.push((d ?? t0 + limits.capMs) - t0);
      }
      if (kind === 'sigkill') await procs.restart(k);
      else if (kind === 'sigstop') procs.cont(k);
      else proxies[k]!.heal();
    }
    watch = null;
    if (!(await waitUntil(subject.healthy, limits.healthyMs, 10))) {
      r.not_healthy++;
      log(`  ${subject.name}: not back to full strength ${limits.healthyMs} ms after ${kind} of process ${k}: ${subject.describe?.() ?? ''}`);
    }
    inFault = null;
    await sleep(50);
    if ((i + 1) % step === 0 || i + 1 === plan.length) log(`  ${subject.name}: ${i + 1}/${plan.length} faults (${kind}), ${((now() - started) / 1000).toFixed(0)} s`);
  }

  running = false;
  clearInterval(doorTimer);
  await desk;
  await sleep(200); // the door's last replies
  const lastSeq = await headOf(door);
  // Stragglers: until nothing is missing, or nothing new arrived for 2 s (bounded either way).
  let seen = received.total;
  let quietSince = now();
  await waitUntil(
    () => {
      if (received.total !== seen) [seen, quietSince] = [received.total, now()];
      return received.missing(lastSeq) === 0 || now() - quietSince > 2_000;
    },
    limits.healthyMs,
    20,
  );
  Object.assign(r, { emitted: lastSeq - startSeq, received: received.total, lost: received.missing(lastSeq), duplicated: received.duplicated, duration_s: (now() - started) / 1000 });
  return r;
}
