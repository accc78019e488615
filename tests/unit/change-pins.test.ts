import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ACCESS, requests } from '../../src/shared/contract';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { ScreenSessions, type Session } from '../../src/main/core/auth/session';
import { PinStore } from '../../src/main/core/auth/pins';
import { authHandlers } from '../../src/main/core/auth/auth-handlers';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';

const OLD = { desk: '1234', manager: '5678', kiosk: '9012' };

/** A console's auth with real PINs, a real audit table and a registry of open screens. */
function setup(first: 'manager' | null = null, afterSignOut: 'kiosk' | null = null) {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  let now = 1_000_000;
  const pins = new PinStore(db);
  pins.set(OLD);
  const audit = new AuditLog(db, () => now);
  const screens = new ScreenSessions(first, afterSignOut);
  const auth = authHandlers({ pins, clock: { now: () => now, mono: () => now, setTimeout, clearTimeout, defer: setImmediate }, audit, kiosk: false, screens });
  const handlers = Object.fromEntries(Object.keys(requests).map((k) => [k, () => null])) as unknown as Handlers;
  Object.assign(handlers, auth);
  /** A screen, signed in as `role` with its PIN; `told` collects what it is told when signed out from elsewhere. */
  const screen = async (role: 'desk' | 'manager' | 'kiosk' | null) => {
    const told: string[] = [];
    const session = screens.start((m) => told.push(m));
    if (role) expect(await dispatch(handlers, 'auth.login', { role, pin: OLD[role] }, { transport: 'test', session })).toMatchObject({ ok: true });
    return { session, told, call: (name: string, input?: unknown) => dispatch(handlers, name, input, { transport: 'test', session }) };
  };
  const login = (session: Session, role: 'desk' | 'manager' | 'kiosk', pin: string) => dispatch(handlers, 'auth.login', { role, pin }, { transport: 'test', session });
  const auditText = () => JSON.stringify(db.prepare('SELECT * FROM audit').all());
  return { pins, audit, screens, screen, login, auditText, tick: (ms: number) => (now += ms) };
}

describe('a manager changes the PINs', () => {
  it('is a manager\'s request only', async () => {
    expect(ACCESS['auth.changePins']).toBe('manager');
    const { screen } = setup();
    const desk = await screen('desk');
    expect(await desk.call('auth.changePins', { current: OLD.manager, desk: '4444' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('changes only the PINs given: the old one is refused, the new one accepted, the rest untouched', async () => {
    const { screen, login, pins } = setup();
    const m = await screen('manager');
    expect(await m.call('auth.changePins', { current: OLD.manager, desk: '4444' })).toEqual({ ok: true, value: { changed: ['desk'], signedOut: 0 } });
    const later = (await screen(null)).session;
    expect(await login(later, 'desk', OLD.desk)).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(await login(later, 'desk', '4444')).toMatchObject({ ok: true, value: { role: 'desk' } });
    expect(pins.check('manager', OLD.manager) && pins.check('kiosk', OLD.kiosk)).toBe(true);
  });

  it('refuses a wrong current PIN at its field, changes nothing, and counts it toward the manager lockout', async () => {
    const { screen, pins, tick, login, auditText } = setup();
    const m = await screen('manager');
    const wrong = await m.call('auth.changePins', { current: '0000', desk: '4444' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong-pin', field: 'current', problems: [{ field: 'current', message: expect.stringMatching(/^Current manager PIN is wrong; nothing was changed\. After 2 more wrong manager PINs, each try has to wait\.$/) }] } });
    expect(pins.check('desk', OLD.desk)).toBe(true);
    expect(auditText()).toMatch(/auth\.failed/);
    // Two more: the third wrong manager PIN starts this screen's wait, at sign-in too; another screen is not held (F11).
    await m.call('auth.changePins', { current: '0000', desk: '4444' });
    expect(await m.call('auth.changePins', { current: '0000', desk: '4444' })).toMatchObject({ ok: false, error: { field: 'current', message: expect.stringMatching(/next in 2 s/) } });
    expect(await login(m.session, 'manager', OLD.manager)).toMatchObject({ ok: false, error: { code: 'locked' } });
    const other = (await screen(null)).session;
    expect(await login(other, 'manager', OLD.manager)).toMatchObject({ ok: true, value: { role: 'manager' } });
    // While waiting, even the right PIN is refused, and said so at the field.
    expect(await m.call('auth.changePins', { current: OLD.manager, desk: '4444' })).toMatchObject({ ok: false, error: { code: 'locked', field: 'current', message: expect.stringMatching(/Try again in 2 s/) } });
    tick(2_100);
    expect(await m.call('auth.changePins', { current: OLD.manager, desk: '4444' })).toMatchObject({ ok: true });
    // The right current PIN clears the count, as a sign-in does.
    expect(await m.call('auth.changePins', { current: '0000', kiosk: '7777' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/After 2 more/) } });
  });

  it.each([
    // Among the new PINs: checked by the contract's schema, before the handler runs.
    [{ desk: '4444', kiosk: '4444' }, 'kiosk', 'New kiosk PIN must differ from the new front desk PIN.'],
    // With a PIN that stays: only main can tell.
    [{ desk: OLD.kiosk }, 'desk', 'New front desk PIN must differ from the kiosk PIN.'],
    [{ kiosk: OLD.manager }, 'kiosk', 'New kiosk PIN must differ from the manager PIN.'],
    [{ manager: OLD.desk, managerAgain: OLD.desk }, 'manager', 'New manager PIN must differ from the front desk PIN.'],
    // The same PIN again is no change.
    [{ desk: OLD.desk }, 'desk', 'New front desk PIN is the same as the current one: choose another.'],
    [{ manager: OLD.manager, managerAgain: OLD.manager }, 'manager', 'New manager PIN is the same as the current one: choose another.'],
    [{ desk: '12' }, 'desk', 'New front desk PIN must be 4 to 12 digits, numbers only.'],
    [{ manager: '4444', managerAgain: '4445' }, 'managerAgain', 'Repeat new manager PIN does not match the new manager PIN: type the same PIN in both.'],
    // One bad PIN holds back the good one beside it.
    [{ desk: '4444', kiosk: OLD.kiosk }, 'kiosk', 'New kiosk PIN is the same as the current one: choose another.'],
    [{}, '', 'Type at least one new PIN: front desk, manager or kiosk.'],
  ] as [object, string, string][])('refuses %j at the field it is about, in its label\'s words, and saves nothing', async (change, field, message) => {
    const { screen, pins } = setup();
    const m = await screen('manager');
    const r = await m.call('auth.changePins', { current: OLD.manager, ...change });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', problems: [{ field, message }] } });
    for (const [role, pin] of Object.entries(OLD)) expect(pins.check(role as 'desk', pin)).toBe(true);
  });

  it('lets two PINs swap: the final three are still all different', async () => {
    const { screen, pins } = setup();
    const m = await screen('manager');
    expect(await m.call('auth.changePins', { current: OLD.manager, desk: OLD.kiosk, kiosk: OLD.desk })).toMatchObject({ ok: true, value: { changed: ['desk', 'kiosk'] } });
    expect(pins.check('desk', OLD.kiosk) && pins.check('kiosk', OLD.desk)).toBe(true);
  });

  it('audits which PINs changed, never the PINs or their hashes', async () => {
    const { screen, auditText, audit } = setup();
    const m = await screen('manager');
    expect(await m.call('auth.changePins', { current: OLD.manager, desk: '4444', kiosk: '3333' })).toMatchObject({ ok: true });
    expect(audit.list()[0]).toMatchObject({ actor: 'manager', action: 'auth.changePins', subject: 'front desk and kiosk', before: null, after: null });
    const all = auditText();
    expect(all).not.toMatch(/4444|3333|5678/);
    expect(all).not.toMatch(/[0-9a-f]{32}/);
  });

  it('signs out the other screens of a changed role and tells them why; the changing manager stays', async () => {
    const { screen, screens } = setup();
    const m = await screen('manager');
    const otherManager = await screen('manager');
    const desk1 = await screen('desk');
    const desk2 = await screen('desk');
    const kiosk = await screen('kiosk');
    const gone = await screen('desk');
    gone.session.end(); // a closed screen is not told anything
    expect(screens.size).toBe(5);
    expect(await m.call('auth.changePins', { current: OLD.manager, desk: '4444' })).toEqual({ ok: true, value: { changed: ['desk'], signedOut: 2 } });
    expect([desk1.session.role, desk2.session.role]).toEqual([null, null]);
    expect(desk1.told).toEqual(['A manager changed the front desk PIN. Sign in with the new one.']);
    expect([m.session.role, otherManager.session.role, kiosk.session.role]).toEqual(['manager', 'manager', 'kiosk']);
    expect(gone.told).toEqual([]);
    // The new manager PIN signs the other managers out too, but not the manager who changed it.
    expect(await m.call('auth.changePins', { current: OLD.manager, manager: '2222', managerAgain: '2222' })).toMatchObject({ ok: true, value: { changed: ['manager'], signedOut: 1 } });
    expect(m.session.role).toBe('manager');
    expect(otherManager.session.role).toBeNull();
    expect(otherManager.told).toEqual(['A manager changed the manager PIN. Sign in with the new one.']);
    expect(await otherManager.call('state.snapshot')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('ends the demo\'s free manager sign-in; a kiosk station stays a kiosk', async () => {
    const demo = setup('manager');
    const m = await demo.screen(null); // the demo starts screens as manager
    expect(m.session.role).toBe('manager');
    expect(await m.call('auth.changePins', { current: OLD.manager, kiosk: '3333' })).toMatchObject({ ok: true });
    expect((await demo.screen(null)).session.role).toBeNull();

    const station = setup(null, 'kiosk');
    const k = station.screens.start();
    k.role = 'kiosk';
    const boss = await station.screen('manager');
    expect(await boss.call('auth.changePins', { current: OLD.manager, kiosk: '3333' })).toMatchObject({ ok: true, value: { signedOut: 0 } });
    expect(k.role).toBe('kiosk');
  });
});

describe('first-run setup, once set', () => {
  it('says where the PINs can be changed', async () => {
    const { screen } = setup();
    const s = await screen(null);
    expect(await s.call('auth.setup', OLD)).toMatchObject({ ok: false, error: { code: 'already-set-up', message: 'PINs are already set. A manager can change them on the Overview tab, under Change PINs.' } });
  });
});

// probe26b B8: a new kiosk PIN closed a station opened with the manager's PIN: members there were sent to the desk,
// with no closing in the audit log. A PIN change signs out the screens that used that PIN.
describe('a PIN change signs out the screens that used that PIN, whatever role they took', () => {
  it("a station stays open when the PIN that opened it changes, unless that is the kiosk PIN: then it is closed, and the audit log says so", async () => {
    const { screen, screens, auditText } = setup();
    const m = await screen('manager');
    const byManager = await screen(null);
    const byKiosk = await screen(null);
    expect(await byManager.call('auth.login', { role: 'manager', pin: OLD.manager, as: 'kiosk' })).toMatchObject({ ok: true, value: { role: 'kiosk' } });
    expect(await byKiosk.call('auth.login', { role: 'kiosk', pin: OLD.kiosk })).toMatchObject({ ok: true, value: { role: 'kiosk' } });
    // review26 V2: a new manager PIN closed the station a manager had opened, and told it the kiosk PIN had changed.
    expect(await m.call('auth.changePins', { current: OLD.manager, manager: '5555', managerAgain: '5555' })).toEqual({ ok: true, value: { changed: ['manager'], signedOut: 0 } });
    expect(byManager.session.role).toBe('kiosk');
    expect(await m.call('auth.changePins', { current: '5555', kiosk: '4444' })).toEqual({ ok: true, value: { changed: ['kiosk'], signedOut: 1 } });
    expect(byManager.session.role).toBe('kiosk');
    expect(byManager.told).toEqual([]);
    expect(byKiosk.session.role).toBeNull();
    expect(byKiosk.told).toEqual(['A manager changed the kiosk PIN. Sign in with the new one.']);
    expect(auditText()).toContain('a new kiosk PIN closed a kiosk station: members cannot check in there until it is reopened');
    expect(screens.size).toBe(3);
  });
});
