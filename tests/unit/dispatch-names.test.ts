import { describe, expect, it } from 'vitest';
import { Session } from '../../src/main/core/auth/session';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';

// Issue #11: the unknown-name path stringified whatever it was given, and hostile values throw or recurse there.
const handlers = {} as Handlers;
const ctx = { transport: 'test' as const, session: new Session('manager') };

function deepArray(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('dispatch: request names that are not strings', () => {
  it.each([
    ['an object whose toString throws', { toString: () => { throw new Error('boom'); } }],
    ['an object whose toString is not callable', { toString: 1 }],
    ['an array nested past any stack', deepArray(200_000)],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['null', null],
  ])('refuses %s with a clear error that echoes nothing of it', async (_label, name) => {
    const r = await dispatch(handlers, name, undefined, ctx);
    expect(r).toEqual({ ok: false, error: { code: 'unknown-request', message: 'A request must be named by text; this one was not, so nothing was done.' } });
  });

  it('still names an unknown string request, cut short', async () => {
    const r = await dispatch(handlers, 'x'.repeat(500), undefined, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown-request', message: `Unknown request "${'x'.repeat(64)}".` } });
  });
});
