import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection, ConnectionLost, RequestFailed, RequestRejected, StorageUnavailable } from '../../src/main/core/pool/connection';
import { FAILURE_CODES, REFUSAL_CODES } from '../../src/shared/failure-codes';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

function open() {
  const sock = new FakeSocket();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), socketFactory: () => sock as unknown as WebSocket });
  const faults: string[] = [];
  conn.on('protocolError', (f) => faults.push(f.reason));
  conn.connect();
  sock.emit('open');
  sock.frame({ t: 'welcome', version: 1, instance: 'a', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
  return { sock, conn, faults };
}

/** What one answer with `code` makes of a pending check-in, said in a reply or in an error frame with its id. */
async function answer(as: 'reply' | 'error', code: string): Promise<{ e: unknown; faults: string[]; inFlight: number }> {
  const { sock, conn, faults } = open();
  const asked = conn.request('checkin', { cardId: '4000000013', source: 'kiosk' }, { id: 'req-1' });
  const message = 'The backend failed on this request; it was not applied.';
  sock.frame(as === 'reply' ? { t: 'reply', id: 'req-1', ok: false, error: { code, message } } : { t: 'error', code, message, id: 'req-1' });
  const e = await asked.catch((x: unknown) => x);
  return { e, faults, inFlight: conn.inFlight };
}

describe('a failure code means the same in a reply with ok:false and in an error frame with the request id', () => {
  it.each(['reply', 'error'] as const)('%s: "internal" is a failure that may pass (sent again), not a refusal', async (as) => {
    const { e, faults, inFlight } = await answer(as, 'internal');
    expect(e).toBeInstanceOf(RequestFailed);
    expect(e).toMatchObject({ code: 'internal', known: true });
    expect(e).not.toBeInstanceOf(RequestRejected);
    expect(faults).toEqual([]);
    expect(inFlight).toBe(0);
  });

  it.each(['reply', 'error'] as const)('%s: "bad-request" is a refusal (the message itself is wrong)', async (as) => {
    const { e, faults } = await answer(as, 'bad-request');
    expect(e).toBeInstanceOf(RequestRejected);
    expect(e).toMatchObject({ code: 'bad-request' });
    expect(faults).toEqual([]);
  });

  it('every code the protocol defines falls where it says, in a reply', async () => {
    for (const code of REFUSAL_CODES) expect((await answer('reply', code)).e, code).toBeInstanceOf(RequestRejected);
    for (const code of FAILURE_CODES) expect((await answer('reply', code)).e, code).toMatchObject({ constructor: RequestFailed, known: true });
  });

  it('a reply "backend-storage-unavailable" is the outage its error frame is: nothing applied, sent again when storage is back', async () => {
    const { sock, conn, faults } = open();
    const storage: (string | null)[] = [];
    conn.on('storage', (s: string | null) => storage.push(s));
    const asked = conn.request('checkin', { cardId: '4000000013', source: 'kiosk' }, { id: 'req-1' });
    sock.frame({ t: 'reply', id: 'req-1', ok: false, error: { code: 'backend-storage-unavailable', message: 'Redis is down.' } });
    expect(await asked.catch((x: unknown) => x)).toBeInstanceOf(StorageUnavailable);
    expect(storage).toEqual(['Redis is down.']);
    expect(faults).toEqual([]);
  });

  it('an error frame "unauthorized" that closes the socket fails the request it names as a lost connection, not a refusal', async () => {
    const { e } = await answer('error', 'unauthorized');
    expect(e).toBeInstanceOf(ConnectionLost);
    expect(e).not.toBeInstanceOf(RequestRejected);
  });

  it('a code the protocol does not define is a failure, said unknown (the outbox gives it fewer tries)', async () => {
    const { e, faults } = await answer('reply', 'quota-exceeded');
    expect(e).toBeInstanceOf(RequestFailed);
    expect(e).toMatchObject({ code: 'quota-exceeded', known: false });
    expect(faults).toEqual([]);
  });
});
