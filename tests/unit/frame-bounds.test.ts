import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { ReplyBodies, ServerFrameSchema, parseFrame } from '../../src/shared/protocol';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { runChecks, type HealthInputs } from '../../src/main/core/health/checks';
import { healthyInputs } from '../helpers/health-inputs';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

const body = { kind: 'checkout', memberId: 'M1', name: 'Ada', auto: false, occupancy: 3 };
/** Raw text, so numbers JSON.stringify would not write as the attacker does (1e300) go on the wire as they are. */
const eventAt = (ts: string) => `{"t":"event","stream":"gym","seq":7,"ts":${ts},"body":${JSON.stringify(body)}}`;
const now = 1_763_860_000_000;

describe('timestamps in backend frames are times a Date can hold', () => {
  it.each(['1e300', '-1e300', String(8.64e15 + 1), String(-(8.64e15 + 1)), '-1'])('an event at %s is refused', (ts) => {
    expect(parseFrame(ServerFrameSchema, eventAt(ts)).ok).toBe(false);
  });

  it.each([['now', now], ['five hours off', now - 5 * 3_600_000], ['1970', 0], ['the last ms a Date holds', 8.64e15], ['with a fraction of a ms', now + 0.25]])('an event at %s is taken: a wrong clock is for the clock check to report', (_what, ts) => {
    expect(parseFrame(ServerFrameSchema, eventAt(String(ts))).ok).toBe(true);
  });

  // Refused whole, one such event kept a console from ever catching up (probe-hostile15 R1): it is history only.
  it("a snapshot whose recent events carry such a time is taken without that event, which is named as unreadable", () => {
    const recent = [{ seq: 1, ts: 1e300, body }, { seq: 2, ts: now, body }];
    const parsed = ReplyBodies.snapshot.safeParse({ head: 2, occupancy: 1, capacity: 10, recent });
    expect(parsed.success).toBe(true);
    expect(parsed.data!.recent.map((e) => e.seq)).toEqual([2]);
    expect(parsed.data!.unreadable).toEqual([{ seq: null, problem: expect.stringMatching(/ts/) }]);
  });

  it('the connection counts such an event as a protocol error and never passes it on', async () => {
    const clock = new FakeClock();
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, socketFactory: () => sock as unknown as WebSocket });
    const faults: string[] = [];
    const events: number[] = [];
    conn.on('protocolError', (f) => faults.push(f.frameType));
    conn.on('event', (e) => events.push(e.ts));
    conn.connect();
    sock.emit('open');
    sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
    for (const ts of ['1e300', '-1e300', String(8.64e15 + 1)]) sock.emit('message', Buffer.from(eventAt(ts)), false);
    sock.emit('message', Buffer.from(eventAt(String(now))), false);
    // A run of frames past its time slice waits a turn of the event loop (a busy machine's first parse can take that long).
    while (conn.backlogged) await new Promise((r) => setImmediate(r));
    expect(faults).toEqual(['event', 'event', 'event']);
    expect(events).toEqual([now]);
  });
});

describe('the other numbers in backend frames are numbers a peer could mean', () => {
  const welcome = { t: 'welcome', version: 2, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } };
  it.each([
    ['a welcome with version 1e300', { ...welcome, version: 1e300 }],
    ['a welcome with version 0', { ...welcome, version: 0 }],
    ['a welcome with a heartbeat of years', { ...welcome, heartbeatMs: 1e15 }],
    ['a welcome allowing 1e15-byte frames', { ...welcome, limits: { maxFrameBytes: 1e15 } }],
    ['a pong with a negative ts', { t: 'pong', ts: -1, head: 0 }],
    ['an event with 1e15 people inside', { t: 'event', stream: 'gym', seq: 1, ts: now, body: { ...body, occupancy: 1e15 } }],
  ])('%s is refused', (_what, frame) => {
    expect(ServerFrameSchema.safeParse(frame).success).toBe(false);
  });

  it('a snapshot or check-in reply with a building of 1e15 people is refused', () => {
    expect(ReplyBodies.snapshot.safeParse({ head: 1, occupancy: 1, capacity: 1e15, recent: [] }).success).toBe(false);
    expect(ReplyBodies.checkin.safeParse({ verdict: { allowed: true, reason: 'ok' }, member: null, occupancy: 1e15, seq: 1 }).success).toBe(false);
  });
});

describe('the clock check says a far-off clock in words', () => {
  const inputs = (clockSkewMs: number): HealthInputs => ({ ...healthyInputs(), clockSkewMs });

  const clock = (skew: number) => runChecks(inputs(skew)).find((c) => c.kind === 'clock')!;

  it.each([
    [-5 * 3_600_000, /clock is 5 h behind the backend's/],
    [30 * 60_000, /clock is 30 min ahead of the backend's/],
    [3 * 86_400_000, /clock is 3 days ahead of/],
    [now - 8.64e15, /clock is more than 100 years behind/],
    [now, /clock is 56 years ahead of/],
  ])('a skew of %d ms', (skew, text) => {
    const c = clock(skew);
    expect(c.status).toBe('failing');
    expect(c.reason).toMatch(text);
    expect(c.reason).not.toMatch(/e\+/);
  });
});
