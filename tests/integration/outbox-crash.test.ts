import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';

const TOKEN = 'crash-test';
let cluster: Cluster;
afterAll(() => cluster?.close());

function child(dataDir: string, mode: 'send' | 'drain', count = 0) {
  const p = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/outbox-child.ts', dataDir, cluster.urls.join(','), TOKEN, mode, String(count)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  return { p, out: () => out, err: () => err };
}

describe('crash safety of the outbox (a real process, killed with SIGKILL)', () => {
  it('every check-in accepted before kill -9 reaches the backend exactly once after a restart', async () => {
    cluster = await startCluster({ instances: 3, port: 0, token: TOKEN });
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-crash-'));
    const first = child(dataDir, 'send', 100_000);
    // Kill it in the middle of the stream, once it has accepted a good number.
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child never got going: ${first.err()}`)), 20_000);
      const check = setInterval(() => {
        if ((first.out().match(/^accepted /gm)?.length ?? 0) >= 1_500) {
          clearInterval(check);
          clearTimeout(t);
          first.p.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => first.p.once('exit', r));
    const accepted = first.out().match(/^accepted (\S+)$/gm)!.map((l) => l.split(' ')[1]!);
    expect(accepted.length).toBeGreaterThanOrEqual(1_500);

    const second = child(dataDir, 'drain');
    const code = await new Promise<number | null>((r) => second.p.once('exit', r));
    expect(code, second.err()).toBe(0);
    expect(second.out()).toContain('drained');

    const applied = cluster.gym.applied;
    const missing = accepted.filter((k) => applied.get(k) !== 1);
    expect(missing, `${missing.length} accepted check-ins did not arrive exactly once`).toEqual([]);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    console.log(`crash test: ${accepted.length} accepted before SIGKILL, ${applied.size} applied, all exactly once`);
  }, 60_000);
});
