import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { fileTokenVault } from '../../src/main/core/token-vault';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { PinStore } from '../../src/main/core/auth/pins';
import { lostConsoleDb } from '../../src/main/core/startup/lost-console-db';
import type { AuthStatus } from '../../src/shared/roles';
import type { Snapshot } from '../../src/shared/state';
import { hostBridge, killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost, type Ended, type Started } from '../helpers/built-host';
import { waitFor } from '../helpers/wait';
import { LOST_AT_START_WORDS } from '../../src/shared/banner-words';

// console.db holds the PINs, the unsent check-ins and the audit log. On a data folder that has been live,
// losing it must never pass for a first run, and a damaged one must be named, not "malformed".
const PINS = { desk: '4321', manager: '8765', kiosk: '1111' };

beforeAll(requireBuild);
afterAll(killBuiltHosts);

/** A data folder as a live site leaves it: pools, token, site.json, and a console.db with PINs and an audit row. */
function liveSite(): { dir: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gym-lost-db-'));
  const d = resolveStart({ flags: { backend: 'ws://127.0.0.1:1', backendToken: 'site-token' }, env: {}, dataDir: dir, vault: fileTokenVault(dir) });
  if (!d.ok) throw new Error(d.problems.join(' '));
  const db = openConsoleDb(dir);
  new PinStore(db).set(PINS);
  db.prepare("INSERT INTO audit (ts, actor, action, subject) VALUES (1, 'manager', 'pins.change', 'pins')").run();
  // Enough rows for pages past the schema's, so a half-truncated file is damaged where SQLite reads first.
  for (let i = 0; i < 400; i++) db.prepare("INSERT INTO audit (ts, actor, action, subject, after) VALUES (?, 'desk', 'x', 'y', ?)").run(i, 'z'.repeat(200));
  db.close();
  return { dir, db: join(dir, 'console.db') };
}

async function started(args: string[]): Promise<Started> {
  const h = await startBuiltHost(args);
  if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
  return h;
}

async function refused(args: string[]): Promise<Ended> {
  const h = await startBuiltHost(args);
  if ('url' in h) throw new Error(`host started at ${h.url}; it should have been refused`);
  return h;
}

const lines = (s: string): string[] => s.trim().split('\n');

describe('a live data folder whose console.db is gone or empty', () => {
  it.each([
    ['missing', (db: string) => rmSync(db), 'was missing'],
    ['empty', (db: string) => writeFileSync(db, ''), 'was empty (0 bytes)'],
  ])('%s: said on stderr, in the log and on the screens, and the console still starts', async (_, lose, what) => {
    const site = liveSite();
    lose(site.db);
    const h = await started(['--data-dir', site.dir]);
    const said = lines(h.stderr()).filter((l) => l.includes('console.db'));
    expect(said).toEqual([expect.stringContaining(`console: ${site.db} ${what}, though this data folder has been live`)]);
    expect(said[0]).toMatch(/PINs, the check-ins not yet sent to the backend.*audit log from before are gone.*set new PINs now/);
    const b = await hostBridge(h.url);
    expect(await b.call<AuthStatus>('auth.status')).toMatchObject({ setupNeeded: true });
    await b.call('auth.setup', PINS);
    const line = await waitFor(async () => {
      const { gauges } = await b.call<Snapshot>('state.snapshot');
      return gauges.alerts.find((a) => a.detail?.includes(`${site.db} ${what}`)) ?? null;
    }, 10_000);
    // Staff read what to do; the file and IT's fix follow as the detail (readme25 W2).
    expect(line!.text).toBe(LOST_AT_START_WORDS);
    expect(line!.detail).toMatch(/set new PINs now/);
    b.close();
    await stopBuiltHost(h.child);
    const log = readFileSync(join(site.dir, 'logs', 'console.log'), 'utf8');
    expect(log).toMatch(new RegExp(`"level":40,[^\\n]*"msg":"${site.db.replace(/[/.]/g, '\\$&')} ${what.replace(/[()]/g, '\\$&')}, though`));
  }, 60_000);

  it('PINs cleared by IT with sqlite3 (README, Roles and PINs) ask for new ones without the alarm', async () => {
    const site = liveSite();
    const db = new Database(site.db);
    db.exec("DELETE FROM settings WHERE key = 'pins'");
    db.close();
    const h = await started(['--data-dir', site.dir]);
    expect(h.stderr()).not.toContain('console.db');
    const b = await hostBridge(h.url);
    expect(await b.call<AuthStatus>('auth.status')).toMatchObject({ setupNeeded: true });
    await b.call('auth.setup', PINS);
    const { gauges } = await b.call<Snapshot>('state.snapshot');
    expect(gauges.alerts.map((a) => a.text).join('\n')).not.toContain('console.db');
    b.close();
    await stopBuiltHost(h.child);
  }, 60_000);
});

describe('a damaged console.db', () => {
  it.each([
    ['half of it cut off', (db: string) => truncateSync(db, Math.floor(statSync(db).size / 2)), 'database disk image is malformed'],
    ['random bytes', (db: string) => writeFileSync(db, randomBytes(64 * 1024)), 'file is not a database'],
  ])('%s: refused with one line naming the file and what to do, and the file left as it is', async (_, damage, sqlite) => {
    const site = liveSite();
    damage(site.db);
    const before = readFileSync(site.db);
    const r = await refused(['--data-dir', site.dir]);
    expect(r.code).toBe(1);
    // Besides what every start says first (live on which backend, where the log is).
    const said = lines(r.stderr).filter((l) => !l.startsWith('console: log file') && !l.startsWith('console: starting live, with the gym'));
    expect(said).toEqual([
      `console: ${site.db} is damaged and cannot be read (${sqlite}). It holds the check-ins not yet sent to the backend, the PINs and the audit log: ` +
        `keep a copy of it for support. To start afresh without them, move console.db (and any console.db-wal, console.db-shm and console-db.json beside it) out of ${site.dir}; ` +
        'the console then starts with an empty one and asks for new PINs.',
    ]);
    expect(readFileSync(site.db).equals(before)).toBe(true);
    // A refused start makes no address either: the next, repaired start is the one that says it.
    expect(existsSync(join(site.dir, 'web-token'))).toBe(false);
    expect(readFileSync(join(site.dir, 'logs', 'console.log'), 'utf8')).toContain(`start refused: ${site.db} is damaged`);
  }, 30_000);
});

describe('what counts as lost', () => {
  it('an empty main file whose commits are all in its -wal, or an older folder\'s outbox.db, is not lost', () => {
    const site = liveSite();
    writeFileSync(site.db, '');
    writeFileSync(`${site.db}-wal`, randomBytes(4096));
    expect(lostConsoleDb(site.dir)).toBeNull();
    rmSync(site.db);
    rmSync(`${site.db}-wal`);
    expect(lostConsoleDb(site.dir)).toMatch(/was missing/);
    writeFileSync(join(site.dir, 'outbox.db'), randomBytes(4096));
    expect(lostConsoleDb(site.dir)).toBeNull();
  });
});

// Probe 17 F1: after a crash the newest commits (offline check-ins) sit in console.db-wal alone; a backup or
// clean-up tool that removed it then lost them without a word, and Overview said everything had reached the backend.
describe('console.db-wal removed after a stop that was not clean', () => {
  async function crashedSite(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'gym-wal-gone-'));
    const h = await started(['--data-dir', dir, '--backend', 'ws://127.0.0.1:1', '--backend-token', 'site-token']);
    const b = await hostBridge(h.url);
    await b.call('auth.setup', PINS);
    b.close();
    const gone = new Promise((r) => h.child.once('exit', r));
    h.child.kill('SIGKILL');
    await gone;
    expect(existsSync(join(dir, 'console.db-wal'))).toBe(true); // a run that did not stop cleanly always leaves it
    return dir;
  }

  it('is said on stderr and on the screens, with how recent the changes lost may be; the console starts', async () => {
    const dir = await crashedSite();
    rmSync(join(dir, 'console.db-wal'));
    rmSync(join(dir, 'console.db-shm'), { force: true });
    const h = await started(['--data-dir', dir]);
    const said = lines(h.stderr()).filter((l) => l.includes('console.db-wal'));
    expect(said).toEqual([expect.stringContaining(`console: ${join(dir, 'console.db')}-wal was missing at this start, though the console did not stop cleanly last time`)]);
    expect(said[0]).toMatch(/check-ins decided on this PC in about the last 30 seconds before it stopped may be lost/);
    const b = await hostBridge(h.url);
    expect(await b.call<AuthStatus>('auth.status')).toMatchObject({ setupNeeded: false }); // PINs were checkpointed at once
    await b.call('auth.login', { role: 'manager', pin: PINS.manager });
    const line = await waitFor(async () => {
      const { gauges } = await b.call<Snapshot>('state.snapshot');
      return gauges.alerts.find((a) => a.detail?.includes('console.db-wal was missing')) ?? null;
    }, 10_000);
    expect(line!.text).toBe(LOST_AT_START_WORDS);
    expect(line!.detail).toMatch(/keep console\.db and console\.db-wal together/);
    // A real alert (readme25 W2: a banner no one could acknowledge or be sent), its own (review25 V3), until acknowledged.
    const lost = await waitFor(async () => {
      const { gauges } = await b.call<Snapshot>('state.snapshot');
      return gauges.health.alerts.find((a) => a.kind === 'lost' && a.state === 'firing') ?? null;
    }, 15_000);
    expect(lost!.reason).toMatch(/console\.db-wal was missing at this start/);
    await b.call('alerts.ack', { id: lost!.id });
    await waitFor(async () => {
      const { gauges } = await b.call<Snapshot>('state.snapshot');
      return gauges.alerts.some((a) => a.lostCheckins) ? null : true;
    }, 10_000);
    b.close();
    // A clean stop folds the -wal in and removes it: the next start has nothing to say.
    await stopBuiltHost(h.child);
    expect(existsSync(join(dir, 'console.db-wal'))).toBe(false);
    const again = await started(['--data-dir', dir]);
    expect(again.stderr()).not.toContain('console.db-wal');
    await stopBuiltHost(again.child);
  }, 60_000);

  it('a crash with the -wal kept: nothing to say', async () => {
    const dir = await crashedSite();
    const h = await started(['--data-dir', dir]);
    expect(h.stderr()).not.toContain('console.db-wal');
    await stopBuiltHost(h.child);
  }, 60_000);
});
