import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesHolding } from '../helpers/processes';

// A console killed by the system (out of memory) or crashing says nothing itself: the launcher must say it ended.
const linux = process.platform === 'linux';
const started: { proc: ChildProcess; dataDir: string }[] = [];

beforeAll(() => {
  if (!existsSync('out/main/web.js')) throw new Error('run "npm run build" first: this test starts the built headless host');
});
afterEach(() => {
  for (const { proc, dataDir } of started.splice(0)) {
    for (const pid of processesHolding(dataDir)) process.kill(pid, 'SIGKILL');
    proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** The host itself (not its launcher): the process running out/main/web.js on this data dir. */
const hostPid = (dataDir: string): number => processesHolding(dataDir).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('out/main/web.js'))!;

async function launch(dataDir: string): Promise<{ proc: ChildProcess; stderr: () => string }> {
  const proc = spawn(process.execPath, ['scripts/web.mjs', '--demo', '--demo-rate', '0', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AV_GYM_NO_BUILD: '1' } });
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
  return { proc, stderr: () => err };
}

describe.skipIf(!linux)('npm run web: a console that ends unasked is said on the terminal', () => {
  it('kill -9 of the host (as the out-of-memory killer does): one line naming the kill and the log file, exit status 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-end-'));
    const { proc, stderr } = await launch(dataDir);
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    process.kill(hostPid(dataDir), 'SIGKILL');
    expect(await exited).toBe(1);
    const lines = stderr().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^console: the console stopped unexpectedly: it was killed outright \(SIGKILL\), as the system does when memory runs out/);
    expect(lines.at(-1)).toContain(`its log is ${join(dataDir, 'logs', 'console.log')}`);
    expect(lines.at(-1)).toMatch(/Start it again/);
  }, 90_000);

  it('SIGTERM to the host itself (another program, not this terminal): it stops cleanly, and the terminal says who stopped it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-end-'));
    const { proc, stderr } = await launch(dataDir);
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    process.kill(hostPid(dataDir), 'SIGTERM');
    expect(await exited).toBe(0); // a clean stop: nothing lost
    const last = stderr().trim().split('\n').at(-1)!;
    expect(last).toMatch(/^console: the console was stopped by another program on this PC \(SIGTERM\), not from this terminal; it shut down cleanly/);
    expect(last).toMatch(/Start it again/);
    expect(stderr()).not.toMatch(/unexpectedly/);
  }, 90_000);

  it('Ctrl-C or SIGTERM to the launcher before the host is up is a stop asked for: exit status 0, nothing said', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-end-'));
    const proc = spawn(process.execPath, ['scripts/web.mjs', '--demo', '--demo-rate', '0', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AV_GYM_NO_BUILD: '1' } });
    started.push({ proc, dataDir });
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    // The host is spawned (the launcher's own handlers are set by then), and has not started: no data folder held yet.
    const until = Date.now() + 30_000;
    while (!processesHolding(dataDir).some((pid) => pid !== proc.pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).not.toMatch(/unexpectedly|stopped by another program/);
  }, 90_000);

  it('a stop asked for (SIGTERM to the launcher) says nothing of the kind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-end-'));
    const { proc, stderr } = await launch(dataDir);
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).not.toMatch(/unexpectedly/);
  }, 90_000);
});

// review23 V9: a stop asked for that ended in the launcher's own SIGKILL after its grace said nothing on the terminal.
describe('a console that does not stop when asked', () => {
  it('is killed after the grace, and the terminal says so, with exit status 1', async () => {
    const stubborn = "process.on('SIGTERM', () => {}); process.stdout.write('up\\n'); setInterval(() => {}, 1000);";
    const wrapper = `import('./scripts/launch.mjs').then((m) => m.runChild(process.execPath, ['-e', ${JSON.stringify(stubborn)}], { graceMs: 1_000 }))`;
    const proc = spawn(process.execPath, ['-e', wrapper], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    await new Promise<void>((r) => proc.stdout!.once('data', () => r()));
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(err.trim()).toMatch(/^console: the console did not stop within 1 s of being asked, so it was stopped outright; its log is .+\. Check-ins waiting to be sent are kept/);
  }, 30_000);
});
