import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { hostBridge, requireBuild } from '../helpers/built-host';
import { sleep } from '../helpers/wait';
import { freePort } from '../helpers/free-port';

// A console started from a terminal in which someone pressed Ctrl+S (or selected text, or whose remote session froze):
// Node writes to a terminal synchronously on Linux, so the console's next line there froze the whole console, every
// check-in with it, until someone pressed Ctrl+Q. `script` gives the host a real terminal; its input is that terminal's
// keyboard, so Ctrl+S and Ctrl+Q are typed into it.
const TOKEN = 'paused-terminal-token';
const XOFF = '\x13';
const XON = '\x11';
const started: ChildProcess[] = [];
const clusters: Cluster[] = [];

const hasScript = existsSync('/usr/bin/script');
beforeAll(requireBuild);
afterAll(async () => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
  for (const c of clusters) await c.close().catch(() => {});
});

/** The host's process under `script` (the shell between them may or may not have exec'd it). */
function hostPid(scriptPid: number): number | null {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('out/main/web.js') || cmd.startsWith('script')) continue;
      // The host, or a shell between: its parent is script or a child of script.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === scriptPid || readFileSync(`/proc/${ppid}/stat`, 'utf8').includes(` ${scriptPid} `)) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

describe.skipIf(!hasScript)('a console whose terminal is paused (Ctrl+S) keeps working', () => {
  it('answers screens while its terminal takes nothing, and shows what it held once the terminal reads again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-paused-terminal-'));
    const port = await freePort();
    const cmd = `exec "${process.execPath}" out/main/web.js --port 0 --data-dir "${dataDir}" --backend ws://127.0.0.1:${port}`;
    const term = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GYM_BACKEND_TOKEN: TOKEN } });
    started.push(term);
    let screen = '';
    term.stdout!.on('data', (d) => (screen += d));
    await expect.poll(() => /console ready: (\S+)/.exec(screen)?.[1], { timeout: 20_000 }).toBeTruthy();
    const url = /console ready: (\S+)/.exec(screen)![1]!;

    term.stdin!.write(XOFF);
    await sleep(300);
    const before = screen.length;
    // The backend comes up: the console has a line for its terminal ("connected to the gym's backend").
    clusters.push(await startCluster({ instances: 1, port, token: TOKEN }));
    const logText = (): string => readFileSync(join(dataDir, 'logs', 'console.log'), 'utf8');
    await expect.poll(logText, { timeout: 30_000 }).toMatch(/said on the terminal: connected/);
    await sleep(500);
    expect(screen.slice(before), 'the paused terminal shows nothing new').not.toMatch(/connected to the gym's backend/);

    const bridge = await hostBridge(url);
    const t0 = performance.now();
    const info = await Promise.race([bridge.call<{ version: string }>('app.info'), sleep(5_000).then(() => null)]);
    expect(info, 'a screen gets its answer while the terminal is paused').not.toBeNull();
    expect(performance.now() - t0).toBeLessThan(2_000);
    bridge.close();

    term.stdin!.write(XON);
    await expect.poll(() => screen.slice(before), { timeout: 10_000 }).toMatch(/connected to the gym's backend/);

    const pid = hostPid(term.pid!);
    expect(pid).not.toBeNull();
    // `script -e` ends with the host's own exit code: 0 is a clean stop.
    const exited = new Promise<number | null>((r) => term.once('exit', (code) => r(code)));
    process.kill(pid!, 'SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
