import { describe, expect, it } from 'vitest';
import { ClientFrameSchema, ServerFrameSchema, parseFrame } from '../../src/shared/protocol';

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
