import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection, StorageUnavailable } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';


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
