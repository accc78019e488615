import { describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { HealthTracker } from '../../src/main/core/pool/health';
import { Heartbeat } from '../../src/main/core/pool/heartbeat';
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
  const all: FakeSocket[] = [];
  const mgr = new PoolManager({
    token: 't',
    clock: new FakeClock(),
    store: memoryPoolStore(),
    defaults: [{ name: 'p', healthCheckInterval: 60_000, reconnectAttempts: 3, ...config }],
    socketFactory: () => {
      const s = new FakeSocket();
      made.push(s);
      all.push(s);
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
  /** What was sent on every socket made so far, by type. */
  const sentOf = (t: string): number => all.reduce((n, s) => n + s.sent.filter((f) => (JSON.parse(f) as { t: string }).t === t).length, 0);
  return { mgr, open, pool, sentOf };
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

describe('opening a large pool: what a new socket learns of its link', () => {
  it('copies what the endpoint has learned once per new socket at most, not every other socket\'s each time', () => {
    const copies = (n: number): number => {
      const { mgr, open } = fakeManager({ endpoints: ['ws://a:1', 'ws://b:1', 'ws://c:1'], maxConnections: n, strategy: 'round-robin' });
      const spy = vi.spyOn(Heartbeat.prototype, 'gaps');
      try {
        mgr.start();
        open();
        mgr.stop();
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    // Before: each new socket copied the gaps of every socket of its endpoint opened before it (600²/6 copies).
    expect(copies(600)).toBeLessThanOrEqual(600 + 600);
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

describe('the event feed and a subscriber out of rotation', () => {
  const subscribedTo = (pool: ConnectionPool): string[] =>
    pool
      .sockets()
      .filter((s) => s.subscribed)
      .map((s) => s.endpoint)
      .sort();

  it('keeps it when it holds the only other instance, and changes nothing at each ensure', () => {
    // b gets two sockets, a one.
    const { mgr, open, pool, sentOf } = fakeManager({ endpoints: ['ws://b:1', 'ws://a:1'], maxConnections: 3, strategy: 'round-robin' });
    mgr.start();
    open();
    const onA = pool().sockets().find((s) => s.endpoint === 'ws://a:1')!;
    expect(onA.subscribed).toBe(true);
    for (let i = 0; i < 30; i++) onA.health.outcome(false); // its instance fails every request
    expect(onA.routable).toBe(false);
    const [subs, unsubs] = [sentOf('sub'), sentOf('unsub')];
    for (let i = 0; i < 3; i++) mgr.feed.ensure(); // as each rotation change and opening does
    // Both on b would lose the stream with b; a keeps streaming what b would miss.
    expect(subscribedTo(pool())).toEqual(['ws://a:1', 'ws://b:1']);
    expect([sentOf('sub') - subs, sentOf('unsub') - unsubs]).toEqual([0, 0]);
    mgr.stop();
  });

  it('moves off it once, to a socket in rotation on an instance the other subscriber does not hold', () => {
    const { mgr, open, pool, sentOf } = fakeManager({ endpoints: ['ws://a:1', 'ws://b:1', 'ws://c:1'], maxConnections: 3, strategy: 'round-robin' });
    mgr.start();
    open();
    const [first] = pool().sockets().filter((s) => s.subscribed);
    for (let i = 0; i < 30; i++) first!.health.outcome(false);
    const unsubs = sentOf('unsub');
    for (let i = 0; i < 3; i++) mgr.feed.ensure();
    expect(first!.subscribed).toBe(false);
    expect(subscribedTo(pool())).toHaveLength(2);
    expect(new Set(subscribedTo(pool())).size).toBe(2);
    expect(sentOf('unsub') - unsubs).toBe(1);
    mgr.stop();
  });

  it('moves both subscribers out of rotation only as far as it must: one to its in-rotation sibling, the other stays', () => {
    // a gets two sockets, b one; both subscribers fall out of rotation, a's other socket does not.
    const { mgr, open, pool, sentOf } = fakeManager({ endpoints: ['ws://a:1', 'ws://b:1'], maxConnections: 3, strategy: 'round-robin' });
    mgr.start();
    open();
    const subs = pool().sockets().filter((s) => s.subscribed);
    expect(subs.map((s) => s.endpoint).sort()).toEqual(['ws://a:1', 'ws://b:1']);
    for (const s of subs) for (let i = 0; i < 30; i++) s.health.outcome(false);
    const sibling = pool().sockets().find((s) => !s.subscribed)!;
    const unsubs = sentOf('unsub');
    for (let i = 0; i < 3; i++) mgr.feed.ensure();
    expect(sibling.subscribed).toBe(true);
    expect(subscribedTo(pool())).toEqual(['ws://a:1', 'ws://b:1']);
    expect(sentOf('unsub') - unsubs).toBe(1); // b's was never unsubscribed and subscribed again
    mgr.stop();
  });

  it('replaces a lost subscriber on the instance nobody holds, even out of rotation, not beside the other', () => {
    // Two sockets each on a and b; a's second socket is out of rotation (its instance flapped), b's are fine.
    const { mgr, open, pool } = fakeManager({ endpoints: ['ws://a:1', 'ws://b:1'], maxConnections: 4, strategy: 'round-robin' });
    mgr.start();
    open();
    const onA = pool().sockets().filter((s) => s.endpoint === 'ws://a:1');
    const subscribedOnA = onA.find((s) => s.subscribed)!;
    const otherOnA = onA.find((s) => !s.subscribed)!;
    for (let i = 0; i < 30; i++) otherOnA.health.outcome(false);
    expect(otherOnA.routable).toBe(false);
    // The subscriber on a goes; nothing else on a is in rotation.
    subscribedOnA.conn.close('test: gone');
    expect(otherOnA.subscribed).toBe(true);
    expect(subscribedTo(pool())).toEqual(['ws://a:1', 'ws://b:1']);
    mgr.stop();
  });
});
