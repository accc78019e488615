import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { loginItemHandlers, type LoginItem } from '../../src/main/core/login-item';
import { xdgAutostart } from '../../src/main/electron/autostart';

function setup(loginItem?: LoginItem) {
  const audits: unknown[][] = [];
  const handlers = loginItemHandlers({ loginItem, audit: (_ctx, ...rest) => audits.push(rest) }) as unknown as Handlers;
  const call = (role: 'manager' | 'desk' | 'kiosk', name: string, input?: unknown) => dispatch(handlers, name, input, { transport: 'test', session: new Session(role) });
  return { audits, call };
}

const fakeItem = (asKiosk = true): LoginItem & { calls: boolean[] } => {
  let on = false;
  const calls: boolean[] = [];
  return { asKiosk, calls, get: () => on, set: (v) => void calls.push((on = v)) };
};

describe('"Start at login", a manager setting', () => {
  it('turns the OS entry on and off for a manager, and audits each change', async () => {
    const item = fakeItem();
    const { call, audits } = setup(item);
    expect(await call('manager', 'app.startAtLogin')).toEqual({ ok: true, value: { available: true, on: false, asKiosk: true } });
    expect(await call('manager', 'app.setStartAtLogin', { on: true })).toEqual({ ok: true, value: { available: true, on: true, asKiosk: true } });
    expect(await call('manager', 'app.setStartAtLogin', { on: false })).toMatchObject({ ok: true, value: { on: false } });
    expect(item.calls).toEqual([true, false]);
    expect(audits).toEqual([
      ['app.setStartAtLogin', 'start at login', false, true],
      ['app.setStartAtLogin', 'start at login', true, false],
    ]);
  });

  it('is refused to the front desk and the kiosk, and to input that is not a yes or no', async () => {
    const item = fakeItem();
    const { call } = setup(item);
    expect(await call('desk', 'app.setStartAtLogin', { on: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('kiosk', 'app.startAtLogin')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('manager', 'app.setStartAtLogin', { on: 'yes' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await call('manager', 'app.setStartAtLogin', { on: true, args: ['--inspect'] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(item.calls).toEqual([]);
  });

  it('says what to do in the browser form, where there is no desktop entry', async () => {
    const { call } = setup(undefined);
    expect(await call('manager', 'app.startAtLogin')).toEqual({ ok: true, value: { available: false, on: false, asKiosk: false } });
    expect(await call('manager', 'app.setStartAtLogin', { on: true })).toMatchObject({ ok: false, error: { code: 'not-available', message: expect.stringMatching(/startup programs/) } });
  });

  it('reports an OS that refuses the change in words, and audits nothing', async () => {
    const { call, audits } = setup({ asKiosk: false, get: () => false, set: () => { throw new Error('access denied'); } });
    expect(await call('manager', 'app.setStartAtLogin', { on: true })).toMatchObject({ ok: false, error: { code: 'login-item-failed', message: expect.stringMatching(/access denied.*Ask IT/) } });
    expect(audits).toEqual([]);
  });
});

describe('Linux: an XDG autostart entry', () => {
  it('writes and removes ~/.config/autostart/av-gym-console.desktop, naming the AppImage when run from one', () => {
    const config = mkdtempSync(join(tmpdir(), 'autostart-'));
    const entry = xdgAutostart({ exec: '/tmp/.mount_x/av-gym-console', args: ['--kiosk'], env: { XDG_CONFIG_HOME: config, APPIMAGE: '/home/desk/AV Gym Console.AppImage' } });
    expect(entry.file).toBe(join(config, 'autostart/av-gym-console.desktop'));
    expect(entry.get()).toBe(false);
    entry.set(true);
    expect(entry.get()).toBe(true);
    expect(readFileSync(entry.file, 'utf8')).toContain('Exec="/home/desk/AV Gym Console.AppImage" --kiosk\n');
    expect(statSync(entry.file).mode & 0o777).toBe(0o644);
    entry.set(false);
    expect(existsSync(entry.file)).toBe(false);
    expect(entry.get()).toBe(false);
  });

  it('does not count an entry for another program or other flags as on', () => {
    const config = mkdtempSync(join(tmpdir(), 'autostart-'));
    xdgAutostart({ exec: '/opt/AV Gym Console/av-gym-console', args: [], env: { XDG_CONFIG_HOME: config } }).set(true);
    expect(xdgAutostart({ exec: '/opt/AV Gym Console/av-gym-console', args: ['--kiosk'], env: { XDG_CONFIG_HOME: config } }).get()).toBe(false);
  });
});
