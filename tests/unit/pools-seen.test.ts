import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { memoryPoolStore, type PoolStore } from '../../src/main/core/pool/pools-file';
import { seenPoolStore, type PoolsChange } from '../../src/main/core/pool/pools-seen';
import { defaultPool } from '../../src/shared/pools';

const gym = defaultPool(['ws://127.0.0.1:9100']);

describe('pools.json as the console last saw it', () => {
  // review24 V1: the copy in console.db written after pools.json, its failure answered "Nothing was changed".
  it('a console.db that refuses its copy neither refuses the change nor stops a start', () => {
    const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-pools-seen-')));
    const file = memoryPoolStore();
    const told: PoolsChange[] = [];
    const store = seenPoolStore(file, () => db, (c) => told.push(c));
    db.exec('DROP TABLE settings'); // every write of the copy fails
    expect(() => store.save([gym])).not.toThrow();
    expect(file.load().pools).toEqual([gym]);
    expect(() => store.load()).not.toThrow();
    expect(told).toEqual([]);
    db.close();
  });

  it('a pools.json that cannot be saved leaves the copy as it was: nothing is audited as changed outside', () => {
    const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-pools-seen-')));
    const saved = memoryPoolStore();
    let refuse = false;
    const file: PoolStore = { load: () => saved.load(), save: (p) => (refuse ? (() => { throw new Error('pools.json could not be saved') })() : saved.save(p)) };
    const told: PoolsChange[] = [];
    const store = seenPoolStore(file, () => db, (c) => told.push(c));
    store.save([gym]);
    refuse = true;
    expect(() => store.save([{ ...gym, maxConnections: 7 }])).toThrow('pools.json could not be saved');
    store.load();
    expect(told).toEqual([]);
    db.close();
  });
});
