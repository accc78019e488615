import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirProblem, defaultDataDir, openDataDir } from '../../src/main/core/data-dir';
import { lockDataDir } from '../../src/main/core/startup/data-dir-lock';
import { makeFolder } from '../../src/main/core/make-folder';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'gym-data-dir-'));

describe('openDataDir: the folder both hosts open, created and locked', () => {
  it('creates a missing folder and holds it: a second open is refused, naming this process', () => {
    const dir = join(tmp(), 'site');
    const first = openDataDir(dir, { flag: '--data-dir' });
    expect(first).toEqual({ ok: true, dir });
    expect(readdirSync(dir)).toEqual(['console.lock']);
    expect(openDataDir(dir, { flag: '--data-dir' })).toEqual({
      ok: false,
      problem: { kind: 'in-use', message: `Another AV Gym Console is already running on this data folder (process ${process.pid}). Close it first, or give this one its own --data-dir.` },
    });
    // demo/ is part of the folder.
    expect(openDataDir(join(dir, 'demo'))).toMatchObject({ ok: false, problem: { kind: 'in-use' } });
  });

  it('sets a damaged lock file aside instead of refusing every start', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'console.lock'), 'this is not a lock file, it is some text an editor left behind'.repeat(20));
    const lock = lockDataDir(dir);
    expect(lock.ok).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('console.lock.unreadable-'))).toHaveLength(1);
    if (lock.ok) lock.release();
  });

  it('says in one line when something that is not a file sits where the lock goes', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'console.lock'));
    const r = openDataDir(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.kind).toBe('cannot-use');
    expect(r.problem.message).toMatch(/console\.lock cannot be used as the console's lock file \(SQLITE_CANTOPEN\): remove whatever is there/);
  });

  it('is free again once released', () => {
    const dir = tmp();
    const lock = lockDataDir(dir);
    expect(lock.ok).toBe(true);
    expect(lockDataDir(dir)).toEqual({ ok: false, pid: process.pid });
    if (lock.ok) lock.release();
    const again = lockDataDir(dir);
    expect(again.ok).toBe(true);
    if (again.ok) again.release();
  });

  it('names the holder caught naming itself (two starts on a new folder at once): a moment later, not "unknown" (probe22 K6)', async () => {
    const dir = tmp();
    // Another process takes the lock and writes its name a little later, as a start on a new folder does.
    const other = holderNamingItselfLater(dir, 'CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, started_at INTEGER NOT NULL)');
    try {
      await new Promise<void>((r) => other.stdout!.once('data', () => r()));
      // A long wait here: the holder's COMMIT syncs to disk, slow on a busy machine; the start's own is half a second.
      expect(lockDataDir(dir, { namingWaitMs: 20_000 })).toEqual({ ok: false, pid: other.pid });
    } finally {
      other.kill('SIGKILL');
    }
  }, 40_000);

  it('never names itself as the holder when beaten to the lock just after writing its own name (review23 V8)', async () => {
    const dir = tmp();
    // This start's name is in the file (it wrote it, then lost the lock to another start before holding it again).
    const Database = (await import('better-sqlite3')).default;
    const mine = new Database(join(dir, 'console.lock'));
    mine.exec('CREATE TABLE owner (pid INTEGER NOT NULL, started_at INTEGER NOT NULL)');
    mine.prepare('INSERT INTO owner (pid, started_at) VALUES (?, ?)').run(process.pid, Date.now());
    mine.close();
    const other = holderNamingItselfLater(dir, 'DELETE FROM owner');
    try {
      await new Promise<void>((r) => other.stdout!.once('data', () => r()));
      expect(lockDataDir(dir, { namingWaitMs: 20_000 })).toEqual({ ok: false, pid: other.pid });
    } finally {
      other.kill('SIGKILL');
    }
  }, 40_000);

  it('refuses a file, or a path through a file, without creating anything', () => {
    const parent = tmp();
    const file = join(parent, 'x.csv');
    writeFileSync(file, '');
    expect(dataDirProblem(file)).toEqual({ kind: 'not-a-folder', message: `The data folder ${file} is a file, not a folder: give a folder for the console's data (a missing one is created).` });
    expect(openDataDir(join(file, 'a', 'b'), { flag: '--data-dir' })).toMatchObject({ ok: false, problem: { kind: 'not-a-folder', message: expect.stringContaining(`is inside ${file}, which is a file`) } });
    expect(readdirSync(parent)).toEqual(['x.csv']);
    expect(existsSync(join(parent, 'new'))).toBe(false);
    expect(openDataDir(join(parent, 'new', 'x'))).toMatchObject({ ok: true });
    expect(readdirSync(join(parent, 'new', 'x'))).toEqual(['console.lock']);
  });
});

describe('making the data folder', () => {
  it('makes missing parents one level at a time', () => {
    const dir = join(tmp(), 'a', 'b', 'c');
    makeFolder(dir);
    expect(existsSync(dir)).toBe(true);
    makeFolder(dir); // there already: nothing to do
  });

  it.skipIf(!existsSync('/proc/self'))('a mount that refuses folders (/proc): an error at once, refused in words (Node\'s own recursive mkdir loops forever there)', () => {
    expect(() => makeFolder('/proc/gym-console/deeper')).toThrow();
    const r = openDataDir('/proc/gym-console', { flag: '--data-dir' });
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.problem.message;
    expect(message).toMatch(/^--data-dir \/proc\/gym-console cannot be created: .*\/proc/);
    expect(message).not.toMatch(/\(E[A-Z]+\)/);
  });
});

describe.skipIf(process.platform === 'win32' || process.platform === 'darwin')('the default data folder on Linux', () => {
  it('follows XDG_DATA_HOME, and treats an empty or relative one as unset (never the current directory)', () => {
    const home = join(homedir(), '.local', 'share', 'av-gym-console');
    expect(defaultDataDir({ XDG_DATA_HOME: '/srv/data' })).toBe('/srv/data/av-gym-console');
    expect(defaultDataDir({ XDG_DATA_HOME: '' })).toBe(home);
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative/dir' })).toBe(home);
    expect(defaultDataDir({})).toBe(home);
  });
});

/**
 * Another process that takes the folder's lock, says "holding", and names itself in it 60 ms later (after `before`,
 * SQL run first), as a start does: for the refused start's wait for the holder's name.
 */
function holderNamingItselfLater(dir: string, before: string) {
  return spawn(process.execPath, ['-e', `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(join(dir, 'console.lock'))}, { timeout: 0 });
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('holding\\n');
    setTimeout(() => {
      db.exec(${JSON.stringify(before)});
      db.prepare('INSERT INTO owner (pid, started_at) VALUES (?, ?)').run(process.pid, Date.now());
      db.exec('COMMIT');
      db.exec('BEGIN IMMEDIATE');
    }, 60);
    setTimeout(() => {}, 20000);
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
}
