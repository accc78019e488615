import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection, StorageUnavailable } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';


function connected() {
  const clock = new FakeClock();
  const sock = new FakeSocket();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, socketFactory: () => sock as unknown as WebSocket });
  const faults: string[] = [];
  const changes: (string | null)[] = [];
  conn.on('protocolError', (f) => faults.push(f.reason));
  conn.on('storage', (d) => changes.push(d));
  conn.connect();
  sock.emit('open');
  sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  return { clock, sock, conn, faults, changes };
}

const DOWN = { t: 'error', code: 'backend-storage-unavailable', message: 'The backend cannot reach its shared storage (Redis) right now.' };

describe('an instance whose shared storage is down', () => {
  it('fails the request as retryable (not a refusal, not a protocol error) and remembers why until a pong', async () => {
    const { clock, sock, conn, faults, changes } = connected();
    const req = conn.request('checkin', { cardId: '1', source: 'desk' }, { id: 'r1' });
    sock.frame({ ...DOWN, id: 'r1' });
    await expect(req).rejects.toBeInstanceOf(StorageUnavailable);
    expect(conn.inFlight).toBe(0);
    expect(conn.storageDown).toMatch(/shared storage \(Redis\)/);
    sock.frame(DOWN); // instead of a pong, while it lasts: no second change
    expect(changes).toHaveLength(1);
    expect(faults).toEqual([]);
    expect(conn.state).toBe('open');
    clock.advance(250); // a beat: the pong answers its ping
    const ping = sock.sent.map((f) => JSON.parse(f) as { t: string; ts: number }).findLast((f) => f.t === 'ping')!;
    sock.frame({ t: 'pong', ts: ping.ts, head: 5 });
    expect(conn.storageDown).toBeNull();
    expect(changes).toEqual([DOWN.message, null]);
  });

  it('clears on a successful reply too', async () => {
    const { sock, conn } = connected();
    sock.frame(DOWN);
    const req = conn.request('action', { kind: 'sync', data: '' }, { id: 'a1' });
    sock.frame({ t: 'reply', id: 'a1', ok: true, body: { applied: true } });
    await expect(req).resolves.toEqual({ applied: true });
    expect(conn.storageDown).toBeNull();
  });
});

describe('availability counts an instance whose storage is down as down', () => {
  it('open but unable to record is not serving; back when its storage is', () => {
    const made: FakeSocket[] = [];
    const clock = new FakeClock();
    const mgr = new PoolManager({
      token: 't',
      clock,
      store: memoryPoolStore(),
      defaults: [{ name: 'p', healthCheckInterval: 60_000, reconnectAttempts: 3, endpoints: ['ws://a:1', 'ws://b:1', 'ws://c:1'], maxConnections: 6, strategy: 'round-robin' }],
      socketFactory: () => {
        const s = new FakeSocket();
        made.push(s);
        return s as unknown as WebSocket;
      },
    });
    mgr.start();
    try {
      const urls = mgr.list()[0]!.sockets.map((s) => s.endpoint);
      // Open every socket but c's.
      made.forEach((s, i) => {
        if (urls[i] === 'ws://c:1') return;
        s.emit('open');
        s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
      });
      expect(Object.fromEntries(mgr.serving())).toEqual({ 'ws://a:1': true, 'ws://b:1': true, 'ws://c:1': false });
      const onA = made.find((_, i) => urls[i] === 'ws://a:1')!;
      onA.frame(DOWN);
      expect(Object.fromEntries(mgr.serving())).toEqual({ 'ws://a:1': false, 'ws://b:1': true, 'ws://c:1': false });
      clock.advance(60_000); // a beat: its pong says the storage is back
      const ping = onA.sent.map((f) => JSON.parse(f) as { t: string; ts: number }).findLast((f) => f.t === 'ping')!;
      onA.frame({ t: 'pong', ts: ping.ts, head: 0 });
      expect(mgr.serving().get('ws://a:1')).toBe(true);
    } finally {
      mgr.stop();
    }
  });
});

// review26 V18: every pool's addresses were counted as the gym's backend, so a test server's pool answering kept
// Availability at 100 % while the gym's own backend was down, and its addresses were listed as the gym's.
describe("availability is the gym's backend's: the pool check-ins go to", () => {
  it("another pool's server answering does not count; the gym's address on that pool's socket does", () => {
    const made: { url: string; s: FakeSocket }[] = [];
    const mgr = new PoolManager({
      token: 't',
      clock: new FakeClock(),
      store: memoryPoolStore(),
      defaults: [
        { name: 'gym', healthCheckInterval: 60_000, reconnectAttempts: 3, endpoints: ['ws://a:1'], maxConnections: 2, strategy: 'round-robin' },
        { name: 'staging', healthCheckInterval: 60_000, reconnectAttempts: 3, endpoints: ['ws://t:1', 'ws://a:1'], maxConnections: 2, strategy: 'round-robin' },
      ],
      socketFactory: (url: string) => {
        const s = new FakeSocket();
        made.push({ url, s });
        return s as unknown as WebSocket;
      },
    });
    mgr.start();
    try {
      const open = (url: string) =>
        made.filter((m) => m.url.startsWith(url)).forEach(({ s }) => {
          s.emit('open');
          s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
        });
      expect(mgr.gymAddresses()).toEqual(['ws://a:1']);
      open('ws://t:1');
      expect(Object.fromEntries(mgr.serving())).toEqual({ 'ws://a:1': false });
      open('ws://a:1');
      expect(Object.fromEntries(mgr.serving())).toEqual({ 'ws://a:1': true });
    } finally {
      mgr.stop();
    }
  });
});
