import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

function connected() {
  const clock = new FakeClock();
  const sock = new FakeSocket();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, deadAfterMs: 60_000, requestTimeoutMs: 1_000, socketFactory: () => sock as unknown as WebSocket });
  const faults: string[] = [];
  conn.on('protocolError', (f) => faults.push(f.reason));
  conn.connect();
  sock.emit('open');
  sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  const raw = (s: string) => sock.emit('message', Buffer.from(s), false);
  /** Time passes with the peer alive (answering WebSocket pings), so only the request's own deadline runs out. */
  const wait = (ms: number) => {
    for (let t = 0; t < ms; t += 50) {
      clock.advance(50);
      sock.emit('pong');
    }
  };
  /** Frames past the connection's time slice wait a turn of the event loop (a busy machine): every one handled. */
  const drained = async () => {
    while (conn.backlogged) await new Promise((r) => setImmediate(r));
  };
  return { clock, sock, conn, faults, raw, wait, drained };
}
const lookup = { members: [{ id: 'M1', cardId: '1', name: 'Ada', phone: '', status: 'active', expiresOn: '' }] };

describe('acks and replies to requests this socket never sent', () => {
  it('are protocol errors, and a flood of large ones is dropped unparsed', async () => {
    const c = connected();
    const big = 'x'.repeat(60_000);
    // Past the id the text is not even JSON: had it been parsed, the fault would say so.
    for (let i = 0; i < 50; i++) c.raw(`{"t":"reply","id":"never-${i}","ok":true,"body":{"pad":"${big}"`);
    for (let i = 0; i < 50; i++) c.raw(`{"t":"ack","id":"never-${i}"}`);
    await c.drained();
    expect(c.faults).toHaveLength(100);
    expect(new Set(c.faults)).toEqual(new Set(['more replies than requests sent: a reply to a request this console never sent', 'more acks than requests sent: an ack to a request this console never sent']));
  });

  it('in any key order, too', async () => {
    const c = connected();
    c.sock.frame({ ok: true, id: 'never', t: 'reply', body: { applied: true } });
    c.sock.frame({ id: 'never', t: 'ack' });
    await c.drained();
    expect(c.faults).toHaveLength(2);
  });

  it('a second reply to one request is one too many', async () => {
    const c = connected();
    const req = c.conn.request('lookup', { query: 'Ada' }, { id: 'r1' });
    c.sock.frame({ t: 'ack', id: 'r1' });
    c.sock.frame({ t: 'reply', id: 'r1', ok: true, body: lookup });
    await expect(req).resolves.toEqual(lookup);
    expect(c.faults).toEqual([]);
    c.sock.frame({ t: 'reply', id: 'r1', ok: true, body: lookup });
    await c.drained();
    expect(c.faults).toHaveLength(1);
  });
});

describe('late answers to requests this socket did send are no fault', () => {
  it('an ack and a reply after the request timed out', async () => {
    const c = connected();
    const reqs = ['a', 'b', 'c'].map((id) => c.conn.request('action', { kind: 'sync', data: '' }, { id }).catch((e: Error) => e.message));
    c.wait(1_000);
    expect(await Promise.all(reqs)).toEqual(Array(3).fill('action timed out after 1000 ms'));
    for (const id of ['a', 'b', 'c']) {
      c.sock.frame({ t: 'ack', id });
      c.sock.frame({ t: 'reply', id, ok: true, body: { applied: true } }); // the fast path's shape
      c.sock.frame({ id, t: 'reply', ok: true, body: { applied: true } }); // and the long way round
    }
    await c.drained();
    // Three requests: three acks are late, not strays. The second reply to each is one too many.
    expect(c.faults.filter((f) => f.startsWith('more acks'))).toEqual([]);
    expect(c.faults.filter((f) => f.startsWith('more replies'))).toHaveLength(3);
  });

  it('the slower attempt of a hedged request, answered on this socket after the other socket answered', async () => {
    const first = connected();
    const second = connected();
    const settle: string[] = [];
    // The same id on both sockets, as a routed request's hedge sends it.
    const cb = (name: string) => ({ resolve: () => settle.push(name), reject: (e: Error) => settle.push(`${name}: ${e.message}`) });
    first.conn.requestJson('lookup', 'h1', '{"query":"Ada"}', 1_000, cb('first'));
    second.conn.requestJson('lookup', 'h1', '{"query":"Ada"}', 1_000, cb('second'));
    second.sock.frame({ t: 'reply', id: 'h1', ok: true, body: lookup });
    first.wait(1_000); // the first attempt times out on its own socket…
    await new Promise((r) => setImmediate(r));
    first.sock.frame({ t: 'ack', id: 'h1' }); // …then its answers arrive
    first.sock.frame({ t: 'reply', id: 'h1', ok: true, body: lookup });
    expect(settle).toEqual(['second', 'first: lookup timed out after 1000 ms']);
    expect(first.faults).toEqual([]);
    expect(second.faults).toEqual([]);
  });
});
