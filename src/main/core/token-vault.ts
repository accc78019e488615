import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the backend auth token is kept between runs. Electron uses safeStorage; the headless host a file. */
export interface TokenVault {
  load(): string | null;
  save(token: string): void;
  /** Said to the user when the token is saved. */
  readonly where: string;
}

/** A file only this OS user can read (mode 0600). */
export function fileTokenVault(dataDir: string): TokenVault {
  const file = join(dataDir, 'backend-token');
  return {
    where: `${file} (mode 0600: readable only by this user)`,
    load: () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null),
    save(token) {
      writeFileSync(file, `${token}\n`, { mode: 0o600 });
      chmodSync(file, 0o600); // an existing file keeps its old mode on write
    },
  };
}
