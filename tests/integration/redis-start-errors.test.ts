import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnCli } from '../helpers/backend-processes';
import { freePort, redisMissing, startRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait';

// A Redis that wants a password, a wrong password, or something that is not Redis at all: each start-up
// failure says which, so IT fixes the address instead of checking that Redis is running.
const missing = redisMissing();
if (missing) console.warn(`skipping the Redis start-up error tests: ${missing}`);

let redis: ChildProcess | null = null;
let redisPort = 0;
let http: Server;
let httpPort = 0;
let greeter: TcpServer;
let greeterPort = 0;

beforeAll(async () => {
  http = createServer((_req, res) => res.writeHead(400).end('HTTP only\n'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpPort = (http.address() as { port: number }).port;
  // Speaks first, and not RESP: what a web server or an SSH daemon on the Redis port looks like to a client.
  greeter = createTcpServer((sock) => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  await new Promise<void>((r) => greeter.listen(0, '127.0.0.1', r));
  greeterPort = (greeter.address() as { port: number }).port;
  if (missing) return;
  redisPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'avgym-redis-auth-'));
  redis = spawn(process.env.REDIS_SERVER ?? 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--requirepass', 'right-pass'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
});
afterAll(() => {
  redis?.kill('SIGKILL');
  http.close();
  greeter.close();
});

const start = (redisArg: string) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawnCli(['--redis', redisArg, '--instance-id', '0', '--port', '0']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });

describe('Redis start-up errors say what to fix', () => {
  it('something that is not Redis at that address', async () => {
    const r = await start(`redis://127.0.0.1:${greeterPort}`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^gym-server: something answered at 127\\.0\\.0\\.1:${greeterPort} but it is not Redis: check the port in --redis`))]);
    expect(r.stderr).not.toMatch(/check that Redis is running|Please report this|RESP|"H"/);
  }, 30_000);

  it('a server that closes on a Redis client (an HTTP server)', async () => {
    const r = await start(`redis://127.0.0.1:${httpPort}`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^gym-server: (something at .* took the connection and closed it without answering as Redis|something answered at .* but it is not Redis): check the port in --redis/)]);
    expect(r.stderr).not.toMatch(/EPIPE|ECONNRESET|RESP/);
  }, 30_000);

  it.skipIf(!!missing)('no password given to a Redis that needs one', async () => {
    const r = await start(`redis://127.0.0.1:${redisPort}`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^gym-server: Redis at 127\\.0\\.0\\.1:${redisPort} needs a password: give it in the address, as redis://:PASSWORD@127\\.0\\.0\\.1:${redisPort}\\.$`))]);
  }, 30_000);

  it.skipIf(!!missing)('a password given to a Redis that takes none: one line in words, not the client library\'s warnings', async () => {
    const open = await startRedis();
    try {
      const child = spawnCli(['--redis', `redis://:not-needed@127.0.0.1:${open.port}`, '--instances', '2', '--port', '0', '--key-prefix', `nopass${process.pid}:`]);
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      await waitFor(() => (out.match(/listening ws:/g) ?? []).length === 2, 20_000);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      expect(err.trim().split('\n')).toEqual([`gym-server: Redis at 127.0.0.1:${open.port} needs no password, so the one in --redis is not used; leave it out: redis://127.0.0.1:${open.port}.`]);
      expect(err).not.toContain('not-needed');
    } finally {
      await open.close();
    }
  }, 40_000);

  it.skipIf(!!missing)('a wrong password', async () => {
    const r = await start(`redis://:wrong-pass@127.0.0.1:${redisPort}`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^gym-server: Redis at .* refused the password in --redis: check it \(redis:\/\/:PASSWORD@[\d.:]+\)\.$/)]);
    expect(r.stderr).not.toContain('wrong-pass');
  }, 30_000);
});
