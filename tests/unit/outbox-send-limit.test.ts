import { describe, expect, it } from 'vitest';
import { Session } from '../../src/main/core/auth/session';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { requests } from '../../src/shared/contract';
import { LIMITS, RequestBodies } from '../../src/shared/protocol';

const sent: unknown[] = [];
const handlers = {
  ...(Object.fromEntries(Object.keys(requests).map((k) => [k, () => undefined])) as unknown as Handlers),
  'outbox.send': (input) => {
    sent.push(input);
    return { key: 'k', durable: true };
  },
} satisfies Handlers;
const ctx = { transport: 'test' as const, session: new Session('desk') };

describe("an action's size: one limit, the wire's", () => {
  it('refuses data longer than the wire carries at the boundary, in plain words, without queueing it', async () => {
    sent.length = 0;
    const r = await dispatch(handlers, 'outbox.send', { lane: 'broadcast', kind: 'staff.note', data: 'n'.repeat(LIMITS.maxActionDataLength + 1) }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!r.ok) {
      expect(r.error.message).toBe('A message can carry at most 8,192 characters, the most a gym backend takes; shorten it and send again.');
      expect(r.error.message).not.toMatch(/malformed|Too big|expected/);
    }
    expect(sent).toHaveLength(0);
  });

  it('passes data at the limit, and the wire takes what the boundary passed', async () => {
    sent.length = 0;
    const action = { kind: 'staff.note', data: 'n'.repeat(LIMITS.maxActionDataLength) };
    expect(await dispatch(handlers, 'outbox.send', { lane: 'broadcast', ...action }, ctx)).toMatchObject({ ok: true });
    expect(sent).toHaveLength(1);
    expect(RequestBodies.action.safeParse(action).success).toBe(true);
  });

  // probe-hostile21 J14: a kind of only U+202E was queued, and the audit log kept it raw.
  it('refuses a kind holding characters nobody sees, in plain words, without queueing it', async () => {
    sent.length = 0;
    for (const kind of ['\u202e', 'staff.note\u200b', 'a\u0007b']) {
      const r = await dispatch(handlers, 'outbox.send', { lane: 'broadcast', kind, data: 'x' }, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('characters nobody sees') } });
    }
    expect(sent).toHaveLength(0);
  });
});
