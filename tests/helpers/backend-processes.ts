import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));

export interface BackendOptions {
  redisUrl: string;
  count: number;
  token: string;
  /** Keys of this gym in Redis: a fresh prefix gives a test a gym of its own. */
  keyPrefix: string;
  capacity?: number;
  retention?: number;
}

interface Proc {
  child: ChildProcess;
  url: string;
  output: string;
}

/**
 * Reference backend instances as real OS processes (`npm run server -- --redis … --instance-id K`),
 * run by node itself (not the tsx wrapper) so a signal reaches the process that holds the sockets.
 */
export interface BackendProcesses {
  urls: string[];
  pid(k: number): number;
  /** SIGKILL: the process dies without closing anything; the kernel resets its sockets. */
  kill(k: number): Promise<void>;
  /** SIGSTOP: a true freeze; TCP stays open and nothing answers. */
  stop(k: number): void;
  cont(k: number): void;
  /**
   * Ends instance k (SIGKILL; SIGTERM for a graceful stop, as a rolling deploy does) and starts it
   * again on its old port, so consoles find it where they left it.
   */
  restart(k: number, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  close(): Promise<void>;
}

/** The reference backend's CLI; `env` adds to this process's environment (GYM_TOKEN: the token, as `npm run server` hands it). */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

async function launch(o: BackendOptions, k: number, port: number): Promise<Proc> {
  const args = ['--redis', o.redisUrl, '--instance-id', String(k), '--port', String(port), '--token', o.token, '--key-prefix', o.keyPrefix];
  if (o.capacity) args.push('--capacity', String(o.capacity));
  if (o.retention) args.push('--retention', String(o.retention));
  const child = spawnCli(args);
  const proc: Proc = { child, url: '', output: '' };
  const listening = new RegExp(`instance ${k} listening (wss?://\\S+)`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${k} did not start in 30 s:\n${proc.output}`)), 30_000);
    const read = (d: Buffer): void => {
      proc.output = (proc.output + d).slice(-4_000);
      const m = listening.exec(proc.output);
      if (m && !proc.url) {
        proc.url = m[1]!;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance ${k} exited (${signal ?? code}) before listening:\n${proc.output}`));
    });
  });
  return proc;
}

const exited = (c: ChildProcess): Promise<void> => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r())));

export async function startBackends(o: BackendOptions): Promise<BackendProcesses> {
  const procs: Proc[] = await Promise.all(Array.from({ length: o.count }, (_, k) => launch(o, k, 0)));
  const ports = procs.map((p) => Number(new URL(p.url).port));
  const get = (k: number): Proc => procs[k]!;
  const kill = async (k: number, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> => {
    get(k).child.kill('SIGCONT');
    get(k).child.kill(signal);
    await exited(get(k).child);
  };
  return {
    urls: procs.map((p) => p.url),
    pid: (k) => get(k).child.pid!,
    kill: (k) => kill(k),
    stop: (k) => void get(k).child.kill('SIGSTOP'),
    cont: (k) => void get(k).child.kill('SIGCONT'),
    async restart(k, signal) {
      await kill(k, signal);
      procs[k] = await launch(o, k, ports[k]!);
    },
    async close() {
      for (const p of procs) {
        p.child.kill('SIGCONT');
        p.child.kill('SIGKILL');
      }
      await Promise.all(procs.map((p) => exited(p.child)));
    },
  };
}
