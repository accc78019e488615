import { Session } from '../../src/main/core/auth/session';
import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { UserError } from '../../src/shared/result';
import { requests } from '../../src/shared/contract';

const calls: unknown[] = [];
const unused = () => {
  throw new Error('not under test');
};
const handlers: Handlers = {
  ...(Object.fromEntries(Object.keys(requests).map((k) => [k, unused])) as unknown as Handlers),
  'app.info': () => ({ version: 't', demo: true, dataDir: '/d', kiosk: false, exportPicker: 'upload' }),
  'state.snapshot': () => {
    throw new Error('disk on fire');
  },
  'demo.setRate': (input) => {
    calls.push(input);
    if (input.ratePerHour === 13) throw new UserError('not-demo', 'Only on the demo gym.');
    return input;
  },
};
const ctx = { transport: 'test' as const, session: new Session('manager') };

describe('dispatch (the contract boundary)', () => {
  it('runs a valid call and wraps the value', async () => {
    expect(await dispatch(handlers, 'demo.setRate', { ratePerHour: 600 }, ctx)).toEqual({ ok: true, value: { ratePerHour: 600 } });
    expect(await dispatch(handlers, 'app.info', undefined, ctx)).toMatchObject({ ok: true, value: { version: 't' } });
  });

  it.each([
    ['unknown name', 'fs.readFile', {}],
    ['prototype key', 'constructor', {}],
    ['non-string name', 42, {}],
  ])('refuses an %s', async (_label, name, payload) => {
    const r = await dispatch(handlers, name, payload, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
  });

  it.each([
    ['a string', { ratePerHour: 'fast' }],
    ['a negative', { ratePerHour: -1 }],
    ['a fraction', { ratePerHour: 1.5 }],
    ['too large', { ratePerHour: 1e9 }],
    ['an extra key', { ratePerHour: 10, evil: true }],
    ['nothing', undefined],
    ['an array', [1]],
  ])('refuses a malformed payload (%s) without calling the handler', async (_label, payload) => {
    calls.length = 0;
    const r = await dispatch(handlers, 'demo.setRate', payload, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.message).toContain('demo.setRate');
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses a payload on a request that takes none', async () => {
    expect(await dispatch(handlers, 'app.info', { x: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('turns a user error into its own code and a thrown bug into a generic one', async () => {
    expect(await dispatch(handlers, 'demo.setRate', { ratePerHour: 13 }, ctx)).toEqual({
      ok: false,
      error: { code: 'not-demo', message: 'Only on the demo gym.' },
    });
    expect(await dispatch(handlers, 'state.snapshot', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
