import { describe, expect, it, vi } from 'vitest';
import type * as realFs from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lostBeforeStart } from '../../src/main/core/startup/resolve-start';
import { StartRefused } from '../../src/main/core/startup/start-refused';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { markConsoleDbKept } from '../../src/main/core/store/console-db-mark';
import { consoleUser } from '../../src/main/core/file-open-words';

// Probe-hostile21 J8: a console.db this user may not read (root's after one run with sudo, or mode 000) refused the
// start, rightly, but with Node's stack trace ("EACCES … at openSync … at header"). The tests run as root, where
// modes stop nothing, so the system's refusal is played: `open` and `access` with the refused mode fail as Node's do.
/** Path → what is refused on it: 'open', 'read' (access R_OK), 'write' (access W_OK). */
const denied = vi.hoisted(() => new Map<string, string[]>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof realFs>();
  const refuse = (p: unknown, what: string, syscall: string): void => {
    if (typeof p === 'string' && denied.get(p)?.includes(what)) throw Object.assign(new Error(`EACCES: permission denied, ${syscall} '${p}'`), { code: 'EACCES', errno: -13, syscall, path: p });
  };
  const openSync = ((p: realFs.PathLike, ...rest: unknown[]) => (refuse(p, 'open', 'open'), (fs.openSync as (...a: unknown[]) => number)(p, ...rest))) as typeof fs.openSync;
  const accessSync = ((p: realFs.PathLike, mode = fs.constants.F_OK) => {
    if (mode & fs.constants.R_OK) refuse(p, 'read', 'access');
    if (mode & fs.constants.W_OK) refuse(p, 'write', 'access');
    fs.accessSync(p, mode);
  }) as typeof fs.accessSync;
  return { ...fs, default: { ...fs, openSync, accessSync }, openSync, accessSync };
});

/** A live folder whose console.db has held data (console-db.json written). */
function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gym-console-db-unreadable-'));
  openConsoleDb(dir).close();
  markConsoleDbKept(dir);
  return dir;
}

const start = (dir: string) => lostBeforeStart({ flags: {}, dataDir: dir });

describe('console.db this user may not open', () => {
  it('unreadable: the start is refused in one line naming the file, the user and the fix, before anything is written', () => {
    const dir = site();
    const file = join(dir, 'console.db');
    denied.set(file, ['open', 'read', 'write']);
    try {
      const user = consoleUser();
      const said = start(dir);
      expect(said).toBe(
        `${file} is not readable by this user (${user}): console.db holds the PINs and the check-ins not yet sent to the backend; give it back to this user (chown ${user} ${file}; chmod 600 ${file}), then start the console again.`,
      );
      // The core's own open says the same (a folder without console-db.json gets no check before it).
      expect(() => openConsoleDb(dir)).toThrow(new StartRefused(said!));
    } finally {
      denied.delete(file);
    }
  });

  it('its -wal readable but not writable (root\'s, 0644): that file is named, as not writable', () => {
    const dir = site();
    const wal = join(dir, 'console.db-wal');
    writeFileSync(wal, '');
    denied.set(wal, ['write']);
    try {
      expect(start(dir)).toMatch(new RegExp(`^${wal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not writable by this user \\(`));
    } finally {
      denied.delete(wal);
    }
  });

  it('a folder with no console-db.json yet: the open is refused in the same words, not "unable to open database file"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-console-db-unreadable-'));
    openConsoleDb(dir).close();
    const file = join(dir, 'console.db');
    denied.set(file, ['open', 'read']);
    try {
      expect(() => openConsoleDb(dir)).toThrow(/console\.db is not readable by this user .+chmod 600/);
    } finally {
      denied.delete(file);
    }
  });
});
