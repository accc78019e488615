import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ackId, actionReply } from '../../src/main/core/pool/fast-frames';
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
