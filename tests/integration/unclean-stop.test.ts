import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { coreStart } from '../../src/main/core/startup/announce-start';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { fileTokenVault } from '../../src/main/core/token-vault';

// probe22 K5: after 30 kill -9s in a row Health was all "ok", and nothing anywhere (log, event log, alerts) said the
// console had been stopping without closing. The data folder knew: console-db.json still said console.db was open.
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function start(dir: string): Promise<{ core: Core; crashed: string | null | undefined }> {
  const d = resolveStart({ flags: {}, env: {}, dataDir: dir, vault: fileTokenVault(dir) });
  if (!d.ok) throw new Error(d.problems.join(' '));
  const core = await startCore({ version: 't', dataDir: dir, ...coreStart(d.plan) });
  cores.push(core);
  return { core, crashed: d.plan.mode === 'live' ? d.plan.crashed : undefined };
}
const told = (c: Core) => c.stream.snapshot().feeds.activity.filter((a) => a.type === 'unclean-stop').map((a) => a.detail);

describe('a start after a run that did not stop cleanly', () => {
  it('says so once in the event log, with nothing lost; a clean stop says nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-unclean-'));
    const first = resolveStart({ flags: { backend: 'ws://127.0.0.1:1', backendToken: 'site-token' }, env: {}, dataDir: dir, vault: fileTokenVault(dir) });
    if (!first.ok) throw new Error(first.problems.join(' '));
    const running = await startCore({ version: 't', dataDir: dir, ...coreStart(first.plan) });
    cores.push(running);
    // The folder as a power cut leaves it: copied while the console runs, console.db open and its -wal beside it.
    const cut = mkdtempSync(join(tmpdir(), 'gym-unclean-cut-'));
    cpSync(dir, cut, { recursive: true });
    expect(existsSync(join(cut, 'console.db-wal'))).toBe(true);
    const after = await start(cut);
    // The event list's label says "did not stop cleanly"; its detail goes on from there, not round again.
    expect(after.crashed).toMatch(/^The run that began .+ ended in a crash, a power cut or a forced stop, or this folder is a copy taken while it ran \(a backup put back\)\. Nothing it had saved is lost \(a copy holds only what was saved before it was taken\)/);
    expect(after.crashed).not.toMatch(/did not stop cleanly/);
    expect(told(after.core)).toEqual([after.crashed]);
    // Stopped cleanly this time: the next start says nothing.
    await after.core.stop();
    cores.splice(cores.indexOf(after.core), 1);
    const again = await start(cut);
    expect(again.crashed).toBeNull();
    expect(told(again.core)).toEqual([]);
  });
});
