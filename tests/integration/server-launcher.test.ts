import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { processesHolding } from '../helpers/processes';
import { freePort } from '../helpers/free-port';

// Stopping `npm run server` by npm's PID must stop the backend it started, as it does for the console.
const linux = process.platform === 'linux';
const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) p.kill('SIGKILL');
});

/** Live processes whose command line holds `mark` (the server's own port, as given: the launcher and the backend). */
const holding = processesHolding;
const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8');

describe.skipIf(!linux)('npm run server', () => {
  it("killing the shell npm runs it in stops the backend (npm's SIGTERM reaches only that shell)", async () => {
    const mark = `launcher-${randomBytes(6).toString('hex')}`;
    const port = await freePort();
    // "; exit" keeps the shell from exec-ing the launcher, as npm's shell does not.
    const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" scripts/server.mjs --instances 1 --port ${port} --token ${mark}; exit $?`], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(shell);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`not listening in 60 s: ${out}`)), 60_000);
      const read = (d: Buffer): void => {
        out += d;
        if (/listening ws:/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      shell.stdout!.on('data', read);
      shell.stderr!.on('data', read);
    });
    // Its token goes to the backend by environment: only npm's shell and the launcher's own command lines show it.
    const ported = `--port\0${port}\0`;
    const backend = holding(ported).filter((pid) => cmdline(pid).includes('src/server/cli.ts'));
    expect(holding(ported).length).toBeGreaterThanOrEqual(2); // the launcher and the backend
    expect(backend).toHaveLength(1);
    expect(cmdline(backend[0]!)).not.toContain(mark);
    shell.kill('SIGTERM');
    const until = Date.now() + 30_000;
    while (holding(ported).length && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(holding(ported)).toEqual([]);
    expect(holding(mark)).toEqual([]);
  }, 90_000);
});
