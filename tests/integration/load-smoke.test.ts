import { describe, expect, it } from 'vitest';
import { inProcessBackend, backendFactory } from '../../bench/load/backend';
import { runSide } from '../../bench/load/drive';
import { loadPlans, type LoadPlan } from '../../bench/load/plan';
import { runLoad, score } from '../../bench/load/scenario';

// The load bench's own logic at a small scale, in this process, so it cannot rot between bench runs.
const small = (p: LoadPlan): LoadPlan => ({ ...p, connections: Math.min(p.connections, 6), msgs: Math.min(p.msgs, 3), gapMs: Math.min(p.gapMs, 20) });

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
    const side = { accepted: ['ours-basic-0-0', 'ours-basic-0-1'], unanswered: 1, msgs_received: 2 } as Parameters<typeof score>[2];
    const applied = new Map([['ours-basic-0-0', 2], ['peer-basic-0-1', 3]]);
    const s = score('ours', plan, side, applied);
    expect(s.lost).toBe(2); // 0-1 never applied, plus one never answered
    expect(s.duplicated).toBe(1); // ours-basic-0-0 twice; the peer's tag is not ours
  });

  it('names what --backend redis needs until the Redis mode exists', () => {
    expect(backendFactory('redis')).toMatch(/not wired into the load scenarios yet/);
  });
});
