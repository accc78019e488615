import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let child: ChildProcess | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'gym-shutdown-'));

beforeAll(() => {
  if (!existsSync('out/main/web.js')) throw new Error('run "npm run build" first: this test starts the built headless host');
});
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the headless host on SIGTERM', () => {
  it('closes its stores before it exits, once, even when told twice', async () => {
    const host = spawn(process.execPath, ['out/main/web.js', '--port', '0', '--data-dir', dataDir, '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = host;
    let err = '';
    host.stderr!.on('data', (d) => (err += d));
    const exits: (number | NodeJS.Signals | null)[] = [];
    const exited = new Promise<void>((resolve) => host.on('exit', (code, signal) => (exits.push(code ?? signal), resolve())));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`host not ready in 15 s; stderr: ${err}`)), 15_000);
      host.stdout!.on('data', (d) => {
        out += d;
        if (!/^console ready: /m.test(out)) return;
        clearTimeout(timer);
        resolve();
      });
    });
    const store = join(dataDir, 'demo');
    // While it runs, SQLite keeps write-ahead logs beside the stores; a clean close folds them in and removes them.
    expect(readdirSync(store)).toEqual(expect.arrayContaining(['console.db-wal', 'analytics.db-wal']));
    host.kill('SIGTERM');
    host.kill('SIGTERM');
    await exited;
    expect(exits, `stderr: ${err}`).toEqual([0]);
    expect(readdirSync(store).filter((f) => f.endsWith('-wal'))).toEqual([]);
    expect(err).not.toMatch(/could not .* while stopping|longer than/);
  }, 30_000);
});
