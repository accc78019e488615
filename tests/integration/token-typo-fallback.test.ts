import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { coreStart } from '../../src/main/core/startup/announce-start';
import { fileTokenVault } from '../../src/main/core/token-vault';
import { waitFor } from '../helpers/wait';
import Database from 'better-sqlite3';
import { PoolManager } from '../../src/main/core/pool/manager';

// readme24 R10: a mistyped GYM_BACKEND_TOKEN on a PC that worked was saved over the working token before the backend
// checked it: the desk went offline, and the token that worked was gone.
const RIGHT = 'right-token-1234';
let cluster: Cluster;
const cores: Core[] = [];

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: RIGHT });
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await cluster.close();
});

/** Starts the console on `dir` as the host does, with GYM_BACKEND_TOKEN set to `envToken` (or flags to a first start). */
async function start(dir: string, opts: { backend?: string; backendToken?: string; envToken?: string }): Promise<Core> {
  const start = resolveStart({ flags: { backend: opts.backend, backendToken: opts.backendToken }, env: opts.envToken ? { GYM_BACKEND_TOKEN: opts.envToken } : {}, dataDir: dir, vault: fileTokenVault(dir) });
  if (!start.ok) throw new Error(start.problems.join(' '));
  const core = await startCore({ version: 't', dataDir: dir, ...coreStart(start.plan), tokenVault: fileTokenVault(dir) });
  cores.push(core);
  return core;
}

const connected = (core: Core) => waitFor(() => core.stream.current('connection').state === 'connected' || null, 15_000);

describe('a token given at start that the backend refuses, on a PC whose saved token worked', () => {
  it('the one saved before is tried, used and kept, and that is said; nothing goes offline for a typo', async () => {
    const said: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
    const dir = mkdtempSync(join(tmpdir(), 'gym-token-typo-'));
    await connected(await start(dir, { backend: cluster.urls.join(','), backendToken: RIGHT }));
    await cores.pop()!.stop();

    const core = await start(dir, { envToken: 'right-tokne-1234' });
    await connected(core);
    expect(fileTokenVault(dir).load()).toBe(RIGHT);
    // The replacement is in the audit log, as a change made on the screens is (readme25 W12).
    const db = new Database(join(dir, 'console.db'), { readonly: true });
    const rows = db.prepare("SELECT actor, after FROM audit WHERE action = 'backend.configure' ORDER BY id").all() as { actor: string; after: string }[];
    expect(rows.map((r) => r.actor)).toEqual(Array(2).fill('a start with a token given (GYM_BACKEND_TOKEN or --backend-token)'));
    // And its undoing: the saved one put back (review25 V6).
    expect(rows[1]!.after).toContain('the one saved before, put back');
    db.close();
    expect(said.join('')).toContain('the backend refused the token given at this start, and took the one saved before it: the console uses that one, and keeps it saved.');
  }, 30_000);

  it('refused too (the backend\'s token was changed): the token given stays, as the refusal says', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const dir = mkdtempSync(join(tmpdir(), 'gym-token-typo-'));
    const other = await startCluster({ instances: 1, port: 0, token: 'the-new-one' });
    try {
      // Saved: a token this backend never took (rotated there since).
      await start(dir, { backend: other.urls.join(','), backendToken: 'the-old-one' });
      await waitFor(() => core0Refused(cores[0]!) || null, 15_000);
      await cores.pop()!.stop();
      // The saved one tried, refused too, and the token given set back: the fallback's end, waited for, not slept past.
      const set: string[] = [];
      const setToken = PoolManager.prototype.setToken;
      vi.spyOn(PoolManager.prototype, 'setToken').mockImplementation(function (this: PoolManager, t) {
        set.push(t);
        return setToken.call(this, t);
      });
      const core = await start(dir, { envToken: 'the-new-onee' });
      await waitFor(() => (set.join() === 'the-old-one,the-new-onee' && core0Refused(core)) || null, 15_000);
      expect(core.pools.token).toBe('the-new-onee');
      expect(fileTokenVault(dir).load()).toBe('the-new-onee');
    } finally {
      for (const c of cores.splice(0)) await c.stop();
      await other.close();
    }
  }, 30_000);
});

const core0Refused = (core: Core): boolean => core.stream.current('connection').cause?.kind === 'unauthorized';
