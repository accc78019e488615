import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { hostBridge, killBuiltHosts, requireBuild, startBuiltHost } from '../helpers/built-host';
import { sleep } from '../helpers/wait';
import { freePort } from '../helpers/free-port';

// probe23 P1: the host's stdout/stderr read by `tee`, a supervisor or journald that went away. Each line then failed
// with EPIPE, an uncaught error, which the last-resort handler reported with another line on stderr: a loop that
// starved every check-in, grew memory by 50 MB a second and kept the log file from being written.
const TOKEN = 'lost-terminal-token';
const clusters: Cluster[] = [];

beforeAll(requireBuild);
afterAll(async () => {
  killBuiltHosts();
  for (const c of clusters) await c.close().catch(() => {});
});

describe('a console whose terminal goes away keeps working', () => {
  it('answers screens, keeps its log file, says once in it that the terminal is gone, and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-lost-terminal-'));
    const port = await freePort();
    const h = await startBuiltHost(['--data-dir', dataDir, '--backend', `ws://127.0.0.1:${port}`], { env: { GYM_BACKEND_TOKEN: TOKEN } });
    if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
    // The reader goes: every line the console writes to its terminal from now on fails.
    h.child.stdout!.destroy();
    h.child.stderr!.destroy();
    // The backend comes up: the console has a line to say about it ("connected to the gym's backend").
    clusters.push(await startCluster({ instances: 1, port, token: TOKEN }));
    // A write is known to have failed once the log says so: only then are the screens' answers timed.
    const logText = (): string => readFileSync(join(dataDir, 'logs', 'console.log'), 'utf8');
    await expect.poll(logText, { timeout: 30_000 }).toMatch(/the terminal this console was started from is gone/);
    await sleep(1_000);
    const bridge = await hostBridge(h.url);
    const t0 = performance.now();
    const info = await Promise.race([bridge.call<{ version: string }>('app.info'), sleep(5_000).then(() => null)]);
    expect(info, 'a screen gets its answer').not.toBeNull();
    expect(performance.now() - t0).toBeLessThan(2_000);
    bridge.close();
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${h.child.pid}/status`, 'utf8'))![1]) / 1024;
    expect(rssMb).toBeLessThan(250);
    const exited = new Promise<number | null>((r) => h.child.once('exit', (code) => r(code)));
    const asked = performance.now();
    h.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(performance.now() - asked).toBeLessThan(5_000);
    expect(logText().match(/the terminal this console was started from is gone/g)).toHaveLength(1);
  }, 60_000);
});
