import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LIMITS, MemberSchema, ReplyBodies } from '../../src/shared/protocol';
import { LeftOutRecords } from '../../src/main/core/pool/left-out';

// One member's record the console could not read cost the whole roster page or search reply: each is read on its own.

const good = fc.record({
  id: fc.string({ minLength: 1, maxLength: LIMITS.maxIdLength }),
  cardId: fc.string({ minLength: 1, maxLength: LIMITS.maxCardIdLength }),
  name: fc.string({ maxLength: 300 }),
  phone: fc.string({ maxLength: 40 }),
  status: fc.constantFrom('active', 'expiring', 'expired', 'frozen', 'unpaid'),
  expiresOn: fc.string({ maxLength: 32 }),
});
/** Anything a backend might send in a member's place; kept only where the schema refuses it. */
const bad = fc
  .oneof(
    good.map((m) => ({ ...m, id: 'X'.repeat(LIMITS.maxIdLength + 1) })),
    good.map((m) => ({ ...m, status: 'suspended' })),
    good.map(({ cardId: _, ...m }) => m),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .filter((v) => !MemberSchema.safeParse(v).success);
const item = fc.oneof(good.map((v) => ({ v, ok: true })), bad.map((v) => ({ v, ok: false })));

describe("a reply's members are read one by one", () => {
  it.each(['lookup', 'roster'] as const)('%s: the readable ones are kept in order, every other one is counted, and the reply is taken', (op) => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: LIMITS.maxMembersPerReply }), (items) => {
        const parsed = ReplyBodies[op].safeParse({ members: items.map((i) => i.v), done: true });
        expect(parsed.success).toBe(true);
        const body = parsed.data!;
        const kept = items.filter((i) => i.ok).map((i) => MemberSchema.parse(i.v));
        expect(body.members).toEqual(kept);
        const left = items.length - kept.length;
        if (left === 0) expect(body.leftOut).toBeUndefined();
        else expect(body.leftOut).toMatchObject({ count: left, marks: expect.any(Array) });
        expect(body.leftOut?.marks.length ?? 0).toBe(left);
      }),
      { numRuns: 200 },
    );
  });

  it("the reply's own frame is still the protocol: not an object, a list too long, a wrong type at the top refuse it whole", () => {
    const m = { id: 'M1', cardId: '1', name: 'Ada', phone: '', status: 'active', expiresOn: '' };
    expect(ReplyBodies.lookup.safeParse(null).success).toBe(false);
    expect(ReplyBodies.lookup.safeParse({ members: 'all' }).success).toBe(false);
    expect(ReplyBodies.lookup.safeParse({ members: Array(LIMITS.maxMembersPerReply + 1).fill(m) }).success).toBe(false);
    expect(ReplyBodies.roster.safeParse({ members: [m], done: 'maybe' }).success).toBe(false);
    expect(ReplyBodies.lookup.safeParse({ members: [m], total: -1 }).success).toBe(false);
  });

  it('a roster page starts the next after its last member as sent, even one left out, when its id can be sent back', () => {
    const m = (id: string, status = 'active') => ({ id, cardId: id, name: id, phone: '', status, expiresOn: '' });
    expect(ReplyBodies.roster.parse({ members: [m('A'), m('B', 'gone')], done: false }).after).toBe('B');
    expect(ReplyBodies.roster.parse({ members: [m('A'), m('B'.repeat(65))], done: false }).after).toBe('A');
    expect(ReplyBodies.roster.parse({ members: [42], done: false }).after).toBeUndefined();
  });

  it('the same record left out again is told once, and memory for it is bounded', () => {
    const r = new LeftOutRecords();
    const parsed = ReplyBodies.lookup.parse({ members: Array.from({ length: 200 }, (_, i) => ({ id: `B${i}`, status: 'gone' })) });
    expect(r.fresh(parsed.leftOut!)).toBe(200);
    expect(r.fresh(parsed.leftOut!)).toBe(0);
    expect(r.count).toBe(200);
  });
});
