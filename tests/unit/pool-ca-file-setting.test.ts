import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { PoolPatchSchema, type PoolConfig } from '../../src/shared/pools';
import { UserError } from '../../src/shared/result';

// A real certificate: a file with only the markers is refused (see ca-file.test.ts).
const PEM = readFileSync(join(import.meta.dirname, '../fixtures/tls/gym-test-ca.pem'), 'utf8');
// Port 1: nothing answers, so the sockets fail quietly while the settings are changed.
const gym: PoolConfig = { name: 'gym', endpoints: ['wss://127.0.0.1:1'], maxConnections: 1, healthCheckInterval: 1_000, reconnectAttempts: 5, strategy: 'round-robin' };
let dir = '';
let manager: PoolManager | null = null;
afterEach(() => {
  manager?.stop();
  manager = null;
  rmSync(dir, { recursive: true, force: true });
});

const started = () => {
  dir = mkdtempSync(join(tmpdir(), 'gym-ca-setting-'));
  const store = memoryPoolStore();
  manager = new PoolManager({ token: 't', store, defaults: [gym] });
  manager.start();
  return { manager, store };
};

const refusal = (f: () => unknown): UserError => {
  try {
    f();
  } catch (e) {
    return e as UserError;
  }
  throw new Error('not refused');
};

// The screens' CA file box: a path that cannot be read is refused when saved, said next to that box.
describe("a pool's CA file, set from the screens", () => {
  it('a path that cannot be read is refused, naming the CA file field, and nothing changes', () => {
    const { manager, store } = started();
    const e = refusal(() => manager.configure('gym', { caFile: join(dir, 'nope.pem') }));
    expect(e.code).toBe('bad-ca-file');
    expect(e.extra?.field).toBe('caFile');
    expect(e.message).toMatch(/there is no file there/);
    expect(manager.list()[0]!.config.caFile).toBeUndefined();
    expect(store.load().pools).toBeNull();
  });

  it('a new pool with a CA file that cannot be read is refused at that field, and not created', () => {
    const { manager } = started();
    const e = refusal(() => manager.create({ ...gym, name: 'secure', caFile: join(dir, 'nope.pem') }));
    expect(e.extra?.field).toBe('caFile');
    expect(manager.list().map((p) => p.config.name)).toEqual(['gym']);
  });

  it('a readable PEM is saved; an empty box takes the pool back to the system certificates', () => {
    const { manager, store } = started();
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, PEM);
    expect(manager.configure('gym', { caFile: ca }).config.caFile).toBe(ca);
    expect(store.load().pools![0]!.caFile).toBe(ca);
    // What the screen sends for an emptied box passes the request's own check.
    const patch = PoolPatchSchema.parse({ caFile: '  ' });
    expect(manager.configure('gym', patch).config).not.toHaveProperty('caFile');
    expect(store.load().pools![0]).not.toHaveProperty('caFile');
  });
});
