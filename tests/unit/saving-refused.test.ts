import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolManager } from '../../src/main/core/pool/manager';
import { filePoolStore } from '../../src/main/core/pool/pools-file';
import { backendHandlers } from '../../src/main/core/pool/backend-handlers';
import { fileTokenVault } from '../../src/main/core/token-vault';
import { Session } from '../../src/main/core/auth/session';
import { systemClock } from '../../src/main/core/clock';
import type { PoolConfig } from '../../src/shared/pools';

// A full disk, injected: writes to files whose path matches `full` fail as ENOSPC does (no root, no tmpfs).
const disk = vi.hoisted(() => ({ full: null as null | ((path: string) => boolean), fds: new Set<number>() }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const openSync = ((path: string, ...rest: unknown[]) => {
    const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
    if (disk.full?.(String(path))) disk.fds.add(fd);
    return fd;
  }) as typeof fs.openSync;
  const writeSync = ((fd: number, ...rest: unknown[]) => {
    if (disk.fds.has(fd)) throw enospc();
    return (fs.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  const closeSync = (fd: number) => {
    disk.fds.delete(fd);
    fs.closeSync(fd);
  };
  return { ...fs, default: { ...fs, openSync, writeSync, closeSync }, openSync, writeSync, closeSync };
});

const pool = (name: string, port: number): PoolConfig => ({ name, endpoints: [`ws://127.0.0.1:${port}`], maxConnections: 1, healthCheckInterval: 1000, reconnectAttempts: 3, strategy: 'round-robin' });
const managers: PoolManager[] = [];
afterEach(() => {
  disk.full = null;
  for (const m of managers.splice(0)) m.stop();
});

function site() {
  const dir = mkdtempSync(join(tmpdir(), 'gym-saving-'));
  const mgr = new PoolManager({ token: 'old-token', store: filePoolStore(dir), defaults: [] });
  managers.push(mgr);
  filePoolStore(dir).save([pool('gym', 1), pool('second', 2)]);
  mgr.start();
  const saved = () => readFileSync(join(dir, 'pools.json'), 'utf8');
  return { dir, mgr, saved, names: () => mgr.list().map((p) => p.config.name) };
}

describe('a pool change pools.json cannot keep is refused whole', () => {
  it('create, configure and destroy on a full disk: refused naming the file and why, nothing runs differently, the file is as it was', () => {
    const s = site();
    const before = s.saved();
    disk.full = (p) => p.endsWith('pools.json.tmp');
    const words = `pools.json could not be saved in ${s.dir}: this PC's disk is full. Nothing was changed.`;
    expect(() => s.mgr.create(pool('third', 3))).toThrow(words);
    expect(() => s.mgr.configure('gym', { strategy: 'least-connections' })).toThrow(words);
    expect(() => s.mgr.destroy('second')).toThrow(words);
    expect(s.names()).toEqual(['gym', 'second']);
    expect(s.mgr.list()[0]!.config.strategy).toBe('round-robin');
    expect(s.saved()).toBe(before);
    expect(readdirSync(s.dir)).toEqual(['pools.json']); // no temp file left behind
    // Room again: the same changes go through, and are what a restart finds.
    disk.full = null;
    s.mgr.create(pool('third', 3));
    s.mgr.destroy('second');
    expect(JSON.parse(s.saved()).pools.map((p: PoolConfig) => p.name)).toEqual(['gym', 'third']);
  });
});

describe('the backend token on a full disk', () => {
  const manager = { transport: 'test' as const, session: new Session('manager') };
  function backend() {
    const s = site();
    const vault = fileTokenVault(s.dir);
    vault.save('old-token');
    const h = backendHandlers({ pools: s.mgr, demo: false, tokenVault: vault, clock: systemClock, audit: () => {} });
    return { ...s, vault, file: join(s.dir, 'backend-token'), configure: (change: object) => h['backend.configure'](change as never, manager) };
  }

  it('a token that cannot be written leaves the old one in the file and in every pool, and says so', () => {
    const b = backend();
    disk.full = (p) => p.endsWith('backend-token.tmp');
    expect(() => b.configure({ token: 'new-token' })).toThrow(`The token was not saved, and nothing was changed: ${b.file} could not be saved: this PC's disk is full.`);
    expect(readFileSync(b.file, 'utf8')).toBe('old-token\n');
    expect(b.mgr.token).toBe('old-token');
  });

  it('the token and the addresses change together: addresses that cannot be saved put the old token back', () => {
    const b = backend();
    disk.full = (p) => p.endsWith('pools.json.tmp');
    expect(() => b.configure({ token: 'new-token', endpoints: ['ws://127.0.0.1:9'] })).toThrow(/pools\.json could not be saved .*disk is full\. Nothing was changed\./);
    expect(readFileSync(b.file, 'utf8')).toBe('old-token\n');
    expect(b.mgr.token).toBe('old-token');
    expect(b.mgr.main!.config.endpoints).toEqual(['ws://127.0.0.1:1']);
  });

  it('with room, both are saved and applied; the file stays readable only by this user', () => {
    const b = backend();
    b.configure({ token: 'new-token', endpoints: ['ws://127.0.0.1:9'] });
    expect(readFileSync(b.file, 'utf8')).toBe('new-token\n');
    expect(statSync(b.file).mode & 0o777).toBe(0o600);
    expect(b.mgr.token).toBe('new-token');
    expect(existsSync(`${b.file}.tmp`)).toBe(false);
  });

  it('a folder where the token file goes is still named, not written through', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-saving-'));
    mkdirSync(join(dir, 'backend-token'));
    expect(() => fileTokenVault(dir).save('t')).toThrow(`${join(dir, 'backend-token')} is a folder, not the backend token file`);
  });
});
