import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filePoolStore } from '../../src/main/core/pool/pools-file';
import { POOL_LIMITS, type PoolConfig } from '../../src/shared/pools';

// A pools.json edited by hand (or by an older console) past what the screens allow: thousands of sockets
// starved the console so that it started late, grew without bound and a stop signal could not end it.
const pool = (i: number, maxConnections: number): PoolConfig => ({ name: `p${i}`, endpoints: [`ws://127.0.0.1:${2000 + i}`], maxConnections, healthCheckInterval: 250, reconnectAttempts: 5, strategy: 'health-weighted' });

function saved(pools: PoolConfig[]): { dir: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gym-pools-limits-'));
  const text = JSON.stringify({ version: 1, pools });
  writeFileSync(join(dir, 'pools.json'), text);
  return { dir, text };
}

describe('pools.json past the console limits', () => {
  it('runs, in file order, only the pools that fit whole, names those left out, and leaves the file as it is', () => {
    const { dir, text } = saved(Array.from({ length: 300 }, (_, i) => pool(i, 64)));
    const { pools, warning } = filePoolStore(dir).load();
    expect(pools!.map((p) => p.name)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(pools!.reduce((n, p) => n + p.maxConnections, 0)).toBe(POOL_LIMITS.sockets);
    expect(warning).toBe(
      'pools.json holds 300 pools with 19200 sockets, more than the 16 pools and 256 sockets the console can run at once. ' +
        'It runs the first 4 pools that fit (256 sockets) and leaves out 296 pools: "p4", "p5", "p6", "p7", "p8" and 291 more. ' +
        'pools.json is left as it is until a pool is next changed on the Connection Pools tab, which saves only the pools running. ' +
        'To run other pools, remove some from pools.json or lower their maxConnections, then start the console again.',
    );
    expect(readFileSync(join(dir, 'pools.json'), 'utf8')).toBe(text);
  });

  it('too many pools of one socket each: the first 16 run; a smaller pool after a big one still fits', () => {
    const many = saved(Array.from({ length: 20 }, (_, i) => pool(i, 1)));
    const a = filePoolStore(many.dir).load();
    expect(a.pools).toHaveLength(POOL_LIMITS.pools);
    expect(a.warning).toContain('leaves out 4 pools: "p16", "p17", "p18", "p19".');
    const mixed = saved([pool(0, 64), pool(1, 64), pool(2, 64), pool(3, 60), pool(4, 64), pool(5, 4)]);
    const b = filePoolStore(mixed.dir).load();
    expect(b.pools!.map((p) => p.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p5']);
    expect(b.warning).toContain('leaves out pool: "p4".');
  });

  it('within the limits: every pool, and nothing said', () => {
    const { dir } = saved(Array.from({ length: 16 }, (_, i) => pool(i, 16)));
    expect(filePoolStore(dir).load()).toMatchObject({ warning: null, pools: expect.arrayContaining([expect.objectContaining({ name: 'p15' })]) });
  });
});
