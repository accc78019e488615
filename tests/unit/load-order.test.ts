import { describe, expect, it } from 'vitest';
import { runLoad, sideOrder, type SideRunner } from '../../bench/load/scenario';
import type { BackendFactory } from '../../bench/load/backend';
import { loadPlans } from '../../bench/load/plan';
import { AcceptedBits, type SideResult } from '../../bench/load/stats';

// The load bench's schedule, without sockets: who goes first, and on which backend.
describe('load scenario order', () => {
  it('alternates which side goes first from one scenario to the next, and an odd seed flips it', () => {
    expect([0, 1, 2, 3].map((i) => sideOrder(i))).toEqual([
      ['ours', 'peer'],
      ['peer', 'ours'],
      ['ours', 'peer'],
      ['peer', 'ours'],
    ]);
    expect([0, 1].map((i) => sideOrder(i, 1))).toEqual([
      ['peer', 'ours'],
      ['ours', 'peer'],
    ]);
    expect(sideOrder(0, 2)).toEqual(['ours', 'peer']);
  });

  it('runs each side on a backend started for it and closed after it, in the order it reports', async () => {
    const trace: string[] = [];
    let made = 0;
    const factory: BackendFactory = async () => {
      const n = ++made;
      trace.push(`start b${n}`);
      return { urls: [`ws://b${n}`], applied: async () => new Map(), close: async () => void trace.push(`close b${n}`) };
    };
    const run: SideRunner = async (side, plan, urls) => {
      trace.push(`${side} ${plan.name} on ${urls[0]!.slice(5)}`);
      const size = plan.connections * plan.msgs;
      return { name: side, version: '1', connections: plan.connections, connected: plan.connections, accepted: new AcceptedBits(size).encode(), unanswered: 0, msgs_received: 0 } as unknown as SideResult;
    };
    const plans = loadPlans(true).slice(0, 2);
    const lines = await runLoad(plans, { name: 'fake', factory }, run, () => {});
    expect(trace).toEqual([
      'start b1', 'ours basic on b1', 'close b1',
      'start b2', 'peer basic on b2', 'close b2',
      'start b3', 'peer high-concurrency on b3', 'close b3',
      'start b4', 'ours high-concurrency on b4', 'close b4',
    ]);
    expect(lines.map((l) => l.order)).toEqual([
      ['ours', 'peer'],
      ['peer', 'ours'],
    ]);
    expect(lines.map((l) => l.peer.name)).toEqual(['peer', 'peer']);
  });
});
