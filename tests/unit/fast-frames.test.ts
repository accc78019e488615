import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { ackId, actionReply, pongFrame, welcomeFrame } from '../../src/main/core/pool/fast-frames';
import { LIMITS, parseFrame, ServerFrameSchema } from '../../src/shared/protocol';

// The hand-read fast path must never accept what the schema refuses, nor read it differently.
const idChars = fc.oneof(fc.constantFrom('a', 'Z', '0', '-', '"', '\\', '\u0000', '\u001f', ' ', 'é', '}', '{'), fc.string({ maxLength: 1 }));
const ids = fc.oneof(fc.uuid(), fc.array(idChars, { maxLength: LIMITS.maxIdLength + 2 }).map((cs) => cs.join('')));
const frames = fc.oneof(
  ids.map((id) => `{"t":"ack","id":"${id}"}`),
  fc.tuple(ids, fc.boolean()).map(([id, a]) => `{"t":"reply","id":"${id}","ok":true,"body":{"applied":${a}}}`),
  // near misses: extra fields, spaces, other ok, other bodies, cut short
  fc.tuple(ids, fc.constantFrom(' ', ',"x":1', '}', '"', '')).map(([id, extra]) => `{"t":"ack","id":"${id}"${extra}}`),
  fc.tuple(ids, fc.constantFrom('"ok":false', '"ok":true ', '"ok":1'), fc.constantFrom('{"applied":true}', '{"applied":"true"}', '{}', '{"applied":false,"x":1}')).map(
    ([id, ok, body]) => `{"t":"reply","id":"${id}",${ok},"body":${body}}`,
  ),
  fc.string({ maxLength: 80 }),
);

describe('acks and action replies read by hand', () => {
  it('agree with the schema on every frame they take, and take the exact shapes', () => {
    fc.assert(
      fc.property(frames, (raw) => {
        const ack = ackId(raw);
        const reply = actionReply(raw);
        const schema = parseFrame(ServerFrameSchema, raw);
        if (ack !== null) expect(schema).toEqual({ ok: true, frame: { t: 'ack', id: ack } });
        if (reply !== null) expect(schema).toEqual({ ok: true, frame: { t: 'reply', id: reply.id, ok: true, body: { applied: reply.applied } } });
      }),
      { numRuns: 5_000 },
    );
    expect(ackId('{"t":"ack","id":"k-1"}')).toBe('k-1');
    expect(actionReply('{"t":"reply","id":"k-2","ok":true,"body":{"applied":false}}')).toEqual({ id: 'k-2', applied: false });
    const longest = 'x'.repeat(LIMITS.maxIdLength);
    expect(ackId(`{"t":"ack","id":"${longest}"}`)).toBe(longest);
    expect(ackId(`{"t":"ack","id":"${longest}x"}`)).toBeNull();
    expect(ackId('{"t":"ack","id":""}')).toBeNull();
    expect(ackId('{"t":"ack","id":"a\\"b"}')).toBeNull();
  });
});

// Numbers near every bound the schema sets, and things that are not numbers.
const nums = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e6, 1e6 + 1, 600_000, 600_000.5, 600_001, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e300, -1e-9),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.nat(),
).map((n) => JSON.stringify(n));
const notNums = fc.constantFrom('"1"', 'null', 'true', '[]', '{}', '1e999');
const num = fc.oneof({ weight: 4, arbitrary: nums }, { weight: 1, arbitrary: notNums });
const loads = fc.oneof(
  fc.tuple(num, num).map(([s, l]) => `{"sessions":${s},"lagMs":${l}}`),
  fc.tuple(num, num).map(([s, l]) => `{"lagMs":${l},"sessions":${s}}`),
  fc.constantFrom('null', '{}', '{"sessions":1}', '{"sessions":1,"lagMs":2,"x":3}', '[]', '"x"', '{"sessions":1,"lagMs":2,"__proto__":{}}'),
);
const pongs = fc.oneof(
  fc.tuple(num, num).map(([ts, head]) => `{"t":"pong","ts":${ts},"head":${head}}`),
  fc.tuple(num, num, loads).map(([ts, head, load]) => `{"t":"pong","ts":${ts},"head":${head},"load":${load}}`),
  // near misses: other order, extra or missing fields, spaces, repeated keys, cut short
  fc.tuple(num, num).map(([ts, head]) => `{"t":"pong","head":${head},"ts":${ts}}`),
  fc.tuple(num, num, fc.constantFrom(',"x":1', ',"t":"ack"', ',"ts":-1', ' ', ',"__proto__":1', ',"load":null')).map(([ts, head, extra]) => `{"t":"pong","ts":${ts},"head":${head}${extra}}`),
  fc.tuple(num, fc.constantFrom('', '}', '{"t":"pong"}')).map(([ts, tail]) => `{"t":"pong","ts":${ts}${tail}`),
  fc.string({ maxLength: 40 }).map((s) => `{"t":"pong",${s}`),
);

describe('pongs read by hand', () => {
  it('agree with the schema on every pong they take, and take the shapes a backend writes', () => {
    fc.assert(
      fc.property(pongs, (raw) => {
        const pong = pongFrame(raw);
        if (pong !== null) expect(parseFrame(ServerFrameSchema, raw)).toEqual({ ok: true, frame: pong });
      }),
      { numRuns: 10_000 },
    );
    expect(pongFrame('{"t":"pong","ts":1234.5,"head":0}')).toEqual({ t: 'pong', ts: 1234.5, head: 0 });
    expect(pongFrame('{"t":"pong","ts":7,"head":42,"load":{"sessions":300,"lagMs":1.5}}')).toEqual({ t: 'pong', ts: 7, head: 42, load: { sessions: 300, lagMs: 1.5 } });
    expect(pongFrame('{"t":"pong","ts":7,"head":1.5}')).toBeNull();
    expect(pongFrame('{"t":"pong","ts":-1,"head":1}')).toBeNull();
    expect(pongFrame('{"t":"pong","ts":7,"head":1,"load":{"sessions":1000001,"lagMs":0}}')).toBeNull();
    expect(pongFrame('{"t":"pong","ts":7,"head":1,"x":1}')).toBeNull(); // the long way: the schema drops what it does not know
  });

  it('is what a connection reads a pong with: no zod for a pong a backend writes', async () => {
    const { BackendConnection } = await import('../../src/main/core/pool/connection');
    const protocol = await import('../../src/shared/protocol');
    const spy = vi.spyOn(protocol.ServerFrameSchema, 'safeParse');
    const { FakeSocket } = await import('../helpers/fake-ws');
    const { FakeClock } = await import('../helpers/fake-clock');
    const sock = new FakeSocket();
    const clock = new FakeClock();
    const conn = new BackendConnection('ws://a:1', { token: 't', clock, heartbeatMs: 100, socketFactory: () => sock as never });
    const pongs: number[] = [];
    conn.on('pong', ({ rttMs }) => pongs.push(rttMs));
    conn.connect();
    sock.emit('open');
    sock.frame({ t: 'welcome', version: 2, instance: 'i', heartbeatMs: 100, limits: { maxFrameBytes: 65536 } });
    spy.mockClear();
    for (let i = 0; i < 5; i++) {
      await clock.advance(100);
      const ping = sock.sent.map((f) => JSON.parse(f) as { t: string; ts?: number }).filter((f) => f.t === 'ping').at(-1)!;
      await clock.advance(3);
      sock.frame({ t: 'pong', ts: ping.ts, head: 0, load: { sessions: 3, lagMs: 0.5 } });
    }
    expect(pongs.length).toBe(5);
    expect(conn.load).toEqual({ sessions: 3, lagMs: 0.5 });
    expect(spy).not.toHaveBeenCalled();
    conn.close();
    spy.mockRestore();
  });
});

const ints = fc.oneof(fc.constantFrom(0, 1, -1, 1.5, 1000, 1001, 86_400_000, 86_400_001, 2 ** 30, 2 ** 30 + 1, 65536), fc.integer()).map((n) => JSON.stringify(n));
const anInt = fc.oneof({ weight: 4, arbitrary: ints }, { weight: 1, arbitrary: notNums });
const names = fc.oneof(
  fc.constantFrom('"instance-0"', '""', '"a\\nb"', '"\\u0000x"', '"é"', '1', 'null', JSON.stringify('x'.repeat(1_000)), JSON.stringify('x'.repeat(1_001)), JSON.stringify('<b>' + 'y'.repeat(300))),
  fc.string({ maxLength: 30 }).map((x) => JSON.stringify(x)),
);
const limitsOf = fc.oneof(
  anInt.map((m) => `{"maxFrameBytes":${m}}`),
  fc.constantFrom('{}', 'null', '[]', '{"maxFrameBytes":65536,"x":1}'),
);
const welcomes = fc.oneof(
  fc.tuple(anInt, names, anInt, limitsOf).map(([v, n, h, l]) => `{"t":"welcome","version":${v},"instance":${n},"heartbeatMs":${h},"limits":${l}}`),
  fc.tuple(anInt, names, anInt, limitsOf, loads).map(([v, n, h, l, load]) => `{"t":"welcome","version":${v},"instance":${n},"heartbeatMs":${h},"limits":${l},"load":${load}}`),
  // near misses: other order, extra or missing fields, cut short
  fc.tuple(anInt, names).map(([v, n]) => `{"t":"welcome","instance":${n},"version":${v},"heartbeatMs":1000,"limits":{"maxFrameBytes":65536}}`),
  fc.tuple(anInt, fc.constantFrom(',"x":1', ',"load":null', ' ', '')).map(([v, extra]) => `{"t":"welcome","version":${v},"instance":"i","heartbeatMs":1000,"limits":{"maxFrameBytes":65536}${extra}}`),
  fc.tuple(anInt, fc.constantFrom('', '}', ',"instance":"i"}')).map(([v, tail]) => `{"t":"welcome","version":${v}${tail}`),
  fc.string({ maxLength: 40 }).map((x) => `{"t":"welcome",${x}`),
);

describe('welcomes read by hand', () => {
  it('agree with the schema on every welcome they take, instance name cleaned as the schema cleans it', () => {
    fc.assert(
      fc.property(welcomes, (raw) => {
        const w = welcomeFrame(raw);
        if (w !== null) expect(parseFrame(ServerFrameSchema, raw)).toEqual({ ok: true, frame: w });
      }),
      { numRuns: 10_000 },
    );
    const plain = { t: 'welcome', version: 2, instance: 'instance-0', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } };
    expect(welcomeFrame(JSON.stringify(plain))).toEqual(plain);
    expect(welcomeFrame(JSON.stringify({ ...plain, load: { sessions: 4, lagMs: 0 } }))).toEqual({ ...plain, load: { sessions: 4, lagMs: 0 } });
    expect(welcomeFrame(JSON.stringify({ ...plain, version: 0 }))).toBeNull();
    expect(welcomeFrame(JSON.stringify({ ...plain, heartbeatMs: 1e300 }))).toBeNull();
    expect(welcomeFrame(JSON.stringify({ ...plain, limits: { maxFrameBytes: 1e15 } }))).toBeNull();
  });

  it('is what a connection reads a welcome with: a pool opening runs no zod', async () => {
    const { BackendConnection } = await import('../../src/main/core/pool/connection');
    const protocol = await import('../../src/shared/protocol');
    const { FakeSocket } = await import('../helpers/fake-ws');
    const { FakeClock } = await import('../helpers/fake-clock');
    const spy = vi.spyOn(protocol.ServerFrameSchema, 'safeParse');
    const opened: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const sock = new FakeSocket();
      const conn = new BackendConnection('ws://a:1', { token: 't', clock: new FakeClock(), socketFactory: () => sock as never });
      conn.on('open', () => opened.push(conn.instance));
      conn.connect();
      sock.emit('open');
      sock.frame({ t: 'welcome', version: 2, instance: `instance-${i}`, heartbeatMs: 1000, limits: { maxFrameBytes: 65536 }, load: { sessions: i, lagMs: 0 } });
      expect(conn.load).toEqual({ sessions: i, lagMs: 0 });
      conn.close();
    }
    expect(opened).toEqual(['instance-0', 'instance-1', 'instance-2']);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
