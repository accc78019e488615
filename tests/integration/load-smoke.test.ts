import { describe, expect, it } from 'vitest';
import { inProcessBackend, backendFactory } from '../../bench/load/backend';
import { ActionLogFollower, redisBackend } from '../../bench/load/redis-backend';
import { redisMissing } from '../helpers/redis-server';
import { runSide } from '../../bench/load/drive';
import { loadPlans, type LoadPlan } from '../../bench/load/plan';
import { runLoad, score } from '../../bench/load/scenario';
import { AcceptedBits, q, Samples } from '../../bench/load/stats';

// The load bench's own logic at a small scale, in this process, so it cannot rot between bench runs.
const small = (p: LoadPlan): LoadPlan => ({ ...p, connections: Math.min(p.connections, 6), msgs: Math.min(p.msgs, 3), gapMs: Math.min(p.gapMs, 20) });

const missing = redisMissing();
if (missing) console.warn(`${missing}: skipping the load smoke run on Redis`);

describe('load scenarios (smoke)', () => {
  it('runs every quick plan, ours and the peer, and scores both against the backend: all accepted, none lost or doubled', async () => {
    const plans = loadPlans(true).map(small);
    const lines = await runLoad(plans, { name: 'in-process', factory: inProcessBackend }, runSide, () => {});
    expect(lines.map((l) => l.scenario)).toEqual(['load-basic', 'load-high-concurrency', 'load-queue-stress', 'load-sustained', 'load-tuned']);
    for (const l of lines) {
      for (const side of [l, l.peer]) {
        expect(side.connected, l.scenario).toBe(side.connections);
        expect(side.success_rate, l.scenario).toBe(1);
        expect(side.msgs_received).toBe(side.connections * 3);
        expect([side.lost, side.duplicated]).toEqual([0, 0]);
        expect(side.latency_ms_p99).toBeGreaterThan(0);
        expect(side.rss_mb).toBeGreaterThan(0);
      }
      expect(l.peer.name).toBe('ws');
    }
  }, 60_000);

  it('counts an accepted message the backend never applied as lost, and a second application as duplicated', () => {
    const plan = small(loadPlans(true)[0]!);
    const bits = new AcceptedBits(plan.connections * plan.msgs);
    bits.set(0); // ours-basic-0-0
    bits.set(1); // ours-basic-0-1
    const side = { accepted: bits.encode(), unanswered: 1, msgs_received: 2 } as Parameters<typeof score>[2];
    const applied = new Map([['ours-basic-0-0', 2], ['peer-basic-0-1', 3]]);
    const s = score('ours', plan, side, applied);
    expect(s.lost).toBe(2); // 0-1 never applied, plus one never answered
    expect(s.duplicated).toBe(1); // ours-basic-0-0 twice; the peer's tag is not ours
  });

  it('keeps accepted actions as bits that name the same tags, and latencies whose quantiles match the plain ones', () => {
    const plan = small(loadPlans(true)[0]!); // 6 users × 3 messages
    const bits = new AcceptedBits(plan.connections * plan.msgs);
    for (const i of [0, 7, 17]) bits.set(i);
    expect([...AcceptedBits.indices(bits.encode())]).toEqual([0, 7, 17]);
    expect(bits.count).toBe(3);
    // vu 2, message 1 (index 7) applied; 0 and 17 (vu 5, message 2) not
    const s = score('ours', plan, { accepted: bits.encode(), unanswered: 0, msgs_received: 3 } as Parameters<typeof score>[2], new Map([['ours-basic-2-1', 1]]));
    expect(s.lost).toBe(2);

    const xs = Array.from({ length: 1_001 }, (_, i) => (i * 7919) % 1_001 / 3);
    const samples = new Samples(2_000);
    for (const x of xs) samples.push(x);
    for (const p of [0.5, 0.95, 0.99]) expect(samples.quantile(p)).toBe(q(xs, p));
    expect(new Samples(4).quantile(0.5)).toBeNull();
  });

  it.skipIf(!!missing)('runs against backend processes on Redis and reads lost and duplicated from the action log there', async () => {
    const plans = loadPlans(true).filter((p) => p.name === 'basic' || p.name === 'queue-stress').map(small);
    const lines = await runLoad(plans, { name: 'redis', factory: redisBackend }, runSide, () => {});
    for (const l of lines) {
      expect(l.backend).toBe('redis');
      for (const side of [l, l.peer]) {
        expect(side.success_rate, l.scenario).toBe(1);
        expect([side.lost, side.duplicated], l.scenario).toEqual([0, 0]);
      }
    }
  }, 120_000);

  it('follows a trimmed action log across reads: every application counted once, a repeat counted again, falling behind said', async () => {
    let log: string[] = [];
    const keep = 10_000; // the real log keeps 100,000
    const push = (key: string, data: string) => {
      log.push(JSON.stringify({ key, kind: 'sync', data }));
      log = log.slice(-keep);
    };
    let pushedMeanwhile = 0; // the log grows between reading its length and reading its entries
    const follower = new ActionLogFollower(
      async (n) => {
        for (let i = 0; i < pushedMeanwhile; i++) push(`m${log.length}-${i}`, `m${log.length}-${i}`);
        return n === Infinity ? log.slice() : log.slice(-n);
      },
      async () => log.length,
    );
    await follower.poll(); // empty
    for (let i = 0; i < 6_000; i++) push(`k${i}`, `d${i}`);
    pushedMeanwhile = 437;
    await follower.poll();
    expect(follower.applied.size).toBe(log.length); // the first read, which began before the last 437
    pushedMeanwhile = 0;
    for (let i = 6_000; i < 15_000; i++) push(`k${i}`, `d${i}`); // the first 5,000 are trimmed away
    push('k14999', 'd14999'); // applied twice
    await follower.poll();
    const extra = log.filter((e) => e.includes('"m')).length;
    expect(follower.applied.size).toBe(15_000 + extra);
    expect([...follower.applied.values()].reduce((a, b) => a + b, 0)).toBe(15_001 + extra);
    expect(follower.applied.get('d14999')).toBe(2);
    await follower.poll(); // nothing new
    expect(follower.applied.size).toBe(15_000 + extra);
    for (let i = 15_000; i < 15_000 + keep + 1; i++) push(`k${i}`, `d${i}`); // more than the log keeps, unread
    await expect(follower.poll()).rejects.toThrow(/fell more than/);
  });

  it('says what --backend redis needs when redis-server is not installed', () => {
    expect(backendFactory('redis')).toSatisfy((f: unknown) => (missing ? typeof f === 'string' && /needs Redis: .*apt-get install redis-server/.test(f) : typeof f === 'function'));
  });
});
