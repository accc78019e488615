import { describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { HealthTracker } from '../../src/main/core/pool/health';
import type { ConnectionPool } from '../../src/main/core/pool/pool';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

describe('opening a large pool', () => {
  it('costs about the same per socket at 600 sockets as at 60, opening and stopping: nothing per socket walks or sorts the pool', () => {
    const scoreReads = (n: number): number => {
      const socks: FakeSocket[] = [];
      const mgr = new PoolManager({
        token: 't',
        clock: new FakeClock(),
        store: memoryPoolStore(),
        // Larger than the screens allow (64), as the load bench sets in code.
        defaults: [{ name: 'big', endpoints: ['ws://a:1', 'ws://b:1', 'ws://c:1'], maxConnections: n, healthCheckInterval: 60_000, reconnectAttempts: 3, strategy: 'health-weighted' }],
        socketFactory: () => {
          const s = new FakeSocket();
          socks.push(s);
          return s as unknown as WebSocket;
        },
      });
      const spy = vi.spyOn(HealthTracker.prototype, 'score', 'get');
      try {
        mgr.start();
        for (const s of socks) {
          s.emit('open');
          s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
        }
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
    const socks: FakeSocket[] = [];
    const mgr = new PoolManager({
      token: 't',
      clock: new FakeClock(),
      store: memoryPoolStore(),
      defaults: [{ name: 'p', endpoints: ['ws://a:1', 'ws://b:1'], maxConnections: 2, healthCheckInterval: 60_000, reconnectAttempts: 3, strategy: 'round-robin' }],
      socketFactory: () => {
        const s = new FakeSocket();
        socks.push(s);
        return s as unknown as WebSocket;
      },
    });
    const open = () => {
      for (const s of socks.splice(0)) {
        s.emit('open');
        s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
      }
    };
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
    const socks: FakeSocket[] = [];
    const mgr = new PoolManager({
      token: 't',
      clock: new FakeClock(),
      store: memoryPoolStore(),
      // b gets two sockets, a one.
      defaults: [{ name: 'p', endpoints: ['ws://b:1', 'ws://a:1'], maxConnections: 3, healthCheckInterval: 60_000, reconnectAttempts: 3, strategy: 'round-robin' }],
      socketFactory: () => {
        const s = new FakeSocket();
        socks.push(s);
        return s as unknown as WebSocket;
      },
    });
    mgr.start();
    for (const s of socks) {
      s.emit('open');
      s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
    }
    const pool = (mgr as unknown as { pools: Map<string, ConnectionPool> }).pools.get('p')!;
    const onA = pool.sockets().find((s) => s.endpoint === 'ws://a:1')!;
    expect(onA.subscribed).toBe(true);
    for (let i = 0; i < 30; i++) onA.health.outcome(false); // its instance fails every request
    expect(onA.routable).toBe(false);
    for (let i = 0; i < 3; i++) mgr.feed.ensure(); // as each rotation change and opening does
    expect(onA.subscribed).toBe(false);
    expect(pool.sockets().filter((s) => s.subscribed).map((s) => s.endpoint)).toEqual(['ws://b:1', 'ws://b:1']);
    mgr.stop();
  });
});
