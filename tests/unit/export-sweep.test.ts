import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportJobs, exportName, SLUG_MAX, siteSlug, sweepExportsDir } from '../../src/main/core/analytics/export-jobs';
import { DEMO_SITE, UNNAMED_SITE } from '../../src/shared/analytics';

describe('the exports folder at start', () => {
  it("removes what a stopped export left (its .partial files, its empty reserved name) and nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-sweep-'));
    const files: Record<string, string> = {
      'gym-7d-2026-03-01T17-00-00.json': '', // reserved, never finished
      'gym-7d-2026-03-01T17-00-00.json.0123456789ab.partial': '{"meta":',
      'gym-custom-2026-03-01T17-00-00-2.sqlite': '',
      'gym-custom-2026-03-01T17-00-00-2.sqlite.abcdef012345.partial': 'SQLite format 3',
      'gym-custom-2026-03-01T17-00-00-2.sqlite.abcdef012345.partial-journal': 'j',
      'gym-30d-2026-03-01T17-00-00.json.0123456789ab.4242-a1b2c3.partial': 'x', // named with its writer (export-partial.ts)
      'gym-24h-2026-03-01T17-00-00.csv': '\uFEFFtime_utc', // finished: kept
      'gym-1h-2026-03-02T09-30-00.json': '{"meta":{}}',
      'demo-made-up-gym-24h-2026-03-01T17-00-00.csv': '', // the demo's, reserved, never finished
      'demo-made-up-gym-24h-2026-03-01T17-00-00.csv.0123456789ab.partial': 'x',
      'demo-made-up-gym-1h-2026-03-01T17-00-00.csv': '\uFEFFtime_utc', // finished: kept
      'notes.json': '', // not a name the console gives
      'gym-7d-2026-03-01T17-00-00.json.partial': 'x', // no random part: not one of ours
      'My-Gym-7d-2026-03-01T17-00-00.json': '', // capitals: no gym's name gives them (siteSlug)
      'riverside-gym-1h-2026-03-01T17-00-00.csv': '', // a named gym's, reserved, never finished
      'riverside-gym-1h-2026-03-01T17-00-00.csv.0123456789ab.partial': 'x',
      'riverside-gym-6h-2026-03-01T17-00-00.csv': '\uFEFFtime_utc', // finished: kept
      'gym-7d-2026-03-01T17-00-00.json.0123456789ab.partial.bak': 'x',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    mkdirSync(join(dir, 'gym-6h-2026-03-01T17-00-00.csv'));
    symlinkSync(join(dir, 'notes.json'), join(dir, 'gym-6h-2026-03-01T18-00-00.csv'));
    const removed = sweepExportsDir(dir);
    expect(removed.sort()).toEqual(
      [
        'gym-7d-2026-03-01T17-00-00.json',
        'gym-7d-2026-03-01T17-00-00.json.0123456789ab.partial',
        'gym-custom-2026-03-01T17-00-00-2.sqlite',
        'gym-custom-2026-03-01T17-00-00-2.sqlite.abcdef012345.partial',
        'gym-custom-2026-03-01T17-00-00-2.sqlite.abcdef012345.partial-journal',
        'gym-30d-2026-03-01T17-00-00.json.0123456789ab.4242-a1b2c3.partial',
        'riverside-gym-1h-2026-03-01T17-00-00.csv',
        'riverside-gym-1h-2026-03-01T17-00-00.csv.0123456789ab.partial',
        'demo-made-up-gym-24h-2026-03-01T17-00-00.csv',
        'demo-made-up-gym-24h-2026-03-01T17-00-00.csv.0123456789ab.partial',
      ].sort(),
    );
    expect(readdirSync(dir).sort()).toEqual(
      [
        'gym-24h-2026-03-01T17-00-00.csv',
        'gym-1h-2026-03-02T09-30-00.json',
        'demo-made-up-gym-1h-2026-03-01T17-00-00.csv',
        'notes.json',
        'gym-7d-2026-03-01T17-00-00.json.partial',
        'My-Gym-7d-2026-03-01T17-00-00.json',
        'riverside-gym-6h-2026-03-01T17-00-00.csv',
        'gym-7d-2026-03-01T17-00-00.json.0123456789ab.partial.bak',
        'gym-6h-2026-03-01T17-00-00.csv',
        'gym-6h-2026-03-01T18-00-00.csv',
      ].sort(),
    );
    expect(sweepExportsDir(join(dir, 'none'))).toEqual([]);
  });

  it("stamps a name on the gym's clock: a New Year's Eve export in New York is named for that night, not next year", () => {
    const eve = Date.UTC(2027, 0, 1, 4, 58, 24); // 23:58:24 on Dec 31 in New York
    expect(exportName(undefined, '24h', eve, 'sqlite', 'America/New_York', true)).toBe('demo-made-up-gym-24h-2026-12-31T23-58-24.sqlite');
    expect(exportName(undefined, '24h', eve, 'csv', 'Asia/Kathmandu')).toBe('gym-24h-2027-01-01T10-43-24.csv');
    // A name the start-up sweep still knows as the console's own.
    const dir = mkdtempSync(join(tmpdir(), 'gym-sweep-'));
    writeFileSync(join(dir, exportName(undefined, '24h', eve, 'csv', 'America/New_York')), '');
    expect(sweepExportsDir(dir)).toEqual(['gym-24h-2026-12-31T23-58-24.csv']);
  });

  it("names a file after the gym: a manager with exports of two sites tells them apart (probe-walk16 #5)", () => {
    const at = Date.UTC(2026, 11, 6, 0, 33, 47);
    expect(exportName('Riverside Gym', '1h', at, 'csv', 'Europe/Berlin')).toBe('riverside-gym-1h-2026-12-06T01-33-47.csv');
    expect(exportName('Riverside Gym', '1h', at, 'csv', 'Europe/Berlin', true)).toBe('demo-made-up-riverside-gym-1h-2026-12-06T01-33-47.csv');
    // Accents dropped, anything else one dash, none at either end; bounded, cut at a word's dash.
    expect(siteSlug('  Müller & Søn: Fitness/Spa #2! ')).toBe('muller-son-fitness-spa-2');
    expect(siteSlug('Zoë\'s "Gym" ../../etc')).toBe('zoe-s-gym-etc');
    expect(siteSlug('The Very Long Name of the Riverside Community Gym and Pool').length).toBeLessThanOrEqual(SLUG_MAX);
    expect(siteSlug('The Very Long Name of the Riverside Community Gym and Pool')).toBe('the-very-long-name-of-the-rivers');
    // No name set: the old "gym".
    for (const none of [undefined, UNNAMED_SITE, 'This gym', DEMO_SITE]) expect(siteSlug(none)).toBe('gym');
    // probe-hostile21 J14: a name with nothing Latin left is "gym-" and six hex digits of it, its own and the same each
    // time (every such gym of a chain exported as gym-…); a real gym's never begins as the demo's made-up files do.
    const others = ['東京ジム', 'Спортзал Центр', '🏋️💪', '---'].map(siteSlug);
    for (const o of others) expect(o).toMatch(/^gym-[0-9a-f]{6}$/);
    expect(new Set(others).size).toBe(others.length);
    expect(siteSlug('東京ジム')).toBe(others[0]);
    expect(siteSlug('Demo made up')).toBe('gym-demo-made-up');
    expect(exportName('Demo made up', '1h', at, 'csv', 'UTC')).toBe('gym-demo-made-up-1h-2026-12-06T00-33-47.csv');
    // Whatever the name, the start-up sweep knows the file as the console's own.
    const dir = mkdtempSync(join(tmpdir(), 'gym-sweep-'));
    for (const site of ['Riverside Gym', 'Zoë 24/7', '東京ジム']) writeFileSync(join(dir, exportName(site, 'custom', at, 'sqlite', 'UTC')), '');
    expect(sweepExportsDir(dir).sort()).toEqual([`${siteSlug('東京ジム')}-custom-2026-12-06T00-33-47.sqlite`, 'riverside-gym-custom-2026-12-06T00-33-47.sqlite', 'zoe-24-7-custom-2026-12-06T00-33-47.sqlite']);
  });

  it('knows the names the console gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-sweep-'));
    const name = exportName(undefined, '7d', Date.UTC(2026, 2, 1, 17, 0, 0, 250), 'json', 'UTC');
    expect(name).toBe('gym-7d-2026-03-01T17-00-00.json');
    expect(exportName(undefined, '7d', Date.UTC(2026, 2, 1, 17), 'csv', 'UTC', true)).toBe('demo-made-up-gym-7d-2026-03-01T17-00-00.csv');
    writeFileSync(join(dir, name), '');
    writeFileSync(join(dir, name.replace('.json', '-12.json')), '');
    expect(sweepExportsDir(dir)).toHaveLength(2);
  });
});

describe('exports being written, on a stop', () => {
  it('are told to stop, and the stop waits until each has ended; one started later is stopped at once', async () => {
    const jobs = new ExportJobs();
    const ended: string[] = [];
    const job = (name: string) => (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        if (signal.aborted) return reject(new Error(`${name} stopped before it began`));
        signal.addEventListener('abort', () => setTimeout(() => (ended.push(name), reject(new Error(`${name} stopped`))), 20));
      });
    const a = jobs.run(job('a'));
    const b = jobs.run(job('b'));
    await jobs.stop();
    expect(ended.sort()).toEqual(['a', 'b']);
    await expect(a).rejects.toThrow('a stopped');
    await expect(b).rejects.toThrow('b stopped');
    await expect(jobs.run(job('c'))).rejects.toThrow('c stopped before it began');
  });
});
