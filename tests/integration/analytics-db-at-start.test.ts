import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { fileTokenVault } from '../../src/main/core/token-vault';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost } from '../helpers/built-host';

// analytics.db can be rebuilt (docs/analytics.md, README): one that is cut short or is not ours is set aside
// at start with one line on stderr, a new one is started, and console.db (check-ins, PINs, audit) is untouched.
beforeAll(requireBuild);
afterAll(killBuiltHosts);

/** A live site's data folder: console.db with an audit row, and an analytics.db with pages of events. */
function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gym-analytics-start-'));
  const d = resolveStart({ flags: { backend: 'ws://127.0.0.1:1', backendToken: 'site-token' }, env: {}, dataDir: dir, vault: fileTokenVault(dir) });
  if (!d.ok) throw new Error(d.problems.join(' '));
  const db = openConsoleDb(dir);
  db.prepare("INSERT INTO audit (ts, actor, action, subject) VALUES (1, 'manager', 'pins.change', 'kept')").run();
  db.close();
  const { store } = openAnalytics(dir, 'UTC');
  store.insertEvents(Array.from({ length: 3_000 }, (_, i) => ({ ts: 1_700_000_000_000 + i, category: 'user' as const, type: 'x', source: 'desk', detail: 'y'.repeat(300) })));
  store.close();
  return dir;
}

const damage = {
  // The last tenth gone (a copy that did not finish): SQLite reads the schema fine and fails only later, on a chart.
  'cut short': (file: string) => writeFileSync(file, readFileSync(file).subarray(0, Math.floor(readFileSync(file).length * 0.9))),
  // Only its last page gone: nothing read at start reaches it; its header still counts it.
  'missing its last page': (file: string) => writeFileSync(file, readFileSync(file).subarray(0, readFileSync(file).length - 4_096)),
  // Emptied (a clean-up tool, a copy that did not finish): SQLite would quietly take it as a new database (probe 17 F7).
  '0 bytes': (file: string) => writeFileSync(file, ''),
  // Another program's database under its name: migrating it would write our tables into it.
  'another program\'s database': (file: string) => {
    writeFileSync(file, '');
    const db = new Database(file);
    db.exec("CREATE TABLE photos (name TEXT); INSERT INTO photos VALUES ('holiday.jpg')");
    db.close();
  },
};

describe('analytics.db at start', () => {
  it.each(Object.entries(damage))('%s: set aside (kept), said on one stderr line, a new one started; console.db keeps its data', async (_, spoil) => {
    const dir = site();
    const file = join(dir, 'analytics.db');
    spoil(file);
    const spoilt = readFileSync(file);
    const h = await startBuiltHost(['--data-dir', dir]);
    if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
    const said = h.stderr().split('\n').filter((l) => l.includes('analytics database'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^console: the analytics database .+\. It was set aside as .+analytics\.db\.(damaged|not-analytics)-\d+ and a new, empty one was started/);
    await stopBuiltHost(h.child);
    const aside = readdirSync(dir).filter((n) => /^analytics\.db\.(damaged|not-analytics)-\d+$/.test(n));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!)).equals(spoilt)).toBe(true);
    expect(existsSync(file)).toBe(true);
    const db = openConsoleDb(dir);
    expect(db.prepare("SELECT subject FROM audit WHERE action = 'pins.change'").all()).toEqual([{ subject: 'kept' }]);
    db.close();
  }, 40_000);

  // readme24 R2: a full disk stopped a checkpoint once it had written page 1, whose header counts every page: the rest
  // were still in the -wal, where SQLite reads them. Judged by the main file's size, the whole history was set aside.
  it('its pages partly still in the -wal (a checkpoint a full disk stopped): opened with them, nothing set aside or said', async () => {
    const dir = site();
    const file = join(dir, 'analytics.db');
    const writer = new Database(file);
    writer.pragma('wal_autocheckpoint = 0');
    const add = writer.prepare("INSERT INTO events (ts, category, type, source, detail) VALUES (?, 'user', 'x', 'desk', ?)");
    writer.transaction(() => {
      for (let i = 0; i < 3_000; i++) add.run(1_700_000_100_000 + i, 'z'.repeat(300));
    })();
    // As the crash left them: the main file and its -wal, copied while the writer still has them open.
    const left = mkdtempSync(join(tmpdir(), 'gym-analytics-wal-'));
    for (const name of readdirSync(dir)) if (!name.startsWith('analytics.db') || name === 'analytics.db' || name === 'analytics.db-wal') writeFileSync(join(left, name), readFileSync(join(dir, name)));
    writer.close();
    const main = readFileSync(join(left, 'analytics.db'));
    const pages = main.readUInt32BE(28);
    // Page 1 written by the checkpoint: its header counts the pages the -wal holds; none of them reached the file.
    main.writeUInt32BE(pages + 200, 28);
    writeFileSync(join(left, 'analytics.db'), main);
    const h = await startBuiltHost(['--data-dir', left]);
    if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
    expect(h.stderr()).not.toContain('analytics database');
    await stopBuiltHost(h.child);
    expect(readdirSync(left).filter((n) => /^analytics\.db\.(damaged|not-analytics)-/.test(n))).toEqual([]);
    const db = new Database(join(left, 'analytics.db'), { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM events WHERE ts >= 1700000000000 AND ts < 1700000200000').get() as { n: number }).n).toBe(6_000);
    db.close();
  }, 40_000);

  it('0 bytes in a new folder (no console has run there): nothing to say, nothing set aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-analytics-start-'));
    writeFileSync(join(dir, 'analytics.db'), '');
    const h = await startBuiltHost(['--data-dir', dir, '--backend', 'ws://127.0.0.1:1', '--backend-token', 'site-token']);
    if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
    expect(h.stderr()).not.toContain('analytics database');
    await stopBuiltHost(h.child);
    expect(readdirSync(dir).filter((n) => n.startsWith('analytics.db.'))).toEqual([]);
  }, 40_000);
});
