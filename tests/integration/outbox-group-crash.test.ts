import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { CONSOLE_DB } from '../../src/main/core/store/open-console-db';

const TOKEN = 'group-crash-test';
let cluster: Cluster;
afterAll(() => cluster?.close());

function run(args: string[]) {
  const p = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.once('exit', (code, signal) => r({ code, signal })));
  return { exit, out: () => out, err: () => err };
}

describe('crash safety of a group commit (SIGKILL inside the transaction)', () => {
  it('loses none of the groups committed before it and sends none of the group it interrupted; all arrive exactly once', async () => {
    cluster = await startCluster({ instances: 3, port: 0, token: TOKEN });
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-group-crash-'));
    // Groups of 500: the process dies while inserting seq 1,750, the middle of the fourth group.
    const SIZE = 500;
    const DIE_AT = 1_750;
    const first = run(['tests/helpers/outbox-burst-child.ts', dataDir, cluster.urls.join(','), TOKEN, '8', String(SIZE), String(DIE_AT)]);
    const ended = await first.exit;
    expect(ended.signal, first.err()).toBe('SIGKILL');
    const accepted = new Set(first.out().match(/^accepted (\d+)$/gm)!.map((l) => Number(l.split(' ')[1])));
    const interrupted = Array.from({ length: SIZE }, (_, i) => i + Math.floor((DIE_AT - 1) / SIZE) * SIZE);

    // What the file holds now: the groups committed before the kill, none of the interrupted one.
    const file = new Database(join(dataDir, CONSOLE_DB), { readonly: true });
    const rows = (file.prepare('SELECT body FROM outbox').all() as { body: string }[]).map((r) => Number((JSON.parse(r.body) as { data: string }).data));
    file.close();
    expect(rows.filter((d) => interrupted.includes(d))).toEqual([]);
    expect(accepted.size).toBeGreaterThan(0);
    for (const d of interrupted) expect(accepted.has(d)).toBe(false);

    const second = run(['tests/helpers/outbox-child.ts', dataDir, cluster.urls.join(','), TOKEN, 'drain']);
    expect((await second.exit).code, second.err()).toBe(0);

    const seen = cluster.gym.actions.map((a) => Number(a.data));
    const committedBefore = Math.floor((DIE_AT - 1) / SIZE) * SIZE;
    // Everything committed before the kill arrived, once each, in order; nothing of the interrupted group or after it.
    expect(seen).toEqual(Array.from({ length: committedBefore }, (_, i) => i));
    for (const d of accepted) expect(d).toBeLessThan(committedBefore);
    expect([...cluster.gym.applied.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
