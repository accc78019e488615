import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRunTmpRoot } from '../helpers/run-tmp-root';

// The test runs' temp root: whatever a test forgets to remove is removed with the run (see run-tmp-root.ts).
const bases: string[] = [];
const freshBase = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'b-'));
  bases.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of bases.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A whole runner (vitest or Playwright) with TMPDIR at an empty dir of its own; what it leaves there is the leak. */
function runWithTmp(base: string, cli: string, args: string[]): { status: number | null; out: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST'));
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...env, TMPDIR: base }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('the test run temp root', () => {
  it('is where this test file, and so every test file, makes its temp dirs', () => {
    expect(basename(tmpdir())).toMatch(/^gymtest-\d+-/);
    expect(process.env.TMPDIR).toBe(tmpdir());
  });

  it('points TMPDIR into a root of its own, and removes the root with whatever was left in it', () => {
    const base = freshBase();
    const before = process.env.TMPDIR;
    const run = openRunTmpRoot(base);
    try {
      expect(dirname(run.root)).toBe(base);
      expect(tmpdir()).toBe(run.root);
      mkdirSync(join(mkdtempSync(join(tmpdir(), 'gym-forgotten-')), 'deep', 'deeper'), { recursive: true });
    } finally {
      run.close();
    }
    expect(process.env.TMPDIR).toBe(before);
    expect(readdirSync(base)).toEqual([]);
  });

  it('keeps a unix socket path under it within the 107 bytes Linux allows (chromium and Electron put one there)', () => {
    const run = openRunTmpRoot(tmpdir());
    try {
      // chromium's singleton socket: <TMPDIR>/.org.chromium.Chromium.XXXXXX/SingletonSocket
      expect(Buffer.byteLength(join(run.root, '.org.chromium.Chromium.XXXXXX', 'SingletonSocket'))).toBeLessThan(108);
    } finally {
      run.close();
    }
  });

  it('removes the root a killed run left, once that run is gone, and leaves a running one alone', () => {
    const base = freshBase();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid names no live runner
    mkdirSync(join(base, `gymtest-${dead}-abc123`, 'gym-e2e-x'), { recursive: true });
    writeFileSync(join(base, `gymtest-${dead}-abc123`, 'gym-e2e-x', 'console.db'), 'x');
    mkdirSync(join(base, `gymtest-${process.ppid}-live12`));
    mkdirSync(join(base, 'someone-elses'));
    const run = openRunTmpRoot(base);
    run.close();
    expect(readdirSync(base).sort()).toEqual([`gymtest-${process.ppid}-live12`, 'someone-elses']);
  });

  it('leaves nothing behind after a whole vitest run whose test (and a process it spawned) forgot its temp dirs', () => {
    const base = freshBase();
    const r = runWithTmp(base, 'node_modules/vitest/vitest.mjs', ['run', '--config', 'tests/fixtures/tmp-leak/vitest.config.ts']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('1 passed');
    expect(readdirSync(base)).toEqual([]);
  }, 120_000);

  it('leaves nothing behind after a whole Playwright run whose spec forgot its temp dir and opened chromium', () => {
    const base = freshBase();
    const r = runWithTmp(base, 'node_modules/@playwright/test/cli.js', ['test', '--config', 'tests/fixtures/tmp-leak/playwright.config.ts', '--reporter=line']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('1 passed');
    // Playwright's compile cache, made before any setup runs: one per user, reused by every run, not a leak.
    expect(readdirSync(base).filter((n) => !n.startsWith('playwright-transform-cache-'))).toEqual([]);
  }, 120_000);
});
