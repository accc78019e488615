import type { StoreApi } from 'zustand/vanilla';
import type { ConsoleState } from '../../store/console-store';

/** Renderer heap where Chromium reports it (performance.memory is non-standard). */
export const rendererHeapMb = (): number | null => {
  const used = (performance as unknown as { memory?: { usedJSHeapSize?: unknown } }).memory?.usedJSHeapSize;
  // Only a number is a reading: a stand-in `performance` (a test clock's) made the tab say "NaN MB".
  return typeof used === 'number' && Number.isFinite(used) ? used / 1048576 : null;
};

/**
 * Reads this screen's heap now and at each new perf tick, beside main's figures (a transient
 * subscriber: no render and no chart callback writes it). Started before the charts, they draw the
 * tick's reading with the tick (they read the latest state). Returns the unsubscribe.
 */
export function startHeapSampler(store: StoreApi<ConsoleState>, readMb: () => number | null = rendererHeapMb): () => void {
  const sample = (s: ConsoleState): void => {
    const at = s.perf.at(-1)?.ts;
    if (at === undefined || s.rendererHeap.at(-1)?.x === at) return;
    const mb = readMb();
    if (mb !== null) s.addRendererHeap({ x: at, y: mb });
  };
  sample(store.getState());
  return store.subscribe((s, prev) => s.perf !== prev.perf && sample(s));
}
