import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import WebSocket from 'ws';
import type { BridgeFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';

export type Started = { url: string; child: ChildProcess; stderr: () => string };
export type Ended = { code: number | null; stderr: string };

const running: ChildProcess[] = [];

export function requireBuild(): void {
  if (!existsSync('out/main/web.js')) throw new Error('run "npm run build" first: this test starts the built headless host');
}

/** Kills what `startBuiltHost` started that is still running (afterAll). */
export function killBuiltHosts(): void {
  for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
}

/**
 * The built host, started the way IT starts it: its address once ready, or its exit code and stderr; `freePort: false`
 * gives no --port of its own. GYM_BACKEND_TOKEN is empty unless `env` gives it.
 */
export function startBuiltHost(args: string[], opts: { freePort?: boolean; env?: Record<string, string> } = {}): Promise<Started | Ended> {
  // `--port 0` unless told otherwise: a port kept in the data dir would tie tests to each other's ports.
  const port = opts.freePort === false ? [] : ['--port', '0'];
  const child = spawn(process.execPath, ['out/main/web.js', ...port, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GYM_BACKEND_TOKEN: '', ...opts.env } });
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
        resolve({ url: m[1]!, child, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: err });
    });
  });
}

export async function stopBuiltHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exit = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exit;
}

/** One screen's bridge to a started host: several calls over one session. */
export async function hostBridge(pageUrl: string) {
  const u = new URL(pageUrl);
  const ws = new WebSocket(`ws://${u.host}/bridge?token=${new URLSearchParams(u.hash.slice(1)).get('token')}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const replies = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as BridgeFrame;
    if ('id' in f) replies.get(f.id)?.(f.result);
  });
  let id = 0;
  const call = <T>(name: string, payload?: unknown) =>
    new Promise<T>((resolve, reject) => {
      replies.set(++id, (r) => (r.ok ? resolve(r.value as T) : reject(new Error(`${name}: ${r.error.message}`))));
      ws.send(JSON.stringify({ id, name, payload }));
    });
  return { call, close: () => ws.close() };
}
