import { existsSync, readdirSync, renameSync } from 'node:fs';
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

/** What a pools.json holds, for the person who edited it by hand. */
const SHAPE = 'a pools.json holds {"version": 1, "pools": [ … ]}, each pool with its "name" and "endpoints"';

/**
 * Why the parsed pools.json cannot be used, saying which value and what is wanted (a pool by its place and name),
 * or null when it can: "This value is not valid." told IT nothing.
 */
function fileProblem(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `it holds ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)?.slice(0, 20) ?? 'nothing'} where the settings go: ${SHAPE}`;
  const { version, pools } = raw as { version?: unknown; pools?: unknown };
  if (version === undefined) return `"version" is missing: ${SHAPE}`;
  if (version !== 1) return `"version" is ${JSON.stringify(version).slice(0, 20)}, and this console reads only version 1: a newer console may have written it`;
  if (pools === undefined) return `"pools" is missing: ${SHAPE}`;
  if (!Array.isArray(pools)) return `"pools" is not a list of pools: ${SHAPE}`;
  if (pools.length === 0) return '"pools" is an empty list: it needs at least one pool, with the addresses of the gym\'s backend';
  const wrong = pools.flatMap((p, i) => {
    const r = parseInWords(PoolConfigSchema, p);
    if (r.success) return [];
    const name = typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string' ? ` ("${(p as { name: string }).name.slice(0, 40)}")` : '';
    return [`pool ${i + 1}${name}: ${r.problems.map((x) => (x.field ? `"${x.field}": ${x.message}` : x.message)).join(' ')}`];
  });
  return wrong.length ? wrong.join(' ') : null;
}

/** Why the pools.json text cannot be used, or its pools. */
function readPools(text: string): { pools: PoolConfig[] } | { why: string } {
  let raw: unknown;
  try {
    raw = withoutUnknownSettings(JSON.parse(text));
  } catch {
    return { why: 'it is not complete JSON' };
  }
  const parsed = parseInWords(FileSchema, raw);
  if (parsed.success) return { pools: parsed.data.pools };
  return { why: fileProblem(raw) ?? joinProblems(parsed.problems) };
}

const ASIDE = /^pools\.json\.unreadable-(\d{1,15})(?:-(\d{1,6}))?$/;

/**
 * The newest pools.json set aside in `dataDir`, while there is no pools.json: the only record of the gym's addresses,
 * named at every start (not only the one that set it aside) with why it was set aside, read from the file again.
 */
function setAsideNote(dataDir: string, file: string): string | null {
  let newest: { name: string; at: number; n: number } | null = null;
  try {
    for (const name of readdirSync(dataDir)) {
      const m = ASIDE.exec(name);
      if (!m) continue;
      const at = Number(m[1]);
      const n = Number(m[2] ?? 1);
      if (!newest || at > newest.at || (at === newest.at && n > newest.n)) newest = { name, at, n };
    }
  } catch {
    return null; // a folder that cannot be listed: said where its files are written
  }
  if (!newest) return null;
  const aside = join(dataDir, newest.name);
  let why: string | null;
  try {
    const r = readPools(readSmallFile(aside, POOLS_FILE_MAX_BYTES).toString('utf8'));
    why = 'why' in r ? r.why : null;
  } catch (e) {
    why = e instanceof SmallFileError ? smallFileWords(e, POOLS_FILE_MAX_BYTES) : null;
  }
  const when = new Date(newest.at).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `${file} is missing: it was set aside as ${aside} on ${when} UTC${why ? ` because it could not be used (${why})` : ' (it reads correctly now)'}, and that file holds the gym's backend addresses. ` +
    `To use them again, ${why ? 'fix that file and ' : ''}rename it back to pools.json, then start the console again.`
  );
}

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
        const read = readPools(readSmallFile(file, POOLS_FILE_MAX_BYTES).toString('utf8'));
        if ('pools' in read) return withinLimits(read.pools);
        why = read.why;
      } catch (e) {
        if (e instanceof SmallFileError && e.problem === 'missing') return { pools: null, warning: setAsideNote(dataDir, file) };
        why = e instanceof SmallFileError ? smallFileWords(e, POOLS_FILE_MAX_BYTES) : e instanceof Error ? e.message : String(e);
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
      return { pools: null, warning: `pools.json could not be used (${why}); it was set aside as ${aside}: fix that file and rename it back to pools.json to use its pools again.` };
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
