import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { startCore } from '../../src/main/core/app';
import { exportAnalytics } from '../../src/main/core/store/export';
import { SettingsStore } from '../../src/main/core/store/settings-store';
import { AnalyticsSettingsSchema } from '../../src/shared/analytics';

// `npm run export` on a console's data folder: it never writes into that folder, never loses a file it was told
// to replace, and says what is wrong with --out in one line.
const tmp = (): string => mkdtempSync(join(tmpdir(), 'gym-export-cli-'));
let dataDir: string;
const CONSOLE_DB = 'the console database, not to be touched';

beforeAll(() => {
  dataDir = tmp();
  const { store } = openAnalytics(dataDir, 'UTC');
  const now = Date.now();
  store.insertEvents(Array.from({ length: 50 }, (_, i) => ({ ts: now - 3_600_000 + i * 1000, category: 'checkin' as const, type: 'checkin', source: 's', detail: `member ${i}` })));
  store.close();
  writeFileSync(join(dataDir, 'console.db'), CONSOLE_DB);
});

function exportCli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/export-cli.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stderr.trim().split('\n') };
}
const run = (out: string, ...more: string[]) => exportCli(['--data-dir', dataDir, '--range', '24h', '--format', 'json', '--out', out, ...more]);

describe('npm run export: where it writes', () => {
  it('refuses any --out inside the data folder, even with --force, and leaves the databases as they were', () => {
    const before = readFileSync(join(dataDir, 'analytics.db'));
    for (const out of [join(dataDir, 'console.db'), join(dataDir, 'analytics.db'), join(dataDir, 'exports-x.json'), join(dataDir, 'demo', '..', 'x.json')]) {
      const r = run(out, '--force');
      expect(r.code, r.stderr).toBe(2);
      expect(r.lines).toEqual([expect.stringMatching(/^export: --out .* is inside the data folder .*Save the export somewhere else\.$/)]);
    }
    const sqlite = exportCli(['--data-dir', dataDir, '--range', '24h', '--format', 'sqlite', '--out', join(dataDir, 'analytics.db')]);
    expect(sqlite.code).toBe(2);
    expect(readFileSync(join(dataDir, 'console.db'), 'utf8')).toBe(CONSOLE_DB);
    expect(readFileSync(join(dataDir, 'analytics.db')).equals(before)).toBe(true);
  }, 60_000);

  it('replaces an existing file only with --force, and prints one result line with no progress run-on', () => {
    const out = join(tmp(), 'week.json');
    writeFileSync(out, 'an older export');
    const r = run(out);
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([`export: --out ${out} exists already: give another file name, or add --force to replace it.`]);
    expect(readFileSync(out, 'utf8')).toBe('an older export');

    const forced = run(out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^exported 50 events \(\d+ KiB\) to .*week\.json in [\d.]+ s\n$/);
    expect(forced.stderr).toBe(''); // not a terminal: no "export: 50 / 50 events" lines running together
    expect(JSON.parse(readFileSync(out, 'utf8')).events).toHaveLength(50);
  }, 60_000);

  it.each([
    ['a folder that does not exist', (d: string) => join(d, 'nodir', 'x.csv'), /^export: --out .*x\.csv: the folder .*nodir does not exist\. Create it first/],
    ['a folder', (d: string) => d, /^export: --out .* is a folder: give a file name in it/],
    ['a file as a folder', (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'x.csv')), /^export: --out .*x\.csv: .*f is a file, not a folder\. Give a file in an existing folder\.$/],
  ])('%s as --out: one line, exit 2', (_, outFor, message) => {
    const r = run(outFor(tmp()));
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(message)]);
  }, 30_000);

  it("a folder as --out: the name it suggests is the one the console's Export gives, after the gym (probe-walk16 #5)", () => {
    const named = tmp();
    const { store } = openAnalytics(named, 'UTC');
    new SettingsStore(store.db, { table: 'meta' }).set('settings', AnalyticsSettingsSchema.partial(), { siteName: 'Riverside Gym', timezone: 'Europe/Berlin' });
    store.close();
    const folder = tmp();
    const stamp = String.raw`\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}`;
    const r = exportCli(['--data-dir', named, '--range', '7d', '--format', 'csv', '--out', folder]);
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(new RegExp(`is a folder: give a file name in it, like .*/riverside-gym-7d-${stamp}\\.csv\\.$`))]);
    // --site names this export, and so the file; a gym with no name gets "gym-".
    expect(exportCli(['--data-dir', named, '--range', '1h', '--format', 'json', '--out', folder, '--site', 'Zoë 24/7']).lines[0]).toMatch(new RegExp(`/zoe-24-7-1h-${stamp}\\.json\\.$`));
    expect(run(folder).lines[0]).toMatch(new RegExp(`/gym-24h-${stamp}\\.json\\.$`));
  }, 60_000);

  it('says --data-dir is required when it is missing', () => {
    const r = exportCli(['--range', '24h', '--format', 'csv', '--out', join(tmp(), 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.lines[0]).toMatch(/^export: --data-dir DIR is required/);
  }, 30_000);
});

describe('exportAnalytics never loses the file it replaces', () => {
  it('a failed export leaves the old file as it was and no partial file beside it', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'out'));
    const out = join(dir, 'out', 'gym.csv');
    writeFileSync(out, 'yesterday');
    const { store } = openAnalytics(dataDir, 'UTC');
    try {
      const failing = (): void => {
        throw new Error('disk went away');
      };
      await expect(exportAnalytics(store, { range: { last: '24h' }, format: 'csv' }, out, { site: 'G', app: 't', now: Date.now() }, failing)).rejects.toThrow('disk went away');
      expect(readFileSync(out, 'utf8')).toBe('yesterday');
      expect(readdirSync(join(dir, 'out'))).toEqual(['gym.csv']);
      await expect(exportAnalytics(store, { range: { last: '24h' }, format: 'sqlite' }, store.file, { site: 'G', app: 't', now: Date.now() })).rejects.toThrow(/is the analytics database being exported/);
    } finally {
      store.close();
    }
  });
});

describe("npm run export: the gym's own settings", () => {
  it("carries the gym's name and time zone as a manager set them on the Analytics tab; --site still wins", () => {
    const dir = tmp();
    const { store } = openAnalytics(dir, 'UTC');
    store.insertEvents([{ ts: Date.now() - 60_000, category: 'checkin' as const, type: 'checkin', source: 's', detail: 'm' }]);
    new SettingsStore(store.db, { table: 'meta' }).set('settings', AnalyticsSettingsSchema.partial(), { siteName: 'Northside Gym', timezone: 'Asia/Tokyo' });
    store.close();
    const out = join(tmp(), 'n.json');
    const r = exportCli(['--data-dir', dir, '--range', '24h', '--format', 'json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).meta).toMatchObject({ site: 'Northside Gym', timezone: 'Asia/Tokyo' });
    const named = join(tmp(), 's.json');
    expect(exportCli(['--data-dir', dir, '--range', '24h', '--format', 'json', '--out', named, '--site', 'Other']).code).toBe(0);
    expect(JSON.parse(readFileSync(named, 'utf8')).meta.site).toBe('Other');
  });

  it("marks the demo's store as simulated, and a gym's as not", () => {
    const gym = tmp();
    const demo = join(gym, 'demo');
    mkdirSync(demo);
    for (const dir of [gym, demo]) {
      const { store } = openAnalytics(dir, 'UTC');
      store.insertEvents([{ ts: Date.now() - 60_000, category: 'checkin' as const, type: 'checkin', source: 's', detail: 'm' }]);
      store.close();
    }
    const meta = (dir: string) => {
      const out = join(tmp(), 'm.json');
      expect(exportCli(['--data-dir', dir, '--range', '24h', '--format', 'json', '--out', out]).code).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8')).meta;
    };
    expect(meta(demo)).toMatchObject({ site: 'Demo gym', simulated: true });
    expect(meta(gym)).toMatchObject({ site: 'A gym with no name set', simulated: false });
  });

  // probe25 Q9: a copy of a data folder on a read-only disk (a backup share, a snapshot) was refused with "make the
  // data folder writable", which a snapshot cannot be: the export reads a copy of analytics.db made elsewhere.
  it('exports from a read-only data folder through a copy, saying so, and leaves no copy behind', (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-export-ro-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', dir]).status !== 0) return ctx.skip('needs a tmpfs mount (root): a read-only disk cannot be made otherwise here');
    try {
      const { store } = openAnalytics(dir, 'UTC');
      store.insertEvents([{ ts: Date.now() - 60_000, category: 'checkin' as const, type: 'checkin', source: 's', detail: 'm' }]);
      store.close();
      expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);
      const before = readdirSync(tmpdir()).filter((f) => f.startsWith('av-gym-export-')).length;
      const out = join(tmp(), 'ro.json');
      const r = exportCli(['--data-dir', dir, '--range', '24h', '--format', 'json', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/is read-only, so the export reads a copy of its analytics\.db made in .* \(removed after\)\./);
      expect(JSON.parse(readFileSync(out, 'utf8')).events).toHaveLength(1);
      expect(readdirSync(tmpdir()).filter((f) => f.startsWith('av-gym-export-'))).toHaveLength(before);
    } finally {
      spawnSync('umount', [dir]);
    }
  }, 30_000);

  // probe25 Q10: the demo's analytics.db copied into a folder of any other name exported as a gym's real visits.
  it("knows the demo's store by its own mark, wherever it is copied", async () => {
    const dir = tmp();
    const core = await startCore({ version: 't', dataDir: dir, demoRatePerHour: 600 });
    await core.ready;
    await core.stop();
    const copied = join(tmp(), 'Ridgeway copy');
    mkdirSync(copied);
    copyFileSync(join(dir, 'demo', 'analytics.db'), join(copied, 'analytics.db'));
    const out = join(tmp(), 'm.json');
    expect(exportCli(['--data-dir', copied, '--range', '24h', '--format', 'json', '--out', out]).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).meta).toMatchObject({ simulated: true });
  }, 60_000);
});

describe('npm run export stopped part-way', () => {
  it('by SIGTERM or Ctrl-C: says so, exits 143 or 130, and leaves no part-written file (a file --force would replace is kept)', async () => {
    const bigDir = tmp();
    const { store } = openAnalytics(bigDir, 'UTC');
    const now = Date.now();
    const n = 400_000;
    store.insertEvents(Array.from({ length: n }, (_, i) => ({ ts: now - 6 * 86_400_000 + Math.floor((i / n) * 5 * 86_400_000), category: 'checkin' as const, type: 'allowed', source: 'door', detail: `member ${i}` })));
    store.close();
    for (const [sig, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const outDir = tmp();
      const out = join(outDir, 'week.json');
      writeFileSync(out, 'an older export');
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/export-cli.ts', '--data-dir', bigDir, '--range', '7d', '--format', 'json', '--out', out, '--force'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Stopped once it has written part of the file.
      while (!readdirSync(outDir).some((f) => f.endsWith('.partial'))) await new Promise((res) => setTimeout(res, 5));
      child.kill(sig);
      expect(await exited, stderr).toBe(status);
      expect(stderr).toBe(`export: stopped by ${sig} before the export finished; nothing was written to ${out}.\n`);
      expect(readdirSync(outDir)).toEqual(['week.json']);
      expect(readFileSync(out, 'utf8')).toBe('an older export');
    }
  }, 120_000);
});
