import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temp root per test run (vitest's and Playwright's globalSetup). TMPDIR points into it, so every
 * mkdtemp a test makes, every host it spawns and every chromium or Electron it launches (they all read
 * TMPDIR) lands inside, and the teardown removes the lot: a test that forgets its own cleanup cannot
 * leak into /tmp (46 GB had piled up there). The name is short because chromium and Electron put a
 * unix socket under TMPDIR, and a socket path must fit in 107 bytes.
 */
const PREFIX = 'gymtest-';
const OWNED = /^gymtest-(\d+)-/;

export interface RunTmpRoot {
  root: string;
  /** Removes the root and everything in it, and points TMPDIR back where it was. */
  close(): void;
}

export function openRunTmpRoot(base = tmpdir()): RunTmpRoot {
  sweepAbandoned(base);
  const root = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return {
    root,
    close() {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A run killed before its teardown (Ctrl-C, a crash) leaves its root: the next run removes it once its runner is gone. */
function sweepAbandoned(base: string): void {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = OWNED.exec(name)?.[1];
    if (pid && !alive(Number(pid))) rmSync(join(base, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's runner, still running
  }
}

/** vitest and Playwright both take a globalSetup whose returned function is the teardown. */
export default function setup(): () => void {
  const run = openRunTmpRoot();
  return () => run.close();
}
