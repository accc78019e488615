import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { spawnCli } from '../helpers/backend-processes';
import { freePort, redisMissing, startRedis, type RedisServer } from '../helpers/redis-server';
import { rawClient } from '../helpers/raw-client';
import { waitFor } from '../helpers/wait';

// `npm run server -- --host`: consoles on other PCs can reach the instances, the fault-injection admin channel
// stays on loopback, and IT is told once that only the token protects them.
const TOKEN = 'host-test-token';
const WARNING = /^gym-server: warning: --host 0\.0\.0\.0 lets other machines connect; the token is the only protection .*TLS proxy.*"Connecting to the gym's backend"/;
/** This machine's first non-loopback IPv4 address, if it has one: what another PC would dial. */
const other = Object.values(networkInterfaces())
  .flatMap((l) => l ?? [])
  .find((a) => !a.internal && a.family === 'IPv4')?.address;
const missing = redisMissing();

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
});
let redis: RedisServer | null = null;
beforeAll(async () => {
  if (!missing) redis = await startRedis();
}, 30_000);
afterAll(() => redis?.close());

/** Starts the backend and reads its output until `done` matches. */
async function start(args: string[], done: RegExp): Promise<{ out: string; err: () => string }> {
  // The token as `npm run server` hands it over (GYM_TOKEN): on the command line the backend warns that `ps` shows it.
  const child = spawnCli(args, { GYM_TOKEN: TOKEN });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  await waitFor(() => done.test(out) || child.exitCode !== null, 30_000);
  if (!done.test(out)) throw new Error(`the backend did not start:\n${out}\n${err}`);
  return { out, err: () => err };
}

/** Whether a TCP connection to host:port opens. */
const opens = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

async function welcomed(url: string): Promise<void> {
  const c = await rawClient(url);
  c.send({ t: 'hello', versions: [2], token: TOKEN, client: 'host-test' });
  expect(await waitFor(() => c.of('welcome')[0])).toMatchObject({ version: 2 });
  c.ws.close();
}

describe('npm run server -- --host', () => {
  it('0.0.0.0: a console connects through 127.0.0.1, the line says all interfaces, the admin channel stays on loopback', async () => {
    const port = await freePort();
    const { out, err } = await start(['--instances', '1', '--port', String(port), '--host', '0.0.0.0'], /admin (http:\S+)/);
    expect(out).toContain(`gym-server instance 0 listening ws://127.0.0.1:${port} (all interfaces; `);
    if (other) expect(out).toContain(`from other machines: ws://${other}:${port}`);
    await welcomed(`ws://127.0.0.1:${port}`);

    const admin = new URL(/admin (http:\S+)/.exec(out)![1]!);
    expect(admin.hostname).toBe('127.0.0.1');
    const res = await fetch(new URL('/instances', admin), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await res.json()) as { url: string }[])[0]!.url).toBe(`ws://127.0.0.1:${port}`);
    if (other) {
      // What another PC sees: the instance answers on the machine's own address, the admin channel does not.
      await welcomed(`ws://${other}:${port}`);
      expect(await opens(other, Number(admin.port))).toBe(false);
    }
    await waitFor(() => err().includes('\n'), 5_000);
    expect(err().trim().split('\n')).toEqual([expect.stringMatching(WARNING)]);
  }, 60_000);

  it('127.0.0.1 (the default) prints no warning', async () => {
    const port = await freePort();
    const { out, err } = await start(['--instances', '1', '--port', String(port)], /admin http:/);
    expect(out).toContain(`gym-server instance 0 listening ws://127.0.0.1:${port}\n`);
    expect(err()).toBe('');
  }, 60_000);

  it.skipIf(!!missing)('with --redis --instances 2, every child listens on --host and the warning is said once', async () => {
    const { out, err } = await start(
      ['--redis', redis!.url, '--instances', '2', '--port', '0', '--host', '0.0.0.0', '--key-prefix', `host-${process.pid}:`],
      /(instance \d admin http:\S+[\s\S]*){2}/,
    );
    const urls = [...out.matchAll(/listening (ws:\/\/\S+) \(all interfaces/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(2);
    for (const u of urls) {
      expect(new URL(u).hostname).toBe('127.0.0.1');
      await welcomed(u);
    }
    for (const m of out.matchAll(/admin (http:\S+)/g)) expect(new URL(m[1]!).hostname).toBe('127.0.0.1');
    expect(err().trim().split('\n')).toEqual([expect.stringMatching(WARNING)]);
  }, 60_000);
});
