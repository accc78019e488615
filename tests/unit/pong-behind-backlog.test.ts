import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { HealthTracker } from '../../src/main/core/pool/health';
import type { ConnectionPool } from '../../src/main/core/pool/pool';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

// During a burst every pong is read behind the console's own backlog ('ours'): its round trip says nothing
// of the backend, so it is not learned. But the round trip was also a socket's only beat of re-judging, so
// one out of rotation stayed out for as long as the burst lasted, though the link kept answering.

describe('a pong read behind the console’s own backlog', () => {
  it('counts as the link answering: errors decay and rotation is judged again, with no latency learned', () => {
    let now = 0;
    const h = new HealthTracker(() => now, () => 0);
    for (let i = 0; i < 20; i++) h.outcome(false);
    expect(h.inRotation).toBe(false);
    now = 60_000;
    let back = false;
    for (let i = 0; i < 20 && !back; i++) back = h.answered();
    expect(back).toBe(true);
    expect(h.inRotation).toBe(true);
    expect(h.latencyMs).toBeNull();
  });

  it('brings a pooled socket out of rotation back while only such pongs come', () => {
    const clock = new FakeClock();
    const made: FakeSocket[] = [];
    const mgr = new PoolManager({
      token: 't',
      clock,
      store: memoryPoolStore(),
      defaults: [{ name: 'p', endpoints: ['ws://a:1'], maxConnections: 1, strategy: 'round-robin', healthCheckInterval: 60_000, reconnectAttempts: 3 }],
      socketFactory: () => {
        const s = new FakeSocket();
        made.push(s);
        return s as unknown as WebSocket;
      },
    });
    mgr.start();
    for (const s of made) {
      s.emit('open');
      s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
    }
    const pool = (mgr as unknown as { pools: Map<string, ConnectionPool> }).pools.get('p')!;
    const sock = [...(pool as unknown as { endpoints: Map<string, { sockets: Set<{ health: HealthTracker; conn: { emit(e: string, v: unknown): void } }> }> }).endpoints.get('ws://a:1')!.sockets][0]!;
    for (let i = 0; i < 20; i++) sock.health.outcome(false);
    expect(sock.health.inRotation).toBe(false);
    clock.advance(60_000);
    for (let i = 0; i < 20; i++) sock.conn.emit('pong', { rttMs: 900, head: 0, ours: true });
    expect(sock.health.inRotation).toBe(true);
    expect(sock.health.latencyMs).toBeNull(); // the 900 ms waited on the console: never the backend's
    mgr.stop();
  });
});
