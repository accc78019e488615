import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { requests } from '../../src/shared/contract';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { ScreenSessions, Session } from '../../src/main/core/auth/session';
import { PinStore } from '../../src/main/core/auth/pins';
import { authHandlers } from '../../src/main/core/auth/auth-handlers';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import type { AuditLog } from '../../src/main/core/store/audit-log';

function setup(review: boolean) {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  const audits: string[] = [];
  const pins = new PinStore(db);
  const clock = { now: () => 1, mono: () => 1, setTimeout, clearTimeout, defer: setImmediate };
  const audit = { record: (actor: string, action: string, subject: string) => audits.push(`${actor}: ${action} ${subject}`) } as unknown as AuditLog;
  const handlers = Object.fromEntries(Object.keys(requests).map((k) => [k, () => null])) as unknown as Handlers;
  Object.assign(handlers, authHandlers({ pins, clock, audit, kiosk: false, review, screens: new ScreenSessions(null, null) }));
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
});
