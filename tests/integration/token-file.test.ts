import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { fileTokenVault, tokenFileOpenWords } from '../../src/main/core/token-vault';
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
    expect(row?.needsFix).toBe('this PC has no backend token it can use: a manager must enter one under Backend connection');
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

// Like ssh with a private key others can read: a token file other users of this PC can read (0644 after a copy, an
// unpacked backup) was used without a word. It is still used (a working gym keeps working), and said, with the chmod.
describe('a backend-token file other users of this PC can read', () => {
  it.skipIf(process.platform === 'win32')('is used, and said once at start, on Health and on the Backend card with the chmod that mends it, until it is mended', async () => {
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
    let site: Awaited<ReturnType<typeof liveSiteWith>>;
    try {
      site = await liveSiteWith((f) => chmodSync(f, 0o644));
    } finally {
      spy.mockRestore();
    }
    const words = `The backend token file ${site.file} can be read by other users of this PC (mode 0644), so anyone who can sign in here could copy the gym's backend token. The console keeps using it. To fix it, run: chmod 600 ${site.file}`;
    expect(said.filter((l) => l.includes('can be read by other users'))).toEqual([`console: the${words.slice(3)}\n`]);
    // Still the token it connects with.
    expect(site.plan.token).toBe(RIGHT);
    await waitFor(() => site.core.stream.current('connection').state === 'connected', 10_000);
    const check = await waitFor(() => site.core.stream.current('health').checks.find((c) => c.kind === 'backend' && c.reason.includes(words)), 10_000);
    expect(check?.status).toBe('ok'); // said, not a status: see checks.ts backend()
    const s = await site.call('backend.settings');
    expect(s.ok && (s.value as BackendSettings)).toMatchObject({ tokenSaved: true, tokenOpenToOthers: words, tokenWhere: site.file });
    // IT runs the chmod: Health is back to normal within its 10 s look, and the card says nothing more.
    chmodSync(site.file, 0o600);
    const mended = await waitFor(() => site.core.stream.current('health').checks.find((c) => c.kind === 'backend' && !c.reason.includes('can be read by other users')), 20_000);
    expect(mended?.reason).not.toContain('can be read by other users');
    const after = await site.call('backend.settings');
    expect(after.ok && (after.value as BackendSettings)).toMatchObject({ tokenOpenToOthers: null, tokenWhere: `${site.file} (mode 0600: readable only by this user)` });
  }, 45_000);

  it('is judged by its mode: group or others may read it; only the owner, or a Windows PC, says nothing', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gym-token-mode-')), 'backend-token');
    writeFileSync(file, 'a-token\n');
    for (const [mode, open] of [[0o600, false], [0o400, false], [0o620, false], [0o640, true], [0o604, true], [0o644, true], [0o666, true]] as const) {
      chmodSync(file, mode);
      expect(tokenFileOpenWords(file, 'linux') !== null, mode.toString(8)).toBe(open);
      expect(tokenFileOpenWords(file, 'win32')).toBeNull();
    }
    expect(tokenFileOpenWords(join(tmpdir(), 'no-such-token-file'), 'linux')).toBeNull();
  });
});
