import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

// A probe (after a wake or a network change) counted any frame read after it as its answer. Frames sent before
// the instance hung (an event, a pong to an earlier ping) sit in the kernel through a sleep and are read after
// the probe goes out: the hung instance was then found only at the pool's deadline (80 s at a 20 s interval).

/** Lets deferred verdicts run, as the event loop does after reading sockets. */
const reads = () => new Promise((r) => setImmediate(r));

/** Health checks every 20 s (dead after 80 s): within a few seconds only the probe can close the socket. */
function connected() {
  const clock = new FakeClock();
  const sock = new FakeSocket();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 20_000, socketFactory: () => sock as unknown as WebSocket });
  const closes: string[] = [];
  conn.on('close', (r) => closes.push(r));
  conn.connect();
  sock.emit('open');
  sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  return { clock, sock, conn, closes };
}

/** The `ts` of every protocol ping sent so far. */
const pingTs = (sock: FakeSocket): number[] => sock.sent.map((s) => JSON.parse(s) as { t: string; ts?: number }).filter((f) => f.t === 'ping').map((f) => f.ts!);

/** A second after the probe, and the reads after its timer: the verdict is in. */
async function probeRunsOut(clock: FakeClock): Promise<void> {
  clock.advance(1_000);
  await reads();
}

const event = { t: 'event', stream: 'gym', seq: 5, ts: 1, body: { kind: 'checkout', memberId: 'm', name: 'n', auto: false, occupancy: 0 } };

describe('a probe is answered only by proof the instance is alive now', () => {
  it('an event sent before the hang and read after the probe went out does not hide the hang', async () => {
    const { clock, sock, conn, closes } = connected();
    // The event begins a run of frames of its own: one read behind the welcome's, on a busy machine, would wait a turn
    // of the event loop, and a socket with frames waiting on the console is not blamed for a probe's silence.
    await reads();
    clock.advance(100);
    conn.probe();
    clock.advance(20);
    sock.frame(event); // in flight, or held in the kernel through the sleep
    await probeRunsOut(clock);
    expect(conn.state).toBe('closed');
    expect(closes[0]).toMatch(/no answer to a probe/);
  });

  it('a pong to a ping sent before the probe does not hide the hang', async () => {
    const { clock, sock, conn, closes } = connected();
    clock.advance(20_000); // the first beat pings
    const [early] = pingTs(sock) as [number];
    clock.advance(100);
    conn.probe();
    clock.advance(20);
    sock.frame({ t: 'pong', ts: early, head: 0 }); // the answer to the beat's ping, sent before the hang
    await probeRunsOut(clock);
    expect(conn.state).toBe('closed');
    expect(closes[0]).toMatch(/no answer to a probe/);
  });

  it('a WebSocket pong to an earlier WebSocket ping (or an unsolicited one) does not hide the hang', async () => {
    const { clock, sock, conn } = connected();
    clock.advance(20_000);
    const earlier = sock.lastPing; // the beat's
    clock.advance(100);
    conn.probe();
    clock.advance(20);
    sock.emit('pong', earlier);
    sock.emit('pong', Buffer.alloc(0));
    await probeRunsOut(clock);
    expect(conn.state).toBe('closed');
  });

  it('an answer to a request sent before the probe does not hide the hang', async () => {
    const { clock, sock, conn } = connected();
    const asked = conn.request('lookup', { query: 'M1' }).catch(() => null);
    const id = (JSON.parse(sock.sent.at(-1)!) as { id: string }).id;
    clock.advance(100);
    conn.probe();
    clock.advance(20);
    sock.frame({ t: 'ack', id });
    await probeRunsOut(clock);
    expect(conn.state).toBe('closed');
    await asked;
  });

  it("the probe's own pong, its own WebSocket pong, or an answer to a request sent since, each proves the instance alive", async () => {
    const answers: [string, (c: ReturnType<typeof connected>) => void][] = [
      ['pong to the probe', ({ sock }) => sock.frame({ t: 'pong', ts: pingTs(sock).at(-1)!, head: 0 })],
      ['WebSocket pong to the probe', ({ sock }) => sock.pong()],
      [
        'ack to a request sent since',
        ({ sock, conn }) => {
          void conn.request('lookup', { query: 'M1' }).catch(() => null);
          sock.frame({ t: 'ack', id: (JSON.parse(sock.sent.at(-1)!) as { id: string }).id });
        },
      ],
    ];
    for (const [what, answer] of answers) {
      const c = connected();
      c.clock.advance(100);
      c.conn.probe();
      c.sock.frame(event); // an old frame first, as after a sleep
      c.clock.advance(30);
      answer(c);
      await probeRunsOut(c.clock);
      expect(c.conn.state, what).toBe('open');
      c.conn.close();
    }
  });

  it('a backend with its storage down answers the ping with an error, and its WebSocket the probe: alive', async () => {
    const storageDown = { t: 'error', code: 'backend-storage-unavailable', message: 'The backend cannot reach its shared storage.' };
    const answered = connected();
    answered.clock.advance(100);
    answered.conn.probe();
    answered.clock.advance(30);
    answered.sock.pong(); // its WebSocket library answers the probe's ping whatever its storage does
    answered.sock.frame(storageDown);
    await probeRunsOut(answered.clock);
    expect(answered.conn.state).toBe('open');
    expect(answered.conn.storageDown).not.toBeNull();
    // The error alone names no ping: it may answer one sent before the hang, so it is no proof.
    const alone = connected();
    alone.clock.advance(100);
    alone.conn.probe();
    alone.clock.advance(30);
    alone.sock.frame(storageDown);
    await probeRunsOut(alone.clock);
    expect(alone.conn.state).toBe('closed');
  });

  it('old frames still count as life for the silence deadline: a socket heard from is not condemned between probes', async () => {
    const { clock, sock, conn } = connected();
    for (let i = 0; i < 40; i++) {
      clock.advance(5_000);
      sock.frame(event); // events only, no pongs, for 200 s: well past the 80 s silence deadline
      await reads();
    }
    expect(conn.state).toBe('open');
  });
});
