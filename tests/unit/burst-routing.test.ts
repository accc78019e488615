import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { ConnectionPool } from '../../src/main/core/pool/pool';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

// A one-instance gym (the usual kind) during a burst of events: the console must still answer the desk at once
// (event-burst.test.ts is the same in real processes). Each socket's frames are its own TCP stream, so an answer
// on the socket carrying the burst waits behind it.

function oneInstance(strategy: 'round-robin' | 'least-connections' | 'health-weighted', instanceOf: (socket: number) => string = () => 'i') {
  const made: FakeSocket[] = [];
  const mgr = new PoolManager({
    token: 't',
    clock: new FakeClock(),
    store: memoryPoolStore(),
    defaults: [{ name: 'gym', endpoints: ['ws://a:1'], maxConnections: 2, healthCheckInterval: 60_000, reconnectAttempts: 3, strategy }],
    socketFactory: () => {
      const s = new FakeSocket();
      made.push(s);
      return s as unknown as WebSocket;
    },
  });
  mgr.start();
  for (const [i, s] of made.entries()) {
    s.emit('open');
    s.frame({ t: 'welcome', version: 1, instance: instanceOf(i), heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
  }
  const pool = (mgr as unknown as { pools: Map<string, ConnectionPool> }).pools.get('gym')!;
  const of = (t: string) => made.map((s) => s.sent.filter((f) => (JSON.parse(f) as { t: string; op?: string }).op === t || (JSON.parse(f) as { t: string }).t === t).length);
  return { mgr, made, pool, of };
}

describe('a one-instance gym during a burst of events', () => {
  it('follows the stream on one socket of the instance, not both: a second would bring every event twice', () => {
    const { mgr, pool, of } = oneInstance('health-weighted');
    expect(pool.sockets().filter((s) => s.open)).toHaveLength(2);
    expect(pool.sockets().filter((s) => s.subscribed)).toHaveLength(1);
    expect(of('snapshot').reduce((a, b) => a + b, 0) + of('sub').reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    mgr.stop();
  });

  it('behind one address, two instances (a load balancer) each carry the stream: losing one costs no replay', () => {
    const { mgr, pool } = oneInstance('health-weighted', (i) => `i${i}`);
    expect(pool.sockets().filter((s) => s.subscribed)).toHaveLength(2);
    mgr.stop();
  });

  for (const strategy of ['round-robin', 'least-connections', 'health-weighted'] as const) {
    it(`${strategy}: sends check-ins on the socket whose frames are not waiting on the console`, () => {
      const { mgr, pool, made } = oneInstance(strategy);
      const socks = pool.sockets();
      const busy = socks.find((s) => s.subscribed)!;
      // Frames of the burst read and waiting on the console on the subscribed socket.
      busy.conn.waitedOnUs = () => true;
      for (let i = 0; i < 10; i++) void mgr.request('checkin', { cardId: `400000000${i}`, source: 'desk' }).catch(() => {});
      expect(busy.routed).toBe(0);
      expect(socks.reduce((n, s) => n + s.routed, 0)).toBe(10);
      expect(made.reduce((n, f) => n + f.sent.filter((x) => (JSON.parse(x) as { op?: string }).op === 'checkin').length, 0)).toBe(10);
      // Once the burst is worked through, both carry requests again.
      busy.conn.waitedOnUs = () => false;
      for (let i = 0; i < 10; i++) void mgr.request('checkin', { cardId: `400000001${i}`, source: 'desk' }).catch(() => {});
      expect(busy.routed).toBeGreaterThan(0);
      mgr.stop();
    });
  }
});
