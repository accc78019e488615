import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
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
});
