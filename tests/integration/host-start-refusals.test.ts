import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

// The headless host refuses what it cannot run with one line and an exit status that says whose problem it is:
// 2 a wrong flag, 1 this machine, 3 another console on the data folder.
const running: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync('out/main/web.js')) throw new Error('run "npm run build" first: this test starts the built headless host');
});
afterAll(() => {
  for (const p of running) p.kill('SIGKILL');
});

type Started = { url: string; child: ChildProcess };
type Ended = { code: number | null; stderr: string };

function host(args: string[]): Promise<Started | Ended> {
  const child = spawn(process.execPath, ['out/main/web.js', '--demo-rate', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GYM_BACKEND_TOKEN: '' } });
  running.push(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host neither ready nor ended in 20 s; stderr: ${err}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^console ready: (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: err });
    });
  });
}

async function started(args: string[]): Promise<Started> {
  const h = await host(args);
  if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
  return h;
}

async function refused(args: string[]): Promise<Ended> {
  const h = await host(args);
  if ('url' in h) throw new Error(`host started at ${h.url}; it should have been refused`);
  return h;
}

const ended = (child: ChildProcess, signal: NodeJS.Signals): Promise<void> =>
  new Promise((r) => {
    child.once('exit', () => r());
    child.kill(signal);
  });

const lines = (s: string): string[] => s.trim().split('\n');
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'gym-refuse-'));

describe('one console per data folder', () => {
  it('refuses a second host on the same folder (or its demo/), and a killed one does not block the next start', async () => {
    const dir = tempDir();
    const first = await started(['--demo', '--data-dir', dir]);
    const again = await refused(['--demo', '--data-dir', dir]);
    expect(again.code).toBe(3);
    expect(lines(again.stderr)).toEqual([
      `console: another AV Gym Console is already running on this data folder (process ${first.child.pid}). Close it first, or give this one its own --data-dir.`,
    ]);
    // The demo's databases live in demo/: a console started there would share them.
    expect((await refused(['--data-dir', join(dir, 'demo')])).code).toBe(3);

    // The export command only reads, and works while the console runs.
    const out = join(tempDir(), 'while-running.json');
    const exp = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/export-cli.ts', '--data-dir', join(dir, 'demo'), '--range', '24h', '--format', 'json', '--out', out], { encoding: 'utf8' });
    expect(exp.status, exp.stderr).toBe(0);

    // A crash holds nothing: the OS drops the lock with the process.
    await ended(first.child, 'SIGKILL');
    const next = await started(['--demo', '--data-dir', dir]);
    await ended(next.child, 'SIGTERM');
  }, 60_000);

  it('a lock file naming a live process that is not a console (a reused pid) does not block the start', async () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'console.lock'));
    db.exec('CREATE TABLE owner (pid INTEGER NOT NULL, started_at INTEGER NOT NULL)');
    db.prepare('INSERT INTO owner VALUES (?, ?)').run(process.pid, Date.now());
    db.close();
    const h = await started(['--demo', '--data-dir', dir]);
    await ended(h.child, 'SIGTERM');
  }, 30_000);
});

describe('a refused start says why in one line and creates nothing', () => {
  it('a file as --data-dir, or a folder inside a file: exit 2, naming it', async () => {
    const file = join(tempDir(), 'x.csv');
    writeFileSync(file, 'a,b\n');
    const r = await refused(['--data-dir', file]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([`console: --data-dir ${file} is a file, not a folder: give a folder for the console's data (a missing one is created).`]);
    const inside = await refused(['--data-dir', join(file, 'x')]);
    expect(inside.code).toBe(2);
    expect(lines(inside.stderr)).toEqual([`console: --data-dir ${join(file, 'x')} is inside ${file}, which is a file, not a folder: give a folder for the console's data (a missing one is created).`]);
  });

  it('bad flags on a new data folder leave no folder behind', async () => {
    const dir = join(tempDir(), 'new-site');
    const r = await refused(['--data-dir', dir, '--backend', 'http://10.0.0.5:9100', '--backend-token', 'T']);
    expect(r.code).toBe(2);
    expect(existsSync(dir)).toBe(false);
    const t = await refused(['--data-dir', dir, '--backend-token', 'T']);
    expect(t.code).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });

  it('an empty --data-dir is refused, not taken as the current folder', async () => {
    const r = await refused(['--data-dir', '']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(["console: --data-dir is empty: give the folder for the console's data, or leave the flag out for the default."]);
  });

  it.each([
    [['--demo-rate', '-5'], 'console: --demo-rate must be a whole number of arrivals per hour at peak, from 0 to 20000, not "-5".'],
    [['--port', '-1'], 'console: --port must be a whole number from 0 to 65535 (0 picks a free port), not "-1".'],
    [['--port', ''], 'console: --port must be a whole number from 0 to 65535 (0 picks a free port), not "".'],
    [['--port', '1e3'], 'console: --port must be a whole number from 0 to 65535 (0 picks a free port), not "1e3".'],
    [['--port'], 'console: --port needs a value after it (npm run web -- --help says which).'],
    [['--colour'], 'console: --colour is not an option of this command (npm run web -- --help lists them).'],
    [['--backnd', 'ws://10.0.0.5:9100'], 'console: --backnd is not an option of this command; did you mean --backend? (npm run web -- --help lists them all.)'],
    [['--backend', 'ws://10.0.0.5:9100', 'ws://10.0.0.6:9100', '--backend-token', 'T'], 'console: "ws://10.0.0.6:9100" is not an option: separate the addresses in --backend with commas and no spaces: --backend ws://10.0.0.5:9100,ws://10.0.0.6:9100'],
    // A forgotten port would quietly mean port 80: README says the port is checked.
    [['--backend', 'ws://127.0.0.1', '--backend-token', 'T'], 'console: --backend: "ws://127.0.0.1" has no port: add the backend\'s port, like ws://127.0.0.1:9100.'],
    [['-data-dir', '/tmp/x', '--demo'], 'console: "-data-dir" is not an option of this command; did you mean --data-dir? (npm run web -- --help lists them all.)'],
    [['--data-dir', '/tmp/my', 'gym'], 'console: "gym" is not an option: if "/tmp/my gym" is one value for --data-dir, put it in quotes: --data-dir "/tmp/my gym"'],
  ])('%j: exit 2 with one plain line', async (args, line) => {
    const dir = join(tempDir(), 'new-site');
    const r = await refused(['--data-dir', dir, ...args]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([line]);
    expect(existsSync(dir)).toBe(false);
  });

  it('a port in use: exit 1 in one plain line, before anything is set up or saved', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as { port: number };
    try {
      const dir = tempDir();
      const r = await refused(['--demo', '--data-dir', dir, '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([`console: port ${port} is already in use by another program: close that program, or pick another --port (--port 0: a free one is picked).`]);
      expect(readdirSync(dir)).toEqual([]);
      // A first live start: no token, pools, marker or database saved, and no "later runs need no flags".
      const site = join(tempDir(), 'new-site');
      const live = await refused(['--data-dir', site, '--port', String(port), '--backend', 'ws://127.0.0.1:9,ws://127.0.0.1:10', '--backend-token', 'T']);
      expect(live.code).toBe(1);
      expect(lines(live.stderr)).toEqual([`console: port ${port} is already in use by another program: close that program, or pick another --port (--port 0: a free one is picked).`]);
      expect(existsSync(site)).toBe(false);
    } finally {
      busy.close();
    }
  }, 30_000);

  // review18 M1: the start asks the port's holder whether it is another console; a holder that never stops sending
  // (a live-reload or video stream) kept that question, and the start, waiting for ever.
  it('a port held by a program that streams without end: still refused as in use, in a few seconds', async () => {
    const stream = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write('data: tick\n\n'), 50);
      res.on('close', () => clearInterval(t));
    });
    await new Promise<void>((r) => stream.listen(0, '127.0.0.1', r));
    const { port } = stream.address() as { port: number };
    try {
      const dir = tempDir();
      const t0 = Date.now();
      const hung = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 8_000).unref());
      const r = await Promise.race([refused(['--demo', '--data-dir', dir, '--port', String(port)]), hung]);
      if (r === 'hung') throw new Error('the start was still waiting on the streaming holder after 8 s');
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([`console: port ${port} is already in use by another program: close that program, or pick another --port (--port 0: a free one is picked).`]);
      expect(Date.now() - t0).toBeLessThan(8_000);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      stream.closeAllConnections();
      stream.close();
    }
  }, 30_000);

  it('the same command twice with a fixed port: the running console is named (exit 3), not the port', async () => {
    const dir = tempDir();
    const probe: Server = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise((r) => probe.close(r));
    const first = await started(['--demo', '--data-dir', dir, '--port', String(port)]);
    const again = await refused(['--demo', '--data-dir', dir, '--port', String(port)]);
    expect(again.code).toBe(3);
    expect(lines(again.stderr)).toEqual([`console: another AV Gym Console is already running on this data folder (process ${first.child.pid}). Close it first, or give this one its own --data-dir.`]);
    await ended(first.child, 'SIGTERM');
  }, 30_000);

  // probe-readme18 #7: a desk and a kiosk side by side, the second given the first's port: "another program".
  it('a port held by another folder\'s console names it as another AV Gym Console', async () => {
    const probe: Server = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise((r) => probe.close(r));
    const first = await started(['--demo', '--data-dir', tempDir(), '--port', String(port)]);
    try {
      const other = tempDir();
      const again = await refused(['--demo', '--data-dir', other, '--port', String(port)]);
      expect(again.code).toBe(1);
      expect(lines(again.stderr)).toEqual([`console: port ${port} is already in use by another AV Gym Console, one running on another data folder: stop that console, or pick another --port (--port 0: a free one is picked).`]);
      expect(readdirSync(other)).toEqual([]);
    } finally {
      await ended(first.child, 'SIGTERM');
    }
  }, 30_000);

  it('a folder on a mount that takes no folders (/proc): refused in one line, in words, not a hang', async () => {
    // Node's mkdirSync({ recursive: true }) loops forever at full CPU there: /proc exists, /proc/gym gives ENOENT.
    const r = await refused(['--demo', '--data-dir', '/proc/gym-console']);
    expect(r.code).toBe(1);
    const said = lines(r.stderr);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^console: --data-dir \/proc\/gym-console cannot be created: /);
    expect(said[0]).not.toMatch(/\(E[A-Z]+\)/); // words, not error codes
  }, 30_000);

  it('a folder where the database should be: refused in one line naming it, no stack', async () => {
    const dir = tempDir();
    const db = join(dir, 'demo', 'console.db');
    mkdirSync(db, { recursive: true });
    const r = await refused(['--demo', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`console: ${db} is a folder, not a database file: move it out of the data folder, then start the console again (a new, empty one is made).`);
    expect(r.stderr).not.toMatch(/could not start|\n\s+at /);
  }, 30_000);

  it('a file where the logs folder goes: refused in one line saying what to move (exit 1), no error code or stack', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'logs'), 'not a folder');
    const r = await refused(['--demo', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      `console: ${join(dir, 'logs')} is a file, where the console keeps the folder for its log files: move it out of the data folder (or rename it), then start the console again.`,
    ]);
    expect(readFileSync(join(dir, 'logs'), 'utf8')).toBe('not a folder');
  }, 30_000);

  it('an error nobody foresaw: one line on screen pointing to the log, the stack in the log', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'demo'), { recursive: true });
    symlinkSync('console.db', join(dir, 'demo', 'console.db')); // a link to itself where the database should be
    const r = await refused(['--demo', '--data-dir', dir]);
    expect(r.code).toBe(1);
    const logFile = join(dir, 'logs', 'console.log');
    expect(r.stderr).toContain(`console: could not start: ELOOP: too many symbolic links encountered`);
    expect(r.stderr).toContain(`The details are in ${logFile}.`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('"msg":"could not start"');
    expect(log).toMatch(/"stack":"[^"]*ELOOP[^"]*\\n {4}at /);
  }, 30_000);
});
