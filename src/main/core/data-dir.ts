import { mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'av-gym-console';

/** Where the console keeps its data when not told: the per-user application data folder of each OS. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AV_GYM_DATA_DIR) return resolve(env.AV_GYM_DATA_DIR);
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), APP_DIR_NAME);
  }
}

export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
