import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection, RequestFailed } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/** A backend that refuses the token or the version answers clearly: that is not a protocol error. */
describe('a refusal is not a protocol error', () => {
  it.each([
    ['unauthorized', 'bad token'],
    ['unsupported-version', 'speaks 9 only'],
  ])('an error frame "%s" closes the socket with its cause and counts no protocol error', (code, message) => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), socketFactory: () => sock as unknown as WebSocket });
    const faults: string[] = [];
    const closed: string[] = [];
    conn.on('protocolError', (f) => faults.push(f.reason));
    conn.on('close', (r: string) => closed.push(r));
    conn.connect();
    sock.emit('open');
    sock.frame({ t: 'error', code, message });
    expect(faults).toEqual([]);
    expect(closed).toEqual([message]);
  });

  it('any other error frame is still counted', () => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), socketFactory: () => sock as unknown as WebSocket });
    const faults: string[] = [];
    conn.on('protocolError', (f) => faults.push(f.reason));
    conn.connect();
    sock.emit('open');
    sock.frame({ t: 'error', code: 'bad-frame', message: 'what?' });
    expect(faults).toEqual(['error frame: bad-frame']);
  });

  it('an error frame with a request\'s id is that request\'s answer: it fails the request, which is no longer pending, and counts no protocol error', async () => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), socketFactory: () => sock as unknown as WebSocket });
    const faults: string[] = [];
    conn.on('protocolError', (f) => faults.push(f.reason));
    conn.connect();
    sock.emit('open');
    sock.frame({ t: 'welcome', version: 1, instance: 'a', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
    const asked = conn.request('checkin', { cardId: '4000000013', source: 'kiosk' }, { id: 'req-1' });
    expect(conn.inFlight).toBe(1);
    // The reference backend's answer to a bug on one request (src/server/instance.ts failed()), ten times over: once
    // counted as protocol errors, ten of these in 10 s closed every socket of the endpoint.
    sock.frame({ t: 'error', code: 'internal', message: 'The backend failed on this request; it was not applied.', id: 'req-1' });
    const e = await asked.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RequestFailed);
    expect(e).toMatchObject({ code: 'internal', message: 'The backend failed on this request; it was not applied.' });
    expect(conn.inFlight).toBe(0);
    // A second answer to it is late, as a second reply is: ignored while answers do not outnumber requests.
    void conn.request('lookup', { query: 'x' }, { id: 'other' }).catch(() => {});
    sock.frame({ t: 'error', code: 'internal', message: 'again', id: 'req-1' });
    expect(faults).toEqual([]);
    for (let i = 0; i < 10; i++) {
      const id = `req-${i + 2}`;
      void conn.request('checkin', { cardId: '4000000013', source: 'kiosk' }, { id }).catch(() => {});
      sock.frame({ t: 'error', code: 'internal', message: 'The backend failed on this request; it was not applied.', id });
    }
    expect(faults).toEqual([]);
    expect(conn.state).toBe('open');
  });
});
