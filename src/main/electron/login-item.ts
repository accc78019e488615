import { app } from 'electron';
import type { LoginItem } from '../core/login-item';
import { xdgAutostart } from './autostart';

/** The OS's "start at login" for this console, started again as it runs now (a kiosk as a kiosk). */
export function osLoginItem(kiosk: boolean): LoginItem {
  const args = kiosk ? ['--kiosk'] : [];
  if (process.platform === 'linux') return { asKiosk: kiosk, ...xdgAutostart({ exec: process.execPath, args }) };
  return {
    asKiosk: kiosk,
    get: () => app.getLoginItemSettings({ args }).openAtLogin,
    set: (on) => app.setLoginItemSettings({ openAtLogin: on, args }),
  };
}
