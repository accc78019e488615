import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { POOL_LIMITS, PoolConfigSchema, type PoolConfig, type PoolsLeftOut } from '../../../shared/pools';
import { joinProblems, parseInWords } from '../../../shared/field-errors';
import { readSmallFile, SmallFileError, smallFileWords } from '../small-file';
import { replaceFile, writeFailureWords } from '../disk-words';

export interface PoolStore {
  /** Saved pools, or null when there are none yet; `leftOut`: those past POOL_LIMITS, not among `pools`. */
  load(): { pools: PoolConfig[] | null; warning: string | null; leftOut?: PoolsLeftOut };
  /** Throws, in words naming the file and why, when they could not be kept; what was saved before stays. */
  save(pools: PoolConfig[]): void;
}

const FileSchema = z.object({ version: z.literal(1), pools: z.array(PoolConfigSchema).min(1) });

/**
 * Pools saved past POOL_LIMITS (by hand, or an older console): thousands of sockets starved the console so a stop
 * could not end it. It runs, in file order, the pools that fit whole, and names the rest; the file stays as it is.
 */
export function withinLimits(pools: PoolConfig[]): { pools: PoolConfig[]; warning: string | null; leftOut?: PoolsLeftOut } {
  const kept: PoolConfig[] = [];
  const left: PoolConfig[] = [];
  let sockets = 0;
  for (const p of pools) {
    if (kept.length < POOL_LIMITS.pools && sockets + p.maxConnections <= POOL_LIMITS.sockets) {
      kept.push(p);
      sockets += p.maxConnections;
    } else left.push(p);
  }
  if (left.length === 0) return { pools, warning: null };
  const all = pools.reduce((n, p) => n + p.maxConnections, 0);
  const shown = left.slice(0, 5).map((p) => `"${p.name}"`).join(', ') + (left.length > 5 ? ` and ${left.length - 5} more` : '');
  return {
    pools: kept,
    leftOut: { count: left.length, names: left.slice(0, 5).map((p) => p.name), inFile: pools.length, running: kept.length },
    warning:
      `pools.json holds ${pools.length} pools with ${all} sockets, more than the ${POOL_LIMITS.pools} pools and ${POOL_LIMITS.sockets} sockets the console can run at once. ` +
      `It runs the first ${kept.length === 1 ? 'pool' : `${kept.length} pools`} that fit (${sockets} sockets) and leaves out ${left.length === 1 ? 'pool' : `${left.length} pools`}: ${shown}. ` +
      'pools.json is left as it is until a pool is next changed on the Connection Pools tab, which saves only the pools running. ' +
      'To run other pools, remove some from pools.json or lower their maxConnections, then start the console again.',
  };
}

/** A setting a newer console wrote is left out rather than costing the whole file. */
function withoutUnknownSettings(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { pools?: unknown }).pools)) return raw;
  const known = new Set(Object.keys(PoolConfigSchema.shape));
  const pools = (raw as { pools: unknown[] }).pools.map((p) => (typeof p === 'object' && p !== null && !Array.isArray(p) ? Object.fromEntries(Object.entries(p).filter(([k]) => known.has(k))) : p));
  return { ...raw, pools };
}

/** 16 pools' settings take a few KB: anything near this is not a pools file. */
const POOLS_FILE_MAX_BYTES = 256 * 1024;

/** pools.json in the data dir, written atomically (temp file, then rename) so a crash never leaves half a file. */
export function filePoolStore(dataDir: string): PoolStore {
  const file = join(dataDir, 'pools.json');
  return {
    load() {
      let why: string;
      try {
        const text = readSmallFile(file, POOLS_FILE_MAX_BYTES).toString('utf8');
        const parsed = parseInWords(FileSchema, withoutUnknownSettings(JSON.parse(text)));
        if (parsed.success) return withinLimits(parsed.data.pools);
        why = joinProblems(parsed.problems);
      } catch (e) {
        if (e instanceof SmallFileError && e.problem === 'missing') return { pools: null, warning: null };
        why = e instanceof SmallFileError ? smallFileWords(e, POOLS_FILE_MAX_BYTES) : e instanceof SyntaxError ? 'it is not complete JSON' : e instanceof Error ? e.message : String(e);
      }
      // Never over an earlier one set aside in the same millisecond.
      let aside = `${file}.unreadable-${Date.now()}`;
      for (let n = 2; existsSync(aside); n++) aside = `${file}.unreadable-${Date.now()}-${n}`;
      try {
        renameSync(file, aside);
      } catch {
        return { pools: null, warning: `pools.json could not be used (${why}), nor set aside: remove ${file} or fix it, then start the console again.` };
      }
      // What the console does without it (the demo's pool, or a live site offline) is said where that is decided.
      return { pools: null, warning: `pools.json could not be used (${why}); it was set aside as ${aside}.` };
    },
    save(pools) {
      try {
        replaceFile(file, `${JSON.stringify({ version: 1, pools }, null, 2)}\n`);
      } catch (e) {
        throw new Error(`pools.json could not be saved in ${dataDir}: ${writeFailureWords(e)}`, { cause: e });
      }
    },
  };
}

/** The demo gym's ports change every run, so its pools live only in memory. */
export function memoryPoolStore(): PoolStore {
  let saved: PoolConfig[] | null = null;
  return { load: () => ({ pools: saved, warning: null }), save: (p) => void (saved = p) };
}
