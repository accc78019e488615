import { describe, expect, it } from 'vitest';
import { backendText } from '../../src/shared/backend-text';
import { parseFrame, ServerFrameSchema } from '../../src/shared/protocol';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/** Names and messages from a backend reach staff's screens: they may not rearrange the screen's words. */
describe('text a backend supplies', () => {
  it('loses direction overrides, isolates and invisible spaces; keeps joiners, marks and every script', () => {
    expect(backendText('Ana\u202E lla\u202C')).toBe('Ana lla');
    expect(backendText('\u2067x\u2069 \u200By\uFEFF\u2060')).toBe('x y');
    for (const s of ['José Núñez', 'محمد علي', 'דוד\u200F', 'क्‍ष', 'family 👨\u200D👩\u200D👧', 'نامه\u200Cها']) expect(backendText(s)).toBe(s);
    // The same answer every time (a global pattern's test() would remember where it stopped).
    expect([1, 2, 3].map(() => backendText('a\u202Eb'))).toEqual(['ab', 'ab', 'ab']);
  });

  it('applies to member names in events, instance names and error messages as frames are read', () => {
    const event = parseFrame(
      ServerFrameSchema,
      JSON.stringify({ t: 'event', stream: 'gym', seq: 1, ts: 1, body: { kind: 'checkin', cardId: 'C1', member: { id: 'M1', name: 'Eve\u202Edeined', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 } }),
    );
    expect(event).toMatchObject({ ok: true, frame: { body: { member: { name: 'Evedeined' } } } });
    const welcome = parseFrame(ServerFrameSchema, JSON.stringify({ t: 'welcome', version: 2, instance: 'i\u2066-1', heartbeatMs: 1000, limits: { maxFrameBytes: 1024 } }));
    expect(welcome).toMatchObject({ ok: true, frame: { instance: 'i-1' } });
    const error = parseFrame(ServerFrameSchema, JSON.stringify({ t: 'error', code: 'internal', message: '\u202Ekaerb' }));
    expect(error).toMatchObject({ ok: true, frame: { message: 'kaerb' } });
  });
});

describe('a close reason from the backend', () => {
  it('reaches the log and screens without its direction overrides', () => {
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock: new FakeClock(), socketFactory: () => sock as unknown as WebSocket });
    const reasons: string[] = [];
    conn.on('close', (r: string) => reasons.push(r));
    conn.connect();
    sock.emit('open');
    sock.emit('close', 4999, Buffer.from('\u202E\u202Edetavitca roolf'));
    expect(reasons).toEqual(['closed (4999 detavitca roolf)']);
  });
});
