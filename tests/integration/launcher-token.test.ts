import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesHolding } from '../helpers/processes';

// `ps` shows every user a process's command line for as long as it runs: the console's must never hold the backend token.
const linux = process.platform === 'linux';
const started: { proc: ChildProcess; dataDir: string }[] = [];
const TOKEN = 's3cretTok-launcher-test';

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

describe.skipIf(!linux)('npm run web -- --backend … --backend-token T', () => {
  it('the host runs with the token (saved 0600) but not on its command line; the launcher says its own line shows it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-launch-token-'));
    // Port 1 answers nothing: the console starts live and offline, which is all this needs.
    const proc = spawn(process.execPath, ['scripts/web.mjs', '--backend', 'ws://127.0.0.1:1', '--backend-token', TOKEN, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AV_GYM_NO_BUILD: '1' } });
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
    const host = processesHolding(dataDir).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('out/main/web.js'));
    expect(host).toHaveLength(1);
    const cmdline = readFileSync(`/proc/${host[0]}/cmdline`, 'utf8');
    expect(cmdline).toContain('--backend');
    expect(cmdline).not.toContain(TOKEN);
    expect(cmdline).not.toContain('--backend-token');
    // It still got it, as if by the flag: saved for later starts, readable only by this user.
    expect(readFileSync(join(dataDir, 'backend-token'), 'utf8').trim()).toBe(TOKEN);
    expect(statSync(join(dataDir, 'backend-token')).mode & 0o777).toBe(0o600);
    expect(err).toMatch(/^console: --backend-token on the command line can be read by every user of this PC/m);
    expect(err.match(/can be read by every user/g)).toHaveLength(1);
  }, 90_000);
});
