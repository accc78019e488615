import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { keepConsoleDb } from '../../src/main/core/store/console-db-keeper';
import { CONSOLE_DB_MARK } from '../../src/main/core/store/console-db-mark';
import { PinStore } from '../../src/main/core/auth/pins';
import { systemClock } from '../../src/main/core/clock';
import { StartRefused } from '../../src/main/core/startup/start-refused';
import type { AuthStatus } from '../../src/shared/roles';
import { hostBridge, killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost, type Ended, type Started } from '../helpers/built-host';

// After a crash console.db's commits can all sit in console.db-wal. A -wal lost then (a folder copied without
// it, a torn write) made SQLite open an empty database: a brand-new console, the first screen setting the PINs.
const PINS = { desk: '4321', manager: '8765', kiosk: '1111' };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'gym-wal-'));

beforeAll(requireBuild);
afterAll(killBuiltHosts);

/** What is left when the -wal goes: the main file alone (copied while the console runs, as a crash leaves it), and the mark. */
function mainFileOnly(dir: string): string {
  const to = tmp();
  copyFileSync(join(dir, 'console.db'), join(to, 'console.db'));
  if (existsSync(join(dir, CONSOLE_DB_MARK))) copyFileSync(join(dir, CONSOLE_DB_MARK), join(to, CONSOLE_DB_MARK));
  return to;
}

describe('console.db\'s main file keeps up with its -wal', () => {
  it('PINs set are in the main file at once, and the mark is written only once the schema is there', () => {
    const dir = tmp();
    const db = openConsoleDb(dir);
    const keeper = keepConsoleDb(db, dir, systemClock);
    expect(existsSync(join(dir, CONSOLE_DB_MARK))).toBe(true);
    new PinStore(db, keeper.now).set(PINS);
    const copy = mainFileOnly(dir);
    const again = openConsoleDb(copy);
    expect(new PinStore(again).configured).toBe(true);
    again.close();
    keeper.stop();
    db.close();
  });

  it('checkpoints on its own every so often, not per write', async () => {
    const dir = tmp();
    const db = openConsoleDb(dir);
    const keeper = keepConsoleDb(db, dir, systemClock, 200);
    db.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run();
    const inMain = (): boolean => {
      const copy = mainFileOnly(dir);
      const c = openConsoleDb(copy);
      const found = c.prepare("SELECT 1 FROM settings WHERE key = 'probe'").get() !== undefined;
      c.close();
      return found;
    };
    expect(inMain()).toBe(false);
    await new Promise((r) => setTimeout(r, 600));
    expect(inMain()).toBe(true);
    keeper.stop();
    db.close();
  });
});

/** A main file as a crash before any checkpoint leaves it: SQLite's first page, no schema (user_version 0). */
function schemaInWalOnly(): { main: Buffer; wal: Buffer } {
  const dir = tmp();
  const db = new Database(join(dir, 'console.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT); PRAGMA user_version = 9');
  const main = readFileSync(join(dir, 'console.db'));
  const wal = readFileSync(join(dir, 'console.db-wal'));
  db.close();
  return { main, wal };
}

async function started(args: string[]): Promise<Started> {
  const h = await startBuiltHost(args);
  if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
  return h;
}

/** A live site set up by the built host: PINs set, stopped cleanly. */
async function liveSite(): Promise<string> {
  const dir = tmp();
  const h = await started(['--data-dir', dir, '--backend', 'ws://127.0.0.1:1', '--backend-token', 'site-token']);
  const b = await hostBridge(h.url);
  await b.call('auth.setup', PINS);
  b.close();
  await stopBuiltHost(h.child);
  return dir;
}

describe('a console killed outright, then its -wal lost', () => {
  it('starts with the PINs it had: nobody can set new ones from a first-run screen', async () => {
    const dir = tmp();
    const h = await started(['--data-dir', dir, '--backend', 'ws://127.0.0.1:1', '--backend-token', 'site-token']);
    const b = await hostBridge(h.url);
    await b.call('auth.setup', PINS);
    b.close();
    h.child.kill('SIGKILL');
    await new Promise((r) => h.child.once('exit', r));
    rmSync(join(dir, 'console.db-wal'), { force: true });
    rmSync(join(dir, 'console.db-shm'), { force: true });
    const again = await started(['--data-dir', dir]);
    const b2 = await hostBridge(again.url);
    expect(await b2.call<AuthStatus>('auth.status')).toMatchObject({ setupNeeded: false });
    await expect(b2.call('auth.setup', { desk: '1234', manager: '5555', kiosk: '2222' })).rejects.toThrow(/PINs are already set/);
    b2.close();
    await stopBuiltHost(again.child);
  }, 60_000);
});

describe('a folder whose console.db has held data, found with none', () => {
  it.each([
    ['its -wal lost', (_dir: string) => {}, /holds none of this console's data: its other part, .*console\.db-wal, is missing or damaged/],
    ['its -wal garbled', (dir: string) => writeFileSync(join(dir, 'console.db-wal'), Buffer.alloc(64 * 1024, 0x5a)), /holds none of this console's data/],
    ['its -wal cut in half', (dir: string) => writeFileSync(join(dir, 'console.db-wal'), schemaInWalOnly().wal.subarray(0, 2000)), /holds none of this console's data/],
    ['console.db missing', (dir: string) => rmSync(join(dir, 'console.db')), /console\.db is missing, though/],
    ['console.db empty', (dir: string) => writeFileSync(join(dir, 'console.db'), ''), /console\.db is empty \(0 bytes\), though/],
  ])('%s: the start is refused in one line saying what to do, and the files are left as they are', async (_, lose, what) => {
    const dir = await liveSite();
    writeFileSync(join(dir, 'console.db'), schemaInWalOnly().main);
    rmSync(join(dir, 'console.db-wal'), { force: true });
    rmSync(join(dir, 'console.db-shm'), { force: true });
    lose(dir);
    const before = ['console.db', 'console.db-wal'].map((f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : null));
    const r = (await startBuiltHost(['--data-dir', dir])) as Ended;
    expect('url' in r, 'the console started; it should have been refused').toBe(false);
    expect(r.code).toBe(1);
    const said = r.stderr.trim().split('\n').filter((l) => !l.startsWith('console: log file') && !l.startsWith('console: starting live, with the gym'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(what);
    expect(said[0]).toContain('The console does not start, so that a first-run screen cannot set new PINs over them.');
    expect(said[0]).toContain('Restore console.db together with its console.db-wal file from a backup');
    expect(said[0]).toContain(`delete ${join(dir, CONSOLE_DB_MARK)}`);
    expect(['console.db', 'console.db-wal'].map((f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : null))).toEqual(before);
    // Deleting the mark, as the line says, starts afresh with new PINs.
    rmSync(join(dir, CONSOLE_DB_MARK));
    const fresh = await started(['--data-dir', dir]);
    const b = await hostBridge(fresh.url);
    expect(await b.call<AuthStatus>('auth.status')).toMatchObject({ setupNeeded: true });
    b.close();
    await stopBuiltHost(fresh.child);
    expect(statSync(join(dir, CONSOLE_DB_MARK)).isFile()).toBe(true);
  }, 60_000);

  it('in-process too: openConsoleDb refuses before SQLite sees the file', () => {
    const dir = tmp();
    const db = openConsoleDb(dir);
    keepConsoleDb(db, dir, systemClock).stop();
    db.close();
    writeFileSync(join(dir, 'console.db'), schemaInWalOnly().main);
    expect(() => openConsoleDb(dir)).toThrow(StartRefused);
  });
});

describe('a folder whose PINs were set, given a console.db with none', () => {
  /** A console started once and never given PINs: its console.db, stopped cleanly. */
  async function freshConsoleDb(): Promise<string> {
    const dir = tmp();
    const h = await started(['--data-dir', dir, '--backend', 'ws://127.0.0.1:1', '--backend-token', 'other-token']);
    await stopBuiltHost(h.child);
    return join(dir, 'console.db');
  }

  it('refuses the start in one line saying what to do: no first-run screen sets the manager PIN', async () => {
    const dir = await liveSite();
    expect(JSON.parse(readFileSync(join(dir, CONSOLE_DB_MARK), 'utf8'))).toHaveProperty('pinsSet');
    // A wrong file restored from a backup: another console's, that never had PINs.
    copyFileSync(await freshConsoleDb(), join(dir, 'console.db'));
    rmSync(join(dir, 'console.db-wal'), { force: true });
    rmSync(join(dir, 'console.db-shm'), { force: true });
    const r = (await startBuiltHost(['--data-dir', dir])) as Ended;
    expect('url' in r, 'the console started; it should have been refused').toBe(false);
    expect(r.code).toBe(1);
    // Said once console.db is open (its PINs are read through SQLite): after the line saying how it starts.
    const said = r.stderr.trim().split('\n').filter((l) => !l.startsWith('console: log file') && !l.startsWith('console: starting live'));
    expect(said, r.stderr).toHaveLength(1);
    expect(said[0]).toMatch(/console\.db holds no PINs, though PINs were set in this data folder/);
    expect(said[0]).toContain('a first-run screen cannot set new PINs');
    expect(said[0]).toContain(`delete ${join(dir, CONSOLE_DB_MARK)}`);
    // Deleting the mark, as the line says, starts afresh with new PINs.
    rmSync(join(dir, CONSOLE_DB_MARK));
    const fresh = await started(['--data-dir', dir]);
    const b = await hostBridge(fresh.url);
    expect(await b.call<AuthStatus>('auth.status')).toMatchObject({ setupNeeded: true });
    b.close();
    await stopBuiltHost(fresh.child);
  }, 90_000);

  it('in-process: a mark from before it said so learns it at the next start with PINs', () => {
    const dir = tmp();
    const db = openConsoleDb(dir);
    const keeper = keepConsoleDb(db, dir, systemClock);
    new PinStore(db, keeper.now).set(PINS); // as an older console did: the mark says nothing of PINs
    keeper.stop();
    db.close();
    expect(JSON.parse(readFileSync(join(dir, CONSOLE_DB_MARK), 'utf8'))).not.toHaveProperty('pinsSet');
    openConsoleDb(dir).close();
    expect(JSON.parse(readFileSync(join(dir, CONSOLE_DB_MARK), 'utf8'))).toHaveProperty('pinsSet');
    const emptied = new Database(join(dir, 'console.db'));
    emptied.exec("DELETE FROM settings WHERE key = 'pins'");
    emptied.close();
    expect(() => openConsoleDb(dir)).toThrow(/holds no PINs, though PINs were set/);
  });
});

describe('a new folder holding only the mark', () => {
  it('is refused before anything is written to it', async () => {
    const dir = tmp();
    writeFileSync(join(dir, CONSOLE_DB_MARK), '{"version":1}\n');
    const r = (await startBuiltHost(['--data-dir', dir, '--backend', 'ws://127.0.0.1:1', '--backend-token', 'site-token'])) as Ended;
    expect('url' in r, 'the console started; it should have been refused').toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/console\.db is missing, though/);
    expect(readdirSync(dir).filter((f) => f !== 'logs').sort()).toEqual([CONSOLE_DB_MARK]);
  }, 60_000);
});
