import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection, ConnectionLost } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';


function open() {
  const sock = new FakeSocket();
  const clock = new FakeClock();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 60_000, socketFactory: () => sock as unknown as WebSocket });
  const faults: string[] = [];
  conn.on('protocolError', (f) => faults.push(f.reason));
  conn.connect();
  sock.emit('open');
  const frame = (f: unknown) => sock.emit('message', Buffer.from(typeof f === 'string' ? f : JSON.stringify(f)), false);
  frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  return { sock, conn, frame, faults, clock };
}

// Acks and action replies skip JSON and zod; what they accept must be what the schemas accept.
describe('the fast path for acks and action replies', () => {
  it('answers an action from its exact reply, and sends a stored body as it is', async () => {
    const { sock, conn, frame } = open();
    let acked = false;
    const got: unknown[] = [];
    conn.requestJson('action', 'k-1', '{"kind":"sync","data":"x"}', 5_000, { onAck: () => (acked = true), resolve: (b) => got.push(b), reject: (e) => got.push(e) });
    expect(JSON.parse(sock.sent.at(-1)!)).toEqual({ t: 'req', id: 'k-1', op: 'action', body: { kind: 'sync', data: 'x' } });
    frame('{"t":"ack","id":"k-1"}');
    expect(acked).toBe(true);
    frame('{"t":"reply","id":"k-1","ok":true,"body":{"applied":false}}');
    expect(got).toEqual([{ applied: false }]);
    expect(conn.inFlight).toBe(0);
  });

  it('leaves a reply of the action shape to a lookup to the schema, which refuses it', async () => {
    const { conn, frame, faults } = open();
    const lookup = conn.request('lookup', { query: 'a' }, { id: 'k-2' });
    frame('{"t":"reply","id":"k-2","ok":true,"body":{"applied":true}}');
    await expect(lookup).rejects.toBeInstanceOf(ConnectionLost);
    expect(faults[0]).toMatch(/lookup reply/);
  });

  it('takes anything else the long way: extra fields, an empty id', () => {
    const { conn, frame, faults } = open();
    const got: unknown[] = [];
    conn.requestJson('action', 'k-3', '{"kind":"sync","data":"x"}', 5_000, { resolve: (b) => got.push(b), reject: (e) => got.push(e) });
    frame('{"t":"reply","id":"k-3","ok":true,"body":{"applied":true,"extra":1}}'); // zod strips the extra key
    expect(got).toEqual([{ applied: true }]);
    frame('{"t":"ack","id":""}'); // too short an id: the schema's fault, not silence
    expect(faults.some((f) => /id|too_small|String/i.test(f))).toBe(true);
  });

  it('a reply already waiting when the deadline fires is read before the verdict: answered, not timed out', async () => {
    const { conn, frame, clock } = open();
    const got: unknown[] = [];
    conn.requestJson('action', 'k-4', '{"kind":"sync","data":"x"}', 1_000, { resolve: (b) => got.push(b), reject: (e) => got.push(e.message) });
    clock.advance(1_000); // the timer runs first…
    frame('{"t":"reply","id":"k-4","ok":true,"body":{"applied":true}}'); // …then the loop reads the socket
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([{ applied: true }]);
    conn.requestJson('action', 'k-5', '{"kind":"sync","data":"x"}', 1_000, { resolve: (b) => got.push(b), reject: (e) => got.push(e.message) });
    clock.advance(1_000);
    await new Promise((r) => setImmediate(r));
    expect(got[1]).toBe('action timed out after 1000 ms');
    expect(conn.inFlight).toBe(0);
  });

  it('fails each request at its own deadline with one timer: mixed timeouts, answered ones skipped, a re-send from a failure kept', async () => {
    const { conn, frame, clock } = open();
    const got: string[] = [];
    const tick = () => new Promise((r) => setImmediate(r));
    const cb = (id: string, onFail?: () => void) => ({ resolve: () => got.push(`${id} ok`), reject: (e: Error) => (got.push(`${id}: ${e.message}`), onFail?.()) });
    const body = '{"kind":"sync","data":"x"}';
    conn.requestJson('action', 'slow', body, 5_000, cb('slow'));
    // Its failure sends again on this socket with a later deadline (11,000) than 'slow' still waiting.
    conn.requestJson('action', 'fast', body, 1_000, cb('fast', () => conn.requestJson('action', 'again', body, 10_000, cb('again'))));
    conn.requestJson('action', 'done', body, 800, cb('done'));
    frame('{"t":"reply","id":"done","ok":true,"body":{"applied":true}}');
    clock.advance(999);
    await tick();
    expect(got).toEqual(['done ok']);
    clock.advance(1); // 1,000
    await tick();
    expect(got).toEqual(['done ok', 'fast: action timed out after 1000 ms']);
    clock.advance(3_999);
    await tick();
    expect(got).toHaveLength(2);
    clock.advance(1); // 5,000
    await tick();
    expect(got.at(-1)).toBe('slow: action timed out after 5000 ms');
    clock.advance(5_999);
    await tick();
    expect(got).toHaveLength(3);
    clock.advance(1); // 11,000
    await tick();
    expect(got.at(-1)).toBe('again: action timed out after 10000 ms');
    expect(conn.inFlight).toBe(0);
  });
});
