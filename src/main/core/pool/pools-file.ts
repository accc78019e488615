import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PoolConfigSchema, type PoolConfig } from '../../../shared/pools';

export interface PoolStore {
  /** Saved pools, or null when there are none yet. */
  load(): { pools: PoolConfig[] | null; warning: string | null };
  save(pools: PoolConfig[]): void;
}

const FileSchema = z.object({ version: z.literal(1), pools: z.array(PoolConfigSchema).min(1) });

/** pools.json in the data dir, written atomically (temp file, then rename) so a crash never leaves half a file. */
export function filePoolStore(dataDir: string): PoolStore {
  const file = join(dataDir, 'pools.json');
  return {
    load() {
      if (!existsSync(file)) return { pools: null, warning: null };
      try {
        return { pools: FileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).pools, warning: null };
      } catch {
        const aside = `${file}.unreadable-${Date.now()}`;
        renameSync(file, aside);
        return { pools: null, warning: `pools.json could not be read; it was moved to ${aside} and the default pool is in use.` };
      }
    },
    save(pools) {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ version: 1, pools }, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}

/** The demo gym's ports change every run, so its pools live only in memory. */
export function memoryPoolStore(): PoolStore {
  let saved: PoolConfig[] | null = null;
  return { load: () => ({ pools: saved, warning: null }), save: (p) => void (saved = p) };
}
