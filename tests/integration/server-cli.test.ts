import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { spawnCli } from '../helpers/backend-processes';
import { redisMissing, startRedis, type RedisServer } from '../helpers/redis-server';

// `npm run server` refuses what it cannot run with one line: 2 for a wrong flag, 1 for a port it cannot take.
const missing = redisMissing();
let busy: Server;
let busyPort = 0;
let redis: RedisServer | null = null;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
  if (!missing) redis = await startRedis();
}, 30_000);
afterAll(async () => {
  busy.close();
  await redis?.close();
});

const run = (args: string[]) =>
  new Promise<{ code: number | null; lines: string[] }>((resolve) => {
    const child = spawnCli(args);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    // Anything that starts is a failure of the test: stop it.
    child.stdout!.on('data', (d) => /admin http/.test(String(d)) && child.kill('SIGKILL'));
    child.on('exit', (code) => resolve({ code, lines: stderr.trim().split('\n') }));
  });

describe('npm run server: refusals in one line', () => {
  it('a port in use by another program (the second of three instances): exit 1, no stack', async () => {
    const r = await run(['--instances', '3', '--port', String(busyPort - 1)]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`gym-server: port ${busyPort} is already in use by another program: pick another --port (instances take 3 ports from it).`]);
  }, 30_000);

  it('an admin port in use: exit 1, naming --admin-port', async () => {
    const r = await run(['--instances', '1', '--port', '0', '--admin-port', String(busyPort)]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`gym-server: port ${busyPort} is already in use by another program: pick another --admin-port.`]);
  }, 30_000);

  it.skipIf(!!missing)('with --redis, one instance whose port is in use: exit 1, no stack', async () => {
    const r = await run(['--redis', redis!.url, '--instance-id', '0', '--port', String(busyPort)]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`gym-server: port ${busyPort} is already in use by another program: pick another --port.`]);
  }, 30_000);

  it.skipIf(!!missing)('with --redis --instances N, a port in use is said before any instance starts: exit 1', async () => {
    const started = Date.now();
    const r = await run(['--redis', redis!.url, '--instances', '2', '--port', String(busyPort - 1)]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`gym-server: port ${busyPort} is already in use by another program: pick another --port (instances take 2 ports from it).`]);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it.skipIf(!!missing)('with --redis, a second process given an --instance-id that runs already: exit 2, naming the one running', async () => {
    const prefix = `dup${process.pid}:`;
    const first = spawnCli(['--redis', redis!.url, '--instance-id', '1', '--port', '0', '--key-prefix', prefix]);
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        first.stdout!.on('data', (d) => (out += d) && /admin http/.test(out) && resolve());
        first.once('exit', () => reject(new Error(`the first instance 1 ended: ${out}`)));
      });
      const port = /instance 1 listening ws:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1];
      const r = await run(['--redis', redis!.url, '--instance-id', '1', '--port', '0', '--key-prefix', prefix]);
      expect(r.code).toBe(2);
      expect(r.lines).toEqual([`gym-server: instance 1 already runs on this Redis (process ${first.pid} on ${hostname()}, port ${port}): give each process its own --instance-id.`]);
    } finally {
      const gone = new Promise((r) => first.once('exit', r));
      first.kill('SIGKILL');
      await gone;
    }
    // Killed outright, its claim stays a few seconds; the process started again in its place is not refused for it.
    const again = spawnCli(['--redis', redis!.url, '--instance-id', '1', '--port', '0', '--key-prefix', prefix]);
    let said = '';
    again.stderr!.on('data', (d) => (said += d));
    await new Promise<void>((resolve, reject) => {
      again.stdout!.on('data', (d) => /admin http/.test(String(d)) && resolve());
      again.once('exit', (code) => reject(new Error(`instance 1 started again was refused (${code}): ${said}`)));
    });
    const gone = new Promise((r) => again.once('exit', r));
    again.kill('SIGTERM');
    await gone;
    expect(said).toBe('');
  }, 60_000);

  it('a --host that is not an address of this machine: exit 1, naming --host', async () => {
    // 203.0.113.0/24 is kept for documentation: no machine has it.
    const r = await run(['--instances', '1', '--port', '0', '--host', '203.0.113.7']);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(['gym-server: --host 203.0.113.7 is not an address of this machine: give one of its own (ip addr or ipconfig lists them), or 0.0.0.0 for all of them.']);
  }, 30_000);

  it.skipIf(!!missing)('with --redis --instances N, a --host that is not this machine is said before any instance starts: exit 1', async () => {
    const r = await run(['--redis', redis!.url, '--instances', '2', '--port', '0', '--host', '203.0.113.7']);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(['gym-server: --host 203.0.113.7 is not an address of this machine: give one of its own (ip addr or ipconfig lists them), or 0.0.0.0 for all of them.']);
  }, 30_000);

  it.each([
    [['--port', '-5'], 'gym-server: --port must be a whole number from 0 to 65533 (3 instances take ports P to P+2, and no port is above 65535), not "-5".'],
    // The limit is the instances' last port, so it says why: the walk-through's --port 65534 with 3 instances.
    [['--instances', '3', '--port', '65534'], 'gym-server: --port must be a whole number from 0 to 65533 (3 instances take ports P to P+2, and no port is above 65535), not "65534".'],
    [['--instances', '1', '--port', '65536'], 'gym-server: --port must be a whole number from 0 to 65535, not "65536".'],
    [['--instances', '0'], 'gym-server: --instances must be a whole number from 1 to 32, not "0".'],
    [['--rate', ''], 'gym-server: --rate must be a whole number from 0 to 1000000, not "".'],
    [['--instances'], 'gym-server: --instances needs a value after it (npm run server -- --help says which).'],
    [['--host', 'gym-pc.local'], expect.stringMatching(/^gym-server: --host must be an IP address of this machine: 127\.0\.0\.1 .* 0\.0\.0\.0 .*; not "gym-pc\.local"\.$/)],
    [['--host', '10.0.0.256'], expect.stringContaining('not "10.0.0.256".')],
    [['--instnces', '3'], 'gym-server: --instnces is not an option of this command; did you mean --instances? (npm run server -- --help lists them all.)'],
    [['--token', 'my', 'token'], 'gym-server: "token" is not an option: if "my token" is one value for --token, put it in quotes: --token "my token"'],
  ])('%j: exit 2', async (args, line) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([line]);
  }, 30_000);
});
