import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';

// A full disk where SQLite says it, when the lock or console.db is written (J13): no root, no tmpfs.
const FULL = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
vi.mock('../../src/main/core/startup/data-dir-lock', async (real) => ({
  ...(await real<object>()),
  lockDataDir: () => {
    throw FULL();
  },
}));
vi.mock('../../src/main/core/store/db', async (real) => ({
  ...(await real<object>()),
  openDb: () => {
    throw FULL();
  },
}));

const { openDataDir } = await import('../../src/main/core/data-dir');
const { openConsoleDb } = await import('../../src/main/core/store/open-console-db');
const { keepServingOnUnexpectedErrors } = await import('../../src/main/core/last-resort');

const FULL_WORDS = /^This PC's disk is full, so the console cannot start on its data folder (\S+)\. Tell the gym's IT: the disk that holds the console's data needs free space\. Start the console again once there is room\. Do not start it on another data folder/;

describe('a start on a full disk (J13)', () => {
  it("says the disk is full, names the folder, and never sends IT to another data folder or blames console.lock", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-full-start-'));
    const r = openDataDir(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.message).toMatch(FULL_WORDS);
    expect(r.problem.message).toContain(dir);
    expect(r.problem.message).not.toMatch(/console\.lock|SQLITE_FULL|remove whatever|give a data folder/);
  });

  it('console.db that cannot be opened for a full disk is said the same way, not as a damaged file or a stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-full-db-'));
    expect(() => openConsoleDb(dir)).toThrow(FULL_WORDS);
  });
});

describe('an unexpected error while serving (J14)', () => {
  it('with a log file: one line on stderr, the stack in the log', () => {
    const proc = new EventEmitter();
    const stderr: string[] = [];
    const logged: unknown[] = [];
    keepServingOnUnexpectedErrors(proc as unknown as NodeJS.Process, (l) => stderr.push(l), (_kind, e) => (logged.push(e), true));
    const e = FULL();
    proc.emit('uncaughtException', e);
    expect(stderr).toEqual(["console: unexpected error, logged and kept running: database or disk is full (the details are in the console's log)\n"]);
    expect(logged).toEqual([e]);
  });

  // readme24 R4: "the details are in the console's log" was said on a disk so full the log could not take them.
  it('with a log file that is not being written: the whole error on stderr, no word of the log', () => {
    const proc = new EventEmitter();
    const stderr: string[] = [];
    keepServingOnUnexpectedErrors(proc as unknown as NodeJS.Process, (l) => stderr.push(l), () => false);
    const e = FULL();
    proc.emit('uncaughtException', e);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^console: unexpected error, logged and kept running: .*database or disk is full/);
    expect(stderr[0]).toContain(e.stack!.split('\n')[1]!.trim());
    expect(stderr[0]).not.toContain("console's log");
  });
});
