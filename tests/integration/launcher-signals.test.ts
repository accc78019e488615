import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesHolding } from '../helpers/processes';

// Stopping `npm start` by its PID must not leave the console's host running with the data dir open.
const linux = process.platform === 'linux';
const started: { proc: ChildProcess; dataDir: string }[] = [];

beforeAll(() => {
  if (!existsSync('out/main/web.js')) throw new Error('run "npm run build" first: this test starts the built headless host');
});
afterEach(() => {
  for (const { proc, dataDir } of started.splice(0)) {
    for (const pid of hostPids(dataDir)) process.kill(pid, 'SIGKILL');
    proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Processes whose command line names this data dir: the launcher and the host it started. */
const hostPids = processesHolding;

/** Starts `argv` (a launcher, or a shell around one, as npm does) and waits for the console's ready line. */
async function launch(argv: string[], dataDir: string): Promise<ChildProcess> {
  const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AV_GYM_NO_BUILD: '1' } });
  started.push({ proc, dataDir });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s; stderr: ${err}`)), 60_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      if (!/^console ready: /m.test(out)) return;
      clearTimeout(timer);
      resolve();
    });
    proc.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return proc;
}

async function allGone(dataDir: string): Promise<number[]> {
  const until = Date.now() + 30_000;
  let left = hostPids(dataDir);
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    left = hostPids(dataDir);
  }
  return left;
}

const hostArgs = (dataDir: string): string[] => ['--demo', '--demo-rate', '0', '--port', '0', '--data-dir', dataDir];

describe.skipIf(!linux)('the launcher scripts stop the host they started', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('npm run web: %s to the launcher stops the host, and the launcher exits with it', async (sig) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-'));
    const proc = await launch([process.execPath, 'scripts/web.mjs', ...hostArgs(dataDir)], dataDir);
    expect(hostPids(dataDir)).toHaveLength(2);
    const exited = new Promise((r) => proc.on('exit', r));
    proc.kill(sig);
    await exited;
    expect(await allGone(dataDir)).toEqual([]);
  }, 90_000);

  // With an Electron binary, npm start runs the desktop app, which prints no ready line.
  it.skipIf(existsSync('node_modules/electron/path.txt'))('npm start: killing the shell npm puts between itself and the launcher still stops the host', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-'));
    // "; exit" keeps the shell from exec-ing the launcher, as npm's shell does not.
    const shell = await launch(['/bin/sh', '-c', `"${process.execPath}" scripts/start.mjs ${hostArgs(dataDir).join(' ')}; exit $?`], dataDir);
    expect(hostPids(dataDir).length).toBeGreaterThanOrEqual(2);
    shell.kill('SIGTERM');
    expect(await allGone(dataDir)).toEqual([]);
  }, 90_000);

  it.each(['SIGKILL', 'SIGHUP'] as const)('npm run web: npm alone stopped by %s (its shell lives on) still takes the host down', async (sig) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-'));
    // The outer shell stands for npm; the inner one for the shell npm runs the script in.
    const inner = `"${process.execPath}" scripts/web.mjs ${hostArgs(dataDir).join(' ')}; exit $?`;
    const npm = await launch(['/bin/sh', '-c', `trap 'exit 1' HUP; /bin/sh -c '${inner}' & wait; exit $?`], dataDir);
    expect(hostPids(dataDir).length).toBeGreaterThanOrEqual(2);
    npm.kill(sig);
    expect(await allGone(dataDir)).toEqual([]);
  }, 90_000);

  it('npm run web: a launcher killed outright (SIGKILL) still takes the host down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-'));
    const proc = await launch([process.execPath, 'scripts/web.mjs', ...hostArgs(dataDir)], dataDir);
    proc.kill('SIGKILL');
    expect(await allGone(dataDir)).toEqual([]);
  }, 90_000);
});
