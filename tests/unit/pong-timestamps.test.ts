import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { HealthTracker } from '../../src/main/core/pool/health';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/** An open connection on a fake clock whose pongs are sent by hand, and a health score fed as the pool feeds it. */
function connected() {
  const clock = new FakeClock();
  const sock = new FakeSocket();
  // A long dead-peer ceiling: these tests leave pings unanswered on purpose.
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, deadAfterMs: 60_000, socketFactory: () => sock as unknown as WebSocket });
  const faults: string[] = [];
  const rtts: number[] = [];
  const health = new HealthTracker(() => clock.mono(), () => 0);
  conn.on('protocolError', (f) => faults.push(f.reason));
  conn.on('pong', ({ rttMs }) => (rtts.push(rttMs), health.rtt(rttMs)));
  conn.connect();
  sock.emit('open');
  sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  const pings = (): number[] => sock.sent.map((f) => JSON.parse(f) as { t: string; ts: number }).filter((f) => f.t === 'ping').map((f) => f.ts);
  const pong = (ts: number) => sock.frame({ t: 'pong', ts, head: 0 });
  return { clock, sock, conn, faults, rtts, health, pings, pong };
}

describe('a pong is a round trip only when it answers a ping this socket sent', () => {
  it.each([
    ['a ts far past any ping (a −1e9 ms round trip)', (ping: number) => ping + 1e9],
    ['the largest double (−Infinity once averaged)', () => Number.MAX_VALUE],
    ['a ts between two pings', (ping: number) => ping - 1],
    ['a ts before the first ping', () => 100],
  ])('%s: a protocol error, and neither latency nor health moves', (_what, tsOf) => {
    const c = connected();
    c.clock.advance(250);
    c.clock.advance(250);
    const [first, second] = c.pings() as [number, number];
    c.clock.advance(10);
    c.pong(second); // a real one first: 10 ms
    const score = c.health.score;
    c.pong(tsOf(tsOf.length ? second : first));
    expect(c.faults).toEqual(['a pong for a ping this console never sent, or a second pong for one']);
    expect(c.rtts).toEqual([10]);
    expect(c.conn.rttMs).toBe(10);
    expect(c.health.latencyMs).toBe(10);
    expect(c.health.score).toBe(score);
  });

  it('a second pong for one ping is a protocol error, not a second round trip', () => {
    const c = connected();
    c.clock.advance(250);
    const [ts] = c.pings() as [number];
    c.clock.advance(20);
    c.pong(ts);
    c.pong(ts);
    expect(c.rtts).toEqual([20]);
    expect(c.faults).toHaveLength(1);
  });

  it('a late answer to a ping too old to be remembered (after a long freeze) is no fault, and not timed', () => {
    const c = connected();
    for (let i = 0; i < 20; i++) c.clock.advance(250); // 20 pings, none answered: the oldest 4 are forgotten
    const all = c.pings();
    expect(all.length).toBeGreaterThanOrEqual(20);
    for (const ts of all) c.pong(ts); // the whole backlog, in order
    expect(c.faults).toEqual([]);
    // Only the 16 remembered are round trips; the forgotten ones are ignored.
    expect(c.rtts).toHaveLength(16);
    expect(c.rtts.every((ms) => ms >= 0)).toBe(true);
    expect(c.conn.state).toBe('open');
  });

  it('an answer to a probe (after a wake) is a real round trip', () => {
    const c = connected();
    c.clock.advance(100);
    c.conn.probe();
    const [ts] = c.pings() as [number];
    c.clock.advance(30);
    c.pong(ts);
    expect(c.faults).toEqual([]);
    expect(c.rtts).toEqual([30]);
  });

  it('an answer to a ping sent before a freeze, slower than the deadline, is a real (slow) round trip', () => {
    const c = connected();
    c.clock.advance(250);
    const [ts] = c.pings() as [number];
    c.clock.advance(2_000); // eight more pings meanwhile: it is still remembered
    c.pong(ts);
    expect(c.faults).toEqual([]);
    expect(c.rtts).toEqual([2_000]);
  });
});
