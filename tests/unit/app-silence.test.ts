import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { APP_SILENCE_MS } from '../../src/main/core/pool/heartbeat';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

// probe-hostile18 F3: a WebSocket pong counted as the backend being alive, so a server stuck in its own code whose
// WebSocket layer still answers pings (a deadlocked Go or Java server) stayed "healthy" for good.

const reads = () => new Promise((r) => setImmediate(r));

function connected() {
  const clock = new FakeClock();
  const sock = new FakeSocket();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, socketFactory: () => sock as unknown as WebSocket });
  const closes: string[] = [];
  conn.on('close', (r) => closes.push(r));
  conn.connect();
  sock.emit('open');
  sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  return { clock, sock, conn, closes };
}

/** `ms` in 50 ms steps; the peer's WebSocket answers every ping at once, and its program does what `program` says. */
async function run(c: ReturnType<typeof connected>, ms: number, program: () => void = () => {}): Promise<void> {
  for (let t = 0; t < ms && c.conn.state !== 'closed'; t += 50) {
    c.clock.advance(50);
    c.sock.pong();
    program();
    await reads();
  }
}

describe('a backend whose WebSocket answers pings and whose program answers nothing', () => {
  it('is not answering past the dead-peer setting, and is closed at the application deadline, saying so', async () => {
    const c = connected();
    await run(c, 500, () => c.sock.answerPings());
    expect(c.conn.appStalled).toBe(false);
    await run(c, 1_000 + 300); // the pool's setting (4 × 250 ms) and a beat
    expect(c.conn.state).toBe('open');
    expect(c.conn.appStalled).toBe(true);
    await run(c, APP_SILENCE_MS);
    expect(c.conn.state).toBe('closed');
    expect(c.closes[0]).toMatch(/its application sent nothing for \d+ ms while its WebSocket answered pings/);
    expect(c.conn.failure).toMatchObject({ kind: 'app-silent' });
    expect(c.conn.failure!.text).toBe("The backend takes the console's connection, but the backend program itself has answered nothing for 4 seconds: it may be stuck.");
  });

  it('its storage down, it answers pings with an error: its program is alive', async () => {
    const c = connected();
    let n = 0;
    await run(c, 10_000, () => n++ % 5 === 0 && c.sock.frame({ t: 'error', code: 'backend-storage-unavailable', message: 'The backend cannot reach its shared storage.' }));
    expect(c.conn.state).toBe('open');
    expect(c.conn.appStalled).toBe(false);
    expect(c.conn.storageDown).not.toBeNull();
  });

  it('a WebSocket pong before the welcome still counts: the handshake is judged by its own deadline', async () => {
    const clock = new FakeClock();
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, socketFactory: () => sock as unknown as WebSocket });
    conn.connect();
    sock.emit('open');
    for (let t = 0; t < 2_000; t += 250) {
      clock.advance(250);
      sock.pong();
    }
    expect(conn.state).toBe('connecting');
    expect(conn.appStalled).toBe(false);
    sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
    expect(conn.state).toBe('open');
    expect(conn.appStalled).toBe(false); // its silence counts from the welcome
  });
});
