import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import WebSocket from 'ws';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let child: ChildProcess | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'gym-shutdown-'));

beforeAll(() => {
  if (!existsSync('out/main/web.js')) throw new Error('run "npm run build" first: this test starts the built headless host');
});
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The built host on the demo gym, once it says it is ready: its url (with the token), stderr, and exit statuses. */
async function startHost(dir: string, ...more: string[]) {
  const host = spawn(process.execPath, ['out/main/web.js', '--port', '0', '--data-dir', dir, '--demo', ...more], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = host;
  let err = '';
  host.stderr!.on('data', (d) => (err += d));
  const exits: (number | NodeJS.Signals | null)[] = [];
  const exited = new Promise<void>((resolve) => host.on('exit', (code, signal) => (exits.push(code ?? signal), resolve())));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host not ready in 15 s; stderr: ${err}`)), 15_000);
    host.stdout!.on('data', (d) => {
      out += d;
      const ready = /^console ready: (\S+)/m.exec(out);
      if (!ready) return;
      clearTimeout(timer);
      resolve(new URL(ready[1]!));
    });
  });
  return { host, url, exits, exited, err: () => err };
}

describe('the headless host on SIGTERM', () => {
  it('closes its stores before it exits, once, even when told twice', async () => {
    const { host, exits, exited, err } = await startHost(dataDir);
    const store = join(dataDir, 'demo');
    // While it runs, SQLite keeps write-ahead logs beside the stores; a clean close folds them in and removes them.
    expect(readdirSync(store)).toEqual(expect.arrayContaining(['console.db-wal', 'analytics.db-wal']));
    host.kill('SIGTERM');
    host.kill('SIGTERM');
    await exited;
    expect(exits, `stderr: ${err()}`).toEqual([0]);
    expect(readdirSync(store).filter((f) => f.endsWith('-wal'))).toEqual([]);
    expect(err()).not.toMatch(/could not .* while stopping|longer than/);
  }, 30_000);

  it('mid-export: stops cleanly (status 0) and leaves nothing of the export in the exports folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-shutdown-'));
    try {
      // A busy demo: a 7-day JSON export of its history takes seconds.
      const { host, url, exits, exited, err } = await startHost(dir, '--demo-rate', '20000');
      const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
      const ws = new WebSocket(`ws://${url.host}/bridge?token=${token}`, { headers: { origin: url.origin } });
      await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
      const exportsDir = join(dir, 'exports');
      const partial = (): boolean => existsSync(exportsDir) && readdirSync(exportsDir).some((f) => f.endsWith('.partial'));
      // Asked until one is caught being written (the history may still be filling at first).
      for (let id = 1; !partial() && exits.length === 0; id++) {
        ws.send(JSON.stringify({ id, name: 'analytics.export', payload: { range: { last: '7d' }, format: 'json' } }));
        for (let i = 0; i < 200 && !partial(); i++) await new Promise((res) => setTimeout(res, 10));
      }
      host.kill('SIGTERM');
      await exited;
      expect(exits, `stderr: ${err()}`).toEqual([0]);
      // Finished exports (asked before the one caught) stay; the one stopped leaves neither its .partial nor its empty name.
      expect(readdirSync(exportsDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
      expect(readdirSync(exportsDir).filter((f) => statSync(join(exportsDir, f)).size === 0)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
