import { describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { HealthTracker } from '../../src/main/core/pool/health';
import type { ConnectionPool } from '../../src/main/core/pool/pool';
import type { PoolConfig } from '../../src/shared/pools';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/**
 * A manager over fake sockets with one pool named 'p' (heartbeats far apart, so only what the test
 * does happens); `open()` opens and welcomes every socket made since the last call.
 */
function fakeManager(config: Pick<PoolConfig, 'endpoints' | 'maxConnections' | 'strategy'>) {
  const made: FakeSocket[] = [];
  const mgr = new PoolManager({
    token: 't',
    clock: new FakeClock(),
    store: memoryPoolStore(),
    defaults: [{ name: 'p', healthCheckInterval: 60_000, reconnectAttempts: 3, ...config }],
    socketFactory: () => {
      const s = new FakeSocket();
      made.push(s);
      return s as unknown as WebSocket;
    },
  });
  const open = (): void => {
    for (const s of made.splice(0)) {
      s.emit('open');
      s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
    }
  };
  const pool = (): ConnectionPool => (mgr as unknown as { pools: Map<string, ConnectionPool> }).pools.get('p')!;
  return { mgr, open, pool };
}

describe('opening a large pool', () => {
  it('costs about the same per socket at 600 sockets as at 60, opening and stopping: nothing per socket walks or sorts the pool', () => {
    const scoreReads = (n: number): number => {
      // Larger than the screens allow (64), as the load bench sets in code.
      const { mgr, open } = fakeManager({ endpoints: ['ws://a:1', 'ws://b:1', 'ws://c:1'], maxConnections: n, strategy: 'health-weighted' });
      const spy = vi.spyOn(HealthTracker.prototype, 'score', 'get');
      try {
        mgr.start();
        open();
        expect(mgr.list()[0]!.sockets.filter((s) => s.state === 'open')).toHaveLength(n);
        mgr.stop(); // closing them one by one must not pick a doomed socket to replace each
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    // Before: each opening sorted its endpoint's sockets by score (about 600 × 200 × log 200 reads),
    // and at shutdown each closing subscriber was replaced by another socket about to close.
    expect(scoreReads(600)).toBeLessThan(10 * scoreReads(60) + 100);
  });
});

describe('a manager stopped and started again', () => {
  it('holds the event stream again: the feed is not left stopped', () => {
    const { mgr, open } = fakeManager({ endpoints: ['ws://a:1', 'ws://b:1'], maxConnections: 2, strategy: 'round-robin' });
    mgr.start();
    open();
    expect(mgr.list()[0]!.sockets.filter((s) => s.subscribed)).toHaveLength(2);
    mgr.stop();
    mgr.start();
    open();
    expect(mgr.list()[0]!.sockets.filter((s) => s.subscribed)).toHaveLength(2);
    mgr.stop();
  });
});

describe('the event feed and a degraded subscriber', () => {
  it('moves off it once and does not pick it back, even when it is its endpoint’s only socket', () => {
    // b gets two sockets, a one.
    const { mgr, open, pool } = fakeManager({ endpoints: ['ws://b:1', 'ws://a:1'], maxConnections: 3, strategy: 'round-robin' });
    mgr.start();
    open();
    const onA = pool().sockets().find((s) => s.endpoint === 'ws://a:1')!;
    expect(onA.subscribed).toBe(true);
    for (let i = 0; i < 30; i++) onA.health.outcome(false); // its instance fails every request
    expect(onA.routable).toBe(false);
    for (let i = 0; i < 3; i++) mgr.feed.ensure(); // as each rotation change and opening does
    expect(onA.subscribed).toBe(false);
    expect(pool().sockets().filter((s) => s.subscribed).map((s) => s.endpoint)).toEqual(['ws://b:1', 'ws://b:1']);
    mgr.stop();
  });
});
