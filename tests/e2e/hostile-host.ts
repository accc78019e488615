import type { Page } from '@playwright/test';
import { test, expect, startWebHost, stopWebHost, type RunningHost } from './host-fixture';
import { bridgeCall } from './bridge-client';
import { startHostileBackend, type HostileBackend } from '../helpers/hostile-backend';

export type { HostileBackend, WireMember } from '../helpers/hostile-backend';

/** The PINs `setUpDesk` sets, as the README's kiosk steps do. */
export const PINS = { desk: '4321', manager: '8765', kiosk: '1111' } as const;

/**
 * A hostile backend (tests/helpers/hostile-backend.ts) and the headless hosts a spec starts on it. Whatever a
 * test leaves running is stopped after it, hosts first. Call once, at the top of a spec file.
 */
export function hostileRig() {
  let hb: HostileBackend | null = null;
  let flags: string[] = [];
  const hosts: RunningHost[] = [];
  test.afterEach(async () => {
    for (const h of hosts.splice(0)) await stopWebHost(h);
    await hb?.close();
    hb = null;
  });
  return {
    async start(opts?: Parameters<typeof startHostileBackend>[0]): Promise<HostileBackend> {
      hb = await startHostileBackend(opts);
      flags = ['--backend', hb.urls.join(','), '--backend-token', hb.token];
      return hb;
    },
    /** The running backend. */
    get hb(): HostileBackend {
      if (!hb) throw new Error('no hostile backend running: start() it first');
      return hb;
    },
    /** A headless host on the backend, `args` before its flags (`--kiosk`); `dataDir`: start again on what one kept. */
    async host(args: string[] = [], dataDir?: string): Promise<RunningHost> {
      if (!flags.length) throw new Error('no hostile backend started: start() it first');
      const h = await startWebHost([...args, ...flags], dataDir);
      hosts.push(h);
      return h;
    },
    /** A backend (`opts`) and a console set up on it (setUpDesk), its page open at the sign-in screen. */
    async openConsole(page: Page, opts?: Parameters<typeof startHostileBackend>[0], size = { width: 1366, height: 900 }): Promise<RunningHost> {
      await this.start(opts);
      const h = await this.host();
      await setUpDesk(h.url);
      await page.setViewportSize(size);
      await page.goto(h.url);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 15_000 });
      return h;
    },
    /** The backend goes away mid-test (overnight, a crash); hosts started after still point at it, as a PC keeps its settings. */
    async closeBackend(): Promise<void> {
      await hb?.close();
      hb = null;
    },
  };
}

/** PINs set over the bridge and verdicts held 30 s, so no timing in a spec is tight. */
export async function setUpDesk(url: string): Promise<void> {
  expect(await bridgeCall(url, 'auth.setup', PINS)).toMatchObject({ ok: true });
  expect(await bridgeCall(url, 'desk.configure', { verdictSeconds: 30 }, { role: 'manager', pin: PINS.manager })).toMatchObject({ ok: true });
}

/** Signs in on the page's sign-in screen with the PIN `setUpDesk` set for the role. */
export async function signInAs(page: Page, role: 'front desk' | 'manager'): Promise<void> {
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('PIN', { exact: true }).fill(role === 'manager' ? PINS.manager : PINS.desk);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.who-am-i')).toContainText(role);
}
