import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readSmallFile } from '../core/small-file';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Linux has no login-item API in Electron: the desktop's XDG autostart folder holds a .desktop file
 * instead. An AppImage runs from a new mount each time, so the entry names the AppImage file itself.
 */
export function xdgAutostart(opts: { exec: string; args: string[]; env?: NodeJS.ProcessEnv }) {
  const env = opts.env ?? process.env;
  const dir = join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
  const file = join(dir, 'av-gym-console.desktop');
  const quote = (a: string) => (/^[\w./=-]+$/.test(a) ? a : `"${a.replace(/(["`$\\])/g, '\\$1')}"`);
  const exec = [env.APPIMAGE || opts.exec, ...opts.args].map(quote).join(' ');
  const entry = ['[Desktop Entry]', 'Type=Application', 'Name=AV Gym Console', `Exec=${exec}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n');
  return {
    file,
    get: (): boolean => {
      try {
        return readSmallFile(file, 64 * 1024).toString('utf8').includes(`Exec=${exec}\n`);
      } catch {
        return false; // none, or not one we could have written
      }
    },
    set(on: boolean): void {
      if (!on) return rmSync(file, { force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, entry, { mode: 0o644 });
    },
  };
}
