import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * mkdirSync(dir, { recursive: true }) made one level at a time. Node's own loops forever at full CPU where a
 * parent exists but refuses children with ENOENT (/proc and other mounts like it); here that is an error, thrown
 * as mkdir gave it. `mode` applies to each folder made.
 */
export function makeFolder(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  // Bounded by the path's own depth: dirname of the root is the root.
  for (let p = dir; !exists(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      mkdirSync(p, { mode });
    } catch (e) {
      // Made by someone else meanwhile is as good as made here.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(p).isDirectory()) throw e;
    }
  }
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${dir}'`), { code: 'EEXIST', path: dir });
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** What sits where a folder belongs ('a file', 'a named pipe', …), in words for a sentence; null for a folder or nothing there. */
export function inPlaceOfFolder(dir: string): string | null {
  let s;
  try {
    s = statSync(dir);
  } catch {
    return null;
  }
  return s.isDirectory() ? null : s.isFile() ? 'a file' : s.isFIFO() ? 'a named pipe' : 'something other than a folder';
}
