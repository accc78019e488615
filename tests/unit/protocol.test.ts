import { describe, expect, it } from 'vitest';
import { ClientFrameSchema, RequestBodies, ServerFrameSchema, parseFrame } from '../../src/shared/protocol';

const server = (f: unknown) => parseFrame(ServerFrameSchema, JSON.stringify(f));
const client = (f: unknown) => parseFrame(ClientFrameSchema, JSON.stringify(f));

describe('wire protocol v1 schemas', () => {
  it('accepts well-formed frames both ways', () => {
    expect(client({ t: 'hello', versions: [1], token: 'x', client: 'c' }).ok).toBe(true);
    expect(client({ t: 'req', id: 'a1', op: 'checkin', body: { cardId: '123', source: 'desk' } }).ok).toBe(true);
    expect(client({ t: 'sub', stream: 'gym', after: 0 }).ok).toBe(true);
    expect(server({ t: 'reply', id: 'a1', ok: true, body: { x: 1 } }).ok).toBe(true);
    expect(server({ t: 'reply', id: 'a1', ok: false, error: { code: 'x', message: 'y' } }).ok).toBe(true);
    const event = {
      t: 'event', stream: 'gym', seq: 5, ts: 1,
      body: { kind: 'checkin', cardId: '1', member: null, verdict: { allowed: false, reason: 'unknown-card' }, source: 'door', occupancy: 0 },
    };
    expect(server(event).ok).toBe(true);
  });

  it.each([
    ['not JSON', '{nope'],
    ['an unknown type', JSON.stringify({ t: 'nuke' })],
    ['a denial without a deny reason', JSON.stringify({ t: 'event', stream: 'gym', seq: 1, ts: 1, body: { kind: 'checkin', cardId: '1', member: null, verdict: { allowed: false, reason: 'ok' }, source: 'door', occupancy: 0 } })],
    ['a zero sequence', JSON.stringify({ t: 'event', stream: 'gym', seq: 0, ts: 1, body: { kind: 'checkout', memberId: 'm', name: 'n', auto: false, occupancy: 0 } })],
    ['a reply with an empty id', JSON.stringify({ t: 'reply', id: '', ok: true, body: 1 })],
  ])('rejects a server frame that is %s, without throwing', (_l, raw) => {
    const r = parseFrame(ServerFrameSchema, raw);
    expect(r.ok).toBe(false);
  });

  it('rejects client requests with oversized or missing fields', () => {
    expect(client({ t: 'req', id: 'x'.repeat(65), op: 'lookup', body: { query: 'a' } }).ok).toBe(false);
    expect(client({ t: 'req', id: 'x', op: 'lookup', body: { query: '' } }).ok).toBe(false);
    expect(client({ t: 'req', id: 'x', op: 'checkin', body: { cardId: '1', source: 'roof' } }).ok).toBe(false);
  });
});

describe('scannedAt: when a check-in that waited was scanned', () => {
  const T = Date.UTC(2026, 10, 23, 10, 2);
  const checkin = (body: object) => client({ t: 'req', id: 'a1', op: 'checkin', body: { cardId: '123', source: 'kiosk', ...body } });
  const event = (body: object) =>
    server({ t: 'event', stream: 'gym', seq: 5, ts: T + 1_740_000, body: { kind: 'checkin', cardId: '123', member: null, verdict: { allowed: false, reason: 'unknown-card' }, source: 'kiosk', occupancy: 0, ...body } });

  it('is read in requests and events, bounded like the other wall-clock times', () => {
    expect(checkin({ scannedAt: T })).toMatchObject({ ok: true, frame: { body: { scannedAt: T } } });
    expect(event({ scannedAt: T })).toMatchObject({ ok: true, frame: { body: { scannedAt: T } } });
    for (const bad of [-1, 1e300, '10:02', null]) {
      expect(checkin({ scannedAt: bad }).ok).toBe(false);
      expect(event({ scannedAt: bad }).ok).toBe(false);
    }
  });

  it('reaches a backend that predates it as a plain check-in: unknown keys are dropped, not refused', () => {
    // The check-in body as it was before scannedAt; the frame schema as a whole drops keys it does not know.
    const before = RequestBodies.checkin.omit({ scannedAt: true });
    expect(before.parse({ cardId: '123', source: 'kiosk', scannedAt: T })).toEqual({ cardId: '123', source: 'kiosk' });
    expect(checkin({ scannedAt: T, addedLater: { x: 1 } })).toMatchObject({ ok: true, frame: { body: { cardId: '123', scannedAt: T } } });
    expect(checkin({ addedLater: 1 })).not.toHaveProperty('frame.body.addedLater');
  });

  it('an older console reading a newer event ignores what it does not know', () => {
    expect(event({ scannedAt: T, addedLater: 1 })).toMatchObject({ ok: true });
  });
});

describe('decidedOffline: the verdict a console gave while the backend was away', () => {
  const checkin = (body: object) => client({ t: 'req', id: 'a1', op: 'checkin', body: { cardId: '123', source: 'kiosk', ...body } });
  const event = (body: object) =>
    server({ t: 'event', stream: 'gym', seq: 5, ts: 1, body: { kind: 'checkin', cardId: '123', member: null, verdict: { allowed: false, reason: 'duplicate' }, source: 'kiosk', occupancy: 0, ...body } });

  it('is read in requests and events as a verdict, and refused as anything else', () => {
    const decided = { allowed: true, reason: 'ok' };
    expect(checkin({ decidedOffline: decided })).toMatchObject({ ok: true, frame: { body: { decidedOffline: decided } } });
    expect(event({ decidedOffline: decided })).toMatchObject({ ok: true, frame: { body: { decidedOffline: decided } } });
    for (const bad of [{ allowed: true, reason: 'duplicate' }, { allowed: 'yes', reason: 'ok' }, { allowed: true, reason: 'x'.repeat(10_000) }, 'allowed', null]) {
      expect(checkin({ decidedOffline: bad }).ok).toBe(false);
      expect(event({ decidedOffline: bad }).ok).toBe(false);
    }
  });

  it('an older backend drops it unread', () => {
    const before = RequestBodies.checkin.omit({ decidedOffline: true });
    expect(before.parse({ cardId: '123', source: 'kiosk', decidedOffline: { allowed: true, reason: 'ok' } })).toEqual({ cardId: '123', source: 'kiosk' });
  });
});
