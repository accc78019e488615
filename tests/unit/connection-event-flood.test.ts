import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/** Busy for `ms` of real time: what applying one event costs on a slow PC, made large. */
const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

// probe-hostile14 E1: a backend flooding check-in events held one desk check-in 6.1 s (decided offline
// while connected): its reply was read only after every event that came before it was applied.
describe('a reply behind a flood of events', () => {
  it('is answered before the flood is applied; every event is still applied, in order', async () => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), heartbeatMs: 60_000, socketFactory: () => sock as unknown as WebSocket });
    conn.connect();
    sock.emit('open');
    const frame = (f: unknown) => sock.emit('message', Buffer.from(JSON.stringify(f)), false);
    frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
    const seqs: number[] = [];
    conn.on('event', (e: { seq: number }) => {
      busy(2);
      seqs.push(e.seq);
    });
    const lookup = conn.request('lookup', { query: 'a' }, { id: 'q-1' });
    let answeredAfter = -1;
    void lookup.then(() => (answeredAfter = seqs.length));
    // One read of the socket: 200 events (about 0.4 s to apply), then the reply the desk waits for.
    const body = { kind: 'checkin', cardId: 'c', member: null, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 };
    for (let seq = 1; seq <= 200; seq++) frame({ t: 'event', stream: 'gym', seq, ts: Date.now(), body });
    frame({ t: 'reply', id: 'q-1', ok: true, body: { members: [] } });
    await lookup;
    await new Promise((r) => setImmediate(r));
    expect(answeredAfter).toBeGreaterThanOrEqual(0);
    expect(answeredAfter).toBeLessThan(100); // not behind the whole flood (a busy machine may apply a few slices first)
    // The rest follow, a slice at a time, none lost or reordered.
    await expect.poll(() => seqs.length, { timeout: 10_000 }).toBe(200);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('events read before the socket closes are applied before it is closed', () => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), heartbeatMs: 60_000, socketFactory: () => sock as unknown as WebSocket });
    conn.connect();
    sock.emit('open');
    const frame = (f: unknown) => sock.emit('message', Buffer.from(JSON.stringify(f)), false);
    frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
    const order: string[] = [];
    conn.on('event', (e: { seq: number }) => {
      busy(1);
      order.push(`event ${e.seq}`);
    });
    conn.on('close', () => order.push('close'));
    const body = { kind: 'checkin', cardId: 'c', member: null, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 };
    for (let seq = 1; seq <= 50; seq++) frame({ t: 'event', stream: 'gym', seq, ts: Date.now(), body });
    sock.emit('close', 1000, Buffer.from(''));
    expect(order).toEqual([...Array.from({ length: 50 }, (_, i) => `event ${i + 1}`), 'close']);
  });
});
