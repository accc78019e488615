import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { Heartbeat } from '../../src/main/core/pool/heartbeat';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

// probe-hostile15 R2: behind a burst of events the console was the one behind, yet a check-in's reply read
// after its own backlog was learned as the backend's speed ("answers slowly, about 1.2 s a reply"), and a
// socket whose frames waited unhandled was given up on as silent ("cannot reach the backend's address").

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const body = { kind: 'checkin', cardId: 'c', member: null, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 };

function rig() {
  const clock = new FakeClock();
  const sock = new FakeSocket();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 60_000, socketFactory: () => sock as unknown as WebSocket });
  conn.connect();
  sock.emit('open');
  const frame = (f: unknown) => sock.emit('message', Buffer.from(JSON.stringify(f)), false);
  frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  conn.on('event', () => busy(2));
  return { clock, conn, frame };
}

describe("a reply's time", () => {
  it('is not the backend’s when the reply waited behind frames the console had not handled; it is once the console keeps up', async () => {
    const { clock, conn, frame } = rig();
    for (let seq = 1; seq <= 100; seq++) frame({ t: 'event', stream: 'gym', seq, ts: Date.now(), body });
    expect(conn.backlogged).toBe(true);
    const first = conn.request('lookup', { query: 'a' }, { id: 'q-1' });
    clock.advance(1_200); // the console's own backlog, not the backend's
    frame({ t: 'reply', id: 'q-1', ok: true, body: { members: [] } });
    await first;
    expect(conn.replyMs).toBeNull();
    // Caught up: a reply now is the backend's time.
    for (let i = 0; i < 1_000 && conn.backlogged; i++) await turn();
    expect(conn.backlogged).toBe(false);
    clock.advance(1);
    const second = conn.request('lookup', { query: 'b' }, { id: 'q-2' });
    clock.advance(40);
    frame({ t: 'reply', id: 'q-2', ok: true, body: { members: [] } });
    await second;
    expect(conn.replyMs).toBe(40);
    conn.close();
  });
});

describe('a socket whose frames wait on the console', () => {
  it('is not silent: it is condemned only for a silence after its backlog is handled', async () => {
    const clock = new FakeClock();
    let backlog = true;
    let condemned = '';
    const hb = new Heartbeat({ clock, ping: () => {}, state: () => 'open', condemn: (r) => (condemned = r), mustBeat: () => true, waitedOnUs: () => backlog }, 250, 1_000);
    hb.start();
    for (let i = 0; i < 20; i++) {
      clock.advance(250);
      await turn(); // verdicts wait a turn for frames already readable
    }
    expect(condemned).toBe('');
    backlog = false; // handled: from here on a silence is the peer's
    for (let i = 0; i < 20 && !condemned; i++) {
      clock.advance(250);
      await turn();
    }
    expect(condemned).toMatch(/no sign of life/);
  });

  it("a pong read behind the console's backlog is not learned as the link's round trip", () => {
    const clock = new FakeClock();
    const pings: number[] = [];
    let backlog = false;
    const hb = new Heartbeat({ clock, ping: (ts) => pings.push(ts), state: () => 'open', condemn: () => {}, mustBeat: () => true, waitedOnUs: () => backlog }, 250);
    hb.start();
    clock.advance(250);
    clock.advance(2);
    hb.alive();
    expect(hb.reply(pings.at(-1)!)).toBe('timed');
    backlog = true;
    clock.advance(248);
    clock.advance(1_500);
    hb.alive();
    expect(hb.reply(pings.at(-1)!)).toBe('ours');
    expect(hb.replyMs).toBe(2);
  });
});
