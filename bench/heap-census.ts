/**
 * What a page's JS heap holds, by kind and constructor, from a Chrome heap snapshot taken over CDP
 * (the snapshot itself forces a full GC first). Two censuses diffed name what grew.
 */
import type { Page } from '@playwright/test';

export type Census = Map<string, { count: number; bytes: number }>;

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export async function heapCensus(page: Page): Promise<Census> {
  const cdp = await page.context().newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.send('HeapProfiler.disable');
  await cdp.detach();
  const snap = JSON.parse(chunks.join('')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [fType, fName, fSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const census: Census = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + fType]!]!;
    // Strings and numbers are named by their value: count them as one kind each.
    const name = type === 'object' || type === 'closure' || type === 'native' || type === 'array' ? snap.strings[snap.nodes[i + fName]!]! : '';
    const key = `${type} ${name.slice(0, 60)}`.trim();
    const c = census.get(key) ?? { count: 0, bytes: 0 };
    c.count++;
    c.bytes += snap.nodes[i + fSize]!;
    census.set(key, c);
  }
  return census;
}

/** The kinds that grew most in bytes between two censuses. */
export function grewMost(before: Census, after: Census, top = 8): { kind: string; count: number; kb: number }[] {
  return [...after]
    .map(([kind, a]) => {
      const b = before.get(kind) ?? { count: 0, bytes: 0 };
      return { kind, count: a.count - b.count, kb: Math.round((a.bytes - b.bytes) / 102.4) / 10 };
    })
    .sort((x, y) => y.kb - x.kb)
    .slice(0, top);
}

export const totalMb = (c: Census): number => [...c.values()].reduce((n, v) => n + v.bytes, 0) / 1048576;
