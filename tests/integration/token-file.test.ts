import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { coreStart } from '../../src/main/core/startup/announce-start';
import { fileTokenVault } from '../../src/main/core/token-vault';
import type { BackendSettings } from '../../src/shared/backend';
import { waitFor } from '../helpers/wait';

// What is in the backend-token file is not trusted to be a token: binary there is no token (said as such,
// never sent, so the backend is not blamed), and a folder there is named, not "Something went wrong".
const RIGHT = 'right-token';
let cluster: Cluster;
const cores: Core[] = [];
const manager = { transport: 'test' as const, session: new Session('manager') };

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: RIGHT });
});
afterAll(async () => {
  for (const c of cores) await c.stop();
  await cluster.close();
});

/** A live site's data folder, then its backend-token replaced by `spoil`, started as the host starts it. */
async function liveSiteWith(spoil: (file: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'gym-token-file-'));
  const vault = fileTokenVault(dir);
  const first = resolveStart({ flags: { backend: cluster.urls.join(','), backendToken: RIGHT }, env: {}, dataDir: dir, vault });
  if (!first.ok) throw new Error(first.problems.join(' '));
  const file = join(dir, 'backend-token');
  spoil(file);
  const again = resolveStart({ flags: {}, env: {}, dataDir: dir, vault });
  if (!again.ok || again.plan.mode !== 'live') throw new Error('expected a live start');
  const core = await startCore({ version: 't', dataDir: dir, ...coreStart(again.plan), tokenVault: vault });
  cores.push(core);
  const call = async (name: string, payload?: unknown) => dispatch(core.handlers, name, payload, manager);
  return { file, plan: again.plan, core, call };
}

describe('a backend-token file that holds no token', () => {
  it.each([
    ['random binary', (f: string) => writeFileSync(f, randomBytes(300)), 'it is not one word of printable text'],
    ['text longer than a token can be', (f: string) => writeFileSync(f, 'x'.repeat(300)), 'it is longer than the 256 characters a token can have'],
    // Read to a cap: a 64 MB file is not read whole on the event loop.
    ['a file far larger than any token', (f: string) => writeFileSync(f, Buffer.alloc(64 * 1024 * 1024, 'x')), 'it is larger than 4 KB, far more than it should hold'],
  ])('%s: starts offline saying why, with no token sent, and the screen says no usable token', async (_, spoil, why) => {
    const site = await liveSiteWith(spoil);
    expect(site.plan.token).toBeNull();
    expect(site.plan.warnings.join('\n')).toContain(`the saved backend token could not be read (${site.file} does not hold a backend token: ${why}). The console starts OFFLINE`);
    const cause = await waitFor(() => site.core.stream.current('connection').cause, 10_000);
    // The Backend card and Health name the file that is there, as the alert does (probe-hostile21 J6), never "none is saved".
    const unreadable = `The backend token saved on this PC could not be read (${site.file} does not hold a backend token: ${why}), so the backend cannot let the console in.`;
    expect(cause).toMatchObject({ kind: 'no-token', text: unreadable });
    const checks = await waitFor(() => {
      const c = site.core.stream.current('health').checks.filter((x) => x.kind === 'backend' || x.kind === 'pool');
      return c.length >= 2 && c.every((x) => x.reason?.includes(unreadable)) ? c : null;
    }, 10_000);
    for (const c of checks!) expect(c.reason).not.toContain('No backend token is saved');
    // The address's own row on the card and the Connection Pools tab: true of a file that cannot be read too.
    const row = site.core.stream.current('connection').endpoints.find((e) => e.needsFix);
    expect(row?.needsFix).toBe('this PC has no backend token it can use: IT must set one');
    const s = await site.call('backend.settings');
    expect(s).toMatchObject({ ok: true, value: { tokenSaved: false, tokenProblem: `${site.file} does not hold a backend token: ${why}` } });
  }, 30_000);

  it('a folder in its place: the settings name it, and saving a token says why it was not saved and changes nothing', async () => {
    const site = await liveSiteWith((f) => {
      rmSync(f);
      mkdirSync(f);
    });
    const folder = `${site.file} is a folder, not the backend token file: remove it (the console saves the token there when one is entered)`;
    expect(site.plan.warnings.join('\n')).toContain(`the saved backend token could not be read (${folder})`);
    const s = await site.call('backend.settings');
    expect(s.ok && (s.value as BackendSettings)).toMatchObject({ tokenSaved: false, tokenProblem: folder });
    const r = await site.call('backend.configure', { endpoints: [cluster.urls[0]], token: RIGHT });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'token-not-saved', message: `The token was not saved, and nothing was changed: ${folder}.` }) });
    expect(site.core.pools.main!.config.endpoints).toEqual(cluster.urls);
  }, 30_000);

  it('a named pipe in its place: the start does not wait for a writer, and saving does not block', async () => {
    const site = await liveSiteWith((f) => {
      rmSync(f);
      execFileSync('mkfifo', [f]);
    });
    const pipe = `${site.file} is not a plain file, not the backend token file: remove it (the console saves the token there when one is entered)`;
    expect(site.plan.warnings.join('\n')).toContain(`the saved backend token could not be read (${pipe})`);
    const r = await site.call('backend.configure', { endpoints: [cluster.urls[0]], token: RIGHT });
    expect(r).toMatchObject({ ok: false, error: { code: 'token-not-saved', message: `The token was not saved, and nothing was changed: ${pipe}.` } });
  }, 30_000);
});
