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
  'app.info': () => ({ version: 't', demo: true, kiosk: false, exportPicker: 'upload' }),
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
      expect(r.error.message).not.toMatch(/✖|→|demo\.setRate|ratePerHour/); // staff words on screen
      expect(r.error.detail).toContain('demo.setRate'); // the precise detail, for the log
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses a payload on a request that takes none', async () => {
    expect(await dispatch(handlers, 'app.info', { x: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('says a bad analytics setting in words, naming the field so the screen can put it beside the control', async () => {
    const r = await dispatch(handlers, 'analytics.configure', { retentionDays: { events: 30, samples: 7, hours: 90, days: 365 }, verdictSeconds: 1 }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'verdictSeconds' } });
    if (!r.ok) expect(r.error.message).toBe('The console does not know the setting "verdictSeconds"; reload the console and try again.');
    const d = await dispatch(handlers, 'desk.configure', { verdictSeconds: 40 }, ctx);
    expect(d).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'verdictSeconds', message: 'Verdict time must be between 2 and 30 seconds.' } });
    const a = await dispatch(handlers, 'analytics.configure', { retentionDays: { events: 0, samples: 7, hours: 90, days: 365 } }, ctx);
    expect(a).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'retentionDays.events', message: 'Days to keep events must be between 1 and 3,650.' } });
    expect(calls).toHaveLength(0);
  });

  it('turns a user error into its own code and a thrown bug into a generic one', async () => {
    expect(await dispatch(handlers, 'demo.setRate', { ratePerHour: 13 }, ctx)).toEqual({
      ok: false,
      error: { code: 'not-demo', message: 'Only on the demo gym.' },
    });
    expect(await dispatch(handlers, 'state.snapshot', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('on the sign-in screen a fault never sends people to a screen that needs a sign-in: IT is told where the details are', async () => {
    const out = { transport: 'test' as const, session: new Session(null) };
    const h = { ...handlers, 'auth.login': () => { throw new Error('disk on fire'); } } as Handlers;
    const r = await dispatch(h, 'auth.login', { role: 'manager', pin: '1234' }, out);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', detail: 'disk on fire' } });
    if (!r.ok) {
      expect(r.error.message).not.toContain('Copy diagnostics');
      expect(r.error.message).toContain("tell the gym's IT: the details are in logs/console.log in the console's data folder");
    }
    // Signed in, the manager's screen is still the way to the diagnostics.
    expect(await dispatch(handlers, 'state.snapshot', undefined, ctx)).toMatchObject({ error: { message: expect.stringContaining('Copy diagnostics on the Connection Pools tab') } });
  });

  it('a damaged database page met while running (SQLite: malformed) says so and what IT does, signed in or not', async () => {
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    const h = { ...handlers, 'auth.login': () => { throw corrupt; } } as Handlers;
    const r = await dispatch(h, 'auth.login', { role: 'desk', pin: '1234' }, { transport: 'test' as const, session: new Session(null) });
    expect(r).toMatchObject({ ok: false, error: { code: 'db-damaged', detail: 'database disk image is malformed' } });
    if (!r.ok) {
      // Staff at the sign-in screen are told not to retry (a PIN typed again would meet the same page), and whom to tell.
      expect(r.error.message).toContain("The console's database file is damaged: part of it cannot be read (a bad disk sector, or a copy taken while the console was using it), so nothing was done, and trying again will not help. Tell the gym's IT");
      expect(r.error.message).toContain('restart the console; at start it checks its files and says which one is damaged and what to do');
      expect(r.error.message).not.toContain('Copy diagnostics');
    }
  });
});
