import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.REDIS_SERVER ?? 'redis-server';

/** Why Redis tests cannot run here, or null when they can. CI installs redis-server (.ci/run), so there they always run. */
export function redisMissing(): string | null {
  const r = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${BIN} is not installed (apt-get install redis-server)`;
}

import { freePort } from './free-port';
export { freePort };

/** One raw PING over TCP: true on +PONG. No client library, so it tests the server, not our client. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export interface RedisServer {
  port: number;
  url: string;
  /** Stops it (SIGTERM: the append-only file is flushed) and starts it again on the same port and data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  /** `empty`: its data is deleted first, as a Redis with no persistence comes back. */
  start(opts?: { empty?: boolean }): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/**
 * A private redis-server on a free loopback port, its data in a temp dir. Append-only with fsync on
 * every write, so a restart keeps every acknowledged write (as a gym's Redis should be configured).
 */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avgym-redis-'));
  const port = await freePort();
  let proc: ChildProcess | null = null;
  let log = '';

  const start = async ({ empty = false } = {}): Promise<void> => {
    if (empty) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
    }
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'no'];
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = child;
    child.stdout!.on('data', (d) => (log = (log + d).slice(-4_000)));
    child.stderr!.on('data', (d) => (log = (log + d).slice(-4_000)));
    const end = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`redis-server did not start on ${port}:\n${log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async (): Promise<void> => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async restart(downMs = 0) {
      await stop();
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
