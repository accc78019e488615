import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { keptWebToken, WEB_TOKEN_FILE } from '../../src/main/web/web-token';
import { killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost, type Started } from '../helpers/built-host';
import { freePort } from '../helpers/free-port';

// The token in the browser form's address is kept per data dir, so a screen left open across a
// restart (same data dir, same port: kept by --port N) reconnects with the address it has.

const dir = () => mkdtempSync(join(tmpdir(), 'gym-web-token-'));
const SHAPE = /^[A-Za-z0-9_-]{32}$/;

describe('the kept web token', () => {
  it('is made once, mode 0600, and the same on every later start', () => {
    const d = dir();
    const first = keptWebToken(d);
    const file = join(d, WEB_TOKEN_FILE);
    expect(first.token).toMatch(SHAPE);
    expect(first.warn).toBe(false);
    expect(first.note).toContain(`kept in ${file} (mode 0600)`);
    // Only as true as the port is kept: a free port on each start moves the address whatever the token.
    expect(first.note).toContain('but the port is picked afresh on each start, so the printed address changes with every restart: start once with --port N to keep it');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${first.token}\n`);
    const again = keptWebToken(d);
    expect(again).toEqual({ token: first.token, note: null, warn: false });
    expect(readdirSync(d).sort()).toEqual([WEB_TOKEN_FILE]); // no temp file left behind
  });

  it('with the port kept too, says the address keeps working after a restart', () => {
    const d = dir();
    expect(keptWebToken(d, { portKept: true }).note).toBe(`the address's token is kept in ${join(d, WEB_TOKEN_FILE)} (mode 0600), and with the port kept in ${join(d, 'web-port.json')}, the printed address keeps working after a restart; delete ${join(d, WEB_TOKEN_FILE)} for a new token.`);
  });

  it.each([
    ['random binary', (f: string) => writeFileSync(f, randomBytes(32), { mode: 0o600 }), 'it does not hold a token the console wrote'],
    ['an empty file', (f: string) => writeFileSync(f, '', { mode: 0o600 }), 'it does not hold a token the console wrote'],
    ['a token cut short', (f: string) => writeFileSync(f, 'abc123', { mode: 0o600 }), 'it does not hold a token the console wrote'],
    ['a file far larger than a token', (f: string) => writeFileSync(f, Buffer.alloc(8 * 1024 * 1024, 'x'), { mode: 0o600 }), 'it is larger than 1 KB, far more than it should hold'],
    ['a named pipe (never waited on)', (f: string) => execFileSync('mkfifo', ['-m', '600', f]), 'it is not a file'],
    ['a token other users could read', (f: string) => (writeFileSync(f, `${'a'.repeat(32)}\n`), chmodSync(f, 0o644)), 'other users of this PC could read it'],
  ])('%s: replaced by a fresh token, saved 0600, and said', (_, spoil, why) => {
    const d = dir();
    const file = join(d, WEB_TOKEN_FILE);
    spoil(file);
    const before = existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8').trim() : null;
    const kept = keptWebToken(d);
    expect(kept.warn).toBe(true);
    expect(kept.note).toBe(`${file} could not be used (${why}); a new token replaces it: open the address printed below on every screen (its port changes with each restart unless one is kept with --port N).`);
    expect(keptWebToken(d, { portKept: true })).toEqual({ token: kept.token, note: null, warn: false });
    expect(kept.token).toMatch(SHAPE);
    expect(kept.token).not.toBe(before);
    expect(statSync(file).isFile()).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${kept.token}\n`);
    expect(keptWebToken(d)).toEqual({ token: kept.token, note: null, warn: false });
  });

  it('where Windows keeps no such mode bits, the kept token is used as it is', () => {
    const d = dir();
    writeFileSync(join(d, WEB_TOKEN_FILE), `${'b'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(join(d, WEB_TOKEN_FILE), 0o644);
    expect(keptWebToken(d, { platform: 'win32' })).toEqual({ token: 'b'.repeat(32), note: null, warn: false });
  });

  it('a folder in its place: the console still starts, with a token for this run only, and says so', () => {
    const d = dir();
    mkdirSync(join(d, WEB_TOKEN_FILE, 'inside'), { recursive: true });
    const kept = keptWebToken(d);
    expect(kept.token).toMatch(SHAPE);
    expect(kept.warn).toBe(true);
    expect(kept.note).toContain(`${join(d, WEB_TOKEN_FILE)} could not be used (it is not a file), and the address's token could not be saved`);
    expect(kept.note).toContain('works only until the console stops');
    expect(keptWebToken(d).token).not.toBe(kept.token);
  });
});

describe('the built host started again on the same data dir and port', () => {
  beforeAll(requireBuild);
  afterAll(killBuiltHosts);

  const started = async (args: string[]): Promise<Started> => {
    const h = await startBuiltHost(args);
    if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
    return h;
  };
  const opens = (url: string, token: string): Promise<number> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://${new URL(url).host}/bridge?token=${token}`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => (ws.close(), resolve(101)));
      ws.on('error', () => {});
    });

  it('prints the same address, which opens the bridge; any other token is still refused', async () => {
    const d = dir();
    const args = ['--review-only', '--data-dir', d, '--port', String(await freePort())];
    const first = await started(args);
    const token = new URLSearchParams(new URL(first.url).hash.slice(1)).get('token')!;
    await stopBuiltHost(first.child);

    const again = await started(args);
    expect(again.url).toBe(first.url);
    expect(first.stderr()).toContain(`the address's token is kept in ${join(d, WEB_TOKEN_FILE)} (mode 0600)`);
    expect(again.stderr()).not.toContain("the address's token");
    expect(await opens(again.url, token)).toBe(101);
    expect(await opens(again.url, 'x'.repeat(32))).toBe(401);
    expect(await opens(again.url, '')).toBe(401);
    await stopBuiltHost(again.child);
    // Never written to the log, like the backend token.
    expect(readFileSync(join(d, 'logs', 'console.log'), 'utf8')).not.toContain(token);
  });
});
