import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { requests } from '../../src/shared/contract';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { ScreenSessions, Session } from '../../src/main/core/auth/session';
import { PinStore } from '../../src/main/core/auth/pins';
import { authHandlers, REVIEW_NAME_TEXT } from '../../src/main/core/auth/auth-handlers';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import type { AuditLog } from '../../src/main/core/store/audit-log';

function setup(review: boolean, named: string[] = []) {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  const audits: string[] = [];
  const pins = new PinStore(db);
  const clock = { now: () => 1, mono: () => 1, setTimeout, clearTimeout, defer: setImmediate };
  const audit = { record: (actor: string, action: string, subject: string) => audits.push(`${actor}: ${action} ${subject}`) } as unknown as AuditLog;
  const handlers = Object.fromEntries(Object.keys(requests).map((k) => [k, () => null])) as unknown as Handlers;
  Object.assign(handlers, authHandlers({ pins, clock, audit, kiosk: false, review, screens: new ScreenSessions(null, null), nameGym: (n) => named.push(n) }));
  return { pins, handlers, audits, ctx: { transport: 'test' as const, session: new Session(null) } };
}

describe('first-run PINs on a review PC (no front desk, no kiosk)', () => {
  it('asks for the manager PIN only, and sets only that', async () => {
    const { pins, handlers, audits, ctx } = setup(true);
    expect(await dispatch(handlers, 'auth.status', undefined, ctx)).toMatchObject({ ok: true, value: { setupNeeded: true, roles: ['manager'] } });
    expect(await dispatch(handlers, 'auth.setup', { desk: '1234', manager: '5678', kiosk: '9012' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'review-setup', message: 'This PC only reviews exports: it has no front desk or kiosk, so only the manager PIN is set here.' },
    });
    expect(pins.configured).toBe(false);
    expect(await dispatch(handlers, 'auth.setup', { manager: '5678' }, ctx)).toMatchObject({ ok: true, value: { role: 'manager', setupNeeded: false, roles: ['manager'] } });
    expect(pins.check('manager', '5678')).toBe(true);
    expect(pins.check('desk', '1234')).toBe(false);
    expect(audits).toEqual(['first run: auth.setup manager']);
  });

  it('changes the manager PIN only: a front desk or kiosk PIN would open screens it does not have', async () => {
    const { pins, handlers, ctx } = setup(true);
    await dispatch(handlers, 'auth.setup', { manager: '5678' }, ctx);
    expect(await dispatch(handlers, 'auth.changePins', { current: '5678', desk: '1234' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'review-setup', message: 'This PC only reviews exports: it has no front desk or kiosk, so only the manager PIN can be changed here.' },
    });
    expect(pins.check('desk', '1234')).toBe(false);
    expect(await dispatch(handlers, 'auth.changePins', { current: '5678', manager: '4444', managerAgain: '4444' }, ctx)).toMatchObject({ ok: true, value: { changed: ['manager'] } });
    expect(pins.check('manager', '4444')).toBe(true);
  });

  it('a gym\'s console still sets all three, and says which one is missing', async () => {
    const { handlers, audits, ctx } = setup(false);
    expect(await dispatch(handlers, 'auth.status', undefined, ctx)).toMatchObject({ ok: true, value: { setupNeeded: true, roles: ['desk', 'manager', 'kiosk'] } });
    expect(await dispatch(handlers, 'auth.setup', { manager: '5678' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', problems: [{ field: 'desk', message: 'Front desk PIN is missing: type 4 to 12 digits.' }, { field: 'kiosk', message: 'Kiosk PIN is missing: type 4 to 12 digits.' }] },
    });
    expect(await dispatch(handlers, 'auth.setup', { desk: '1234', manager: '5678', kiosk: '9012' }, ctx)).toMatchObject({ ok: true, value: { role: 'manager' } });
    expect(audits).toEqual(['first run: auth.setup front desk, manager and kiosk']);
  });

  it("a gym's first run may name the gym, saved as Analytics' Gym name by the same rules; a review PC names none (probe-walk16, walk15 #8)", async () => {
    const named: string[] = [];
    const { pins, handlers, ctx } = setup(false, named);
    // Too long: refused at its field, in words, and nothing is set.
    expect(await dispatch(handlers, 'auth.setup', { desk: '1234', manager: '5678', kiosk: '9012', siteName: 'R'.repeat(61) }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'siteName', message: 'Gym name can be at most 60 characters.' },
    });
    expect(await dispatch(handlers, 'auth.setup', { desk: '1234', manager: '5678', kiosk: '9012', siteName: ' \u200B ' }, ctx)).toMatchObject({ ok: false, error: { field: 'siteName' } });
    expect([pins.configured, named]).toEqual([false, []]);
    // Cleaned as the Analytics tab cleans it (spaces collapsed, hidden marks dropped).
    expect(await dispatch(handlers, 'auth.setup', { desk: '1234', manager: '5678', kiosk: '9012', siteName: '  Riverside\u202E   Gym ' }, ctx)).toMatchObject({ ok: true, value: { role: 'manager' } });
    expect(named).toEqual(['Riverside Gym']);
    expect(pins.check('manager', '5678')).toBe(true);

    const review = setup(true, named);
    expect(await dispatch(review.handlers, 'auth.setup', { manager: '5678', siteName: 'North' }, review.ctx)).toMatchObject({ ok: false, error: { code: 'review-setup', field: 'siteName', message: REVIEW_NAME_TEXT } });
    expect([review.pins.configured, named]).toEqual([false, ['Riverside Gym']]);
  });
});
