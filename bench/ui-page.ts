/**
 * In-page probes for the ui benchmark: row latency, frame intervals, long tasks, heap, patch cost.
 * The bench installs them all; the page exposes nothing for benchmarks of its own.
 */
import type { Page } from '@playwright/test';

export const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, j) => setTimeout(() => j(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

/**
 * As a script string: this file is Node code, the probes run in the page. They count into fixed
 * histograms (1 ms for latency, 0.1 ms for frames), so an hour-long run does not grow the heap it
 * measures.
 */
const PROBES = `
  const hist = (size) => ({ counts: new Uint32Array(size), add(i) { this.counts[Math.max(0, Math.min(size - 1, Math.round(i)))]++; } });
  window.bench = { lat: hist(10_001), frames: hist(20_001), longTasks: 0, measuring: false, gcs: [], skipFrame: false, patches: { count: 0, totalMs: 0, maxMs: 0 } };
  // The console's one bench hook (src/renderer/src/store/sync.ts): it runs each state patch through this.
  window.gymBenchPatchProbe = (apply) => {
    const t0 = performance.now();
    apply();
    const ms = performance.now() - t0;
    const p = window.bench.patches;
    p.count++;
    p.totalMs += ms;
    if (ms > p.maxMs) p.maxMs = ms;
  };
  new MutationObserver((records) => {
    if (!window.bench.measuring) return;
    const now = Date.now();
    for (const r of records) for (const n of r.addedNodes) if (n.dataset && n.dataset.ts) window.bench.lat.add(now - Number(n.dataset.ts));
  }).observe(document, { subtree: true, childList: true });
  let last = performance.now();
  // The frame that spans a forced GC (the bench's own heap reading) is not the app's.
  const frame = (t) => { if (window.bench.measuring && !window.bench.skipFrame) window.bench.frames.add((t - last) * 10); window.bench.skipFrame = false; last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  const inGc = (e) => window.bench.gcs.some(([a, b]) => e.startTime < b && e.startTime + e.duration > a);
  new PerformanceObserver((l) => { if (window.bench.measuring) window.bench.longTasks += l.getEntries().filter((e) => !inGc(e)).length; }).observe({ type: 'longtask' });
`;

/** A histogram as [value, count] pairs, value in ms. */
export type Hist = [number, number][];

export const histCount = (h: Hist, over = -Infinity): number => h.reduce((n, [v, c]) => (v > over ? n + c : n), 0);

export function histQuantile(h: Hist, q: number): number {
  const target = q * histCount(h);
  let seen = 0;
  for (const [v, c] of h) if ((seen += c) >= target) return v;
  return Number.NaN;
}

export interface PhaseFigures {
  lat: Hist;
  frames: Hist;
  longTasks: number;
  patches: { count: number; totalMs: number; maxMs: number };
}

export class PageProbes {
  constructor(private readonly page: Page) {}

  async install(): Promise<void> {
    await this.page.addInitScript({ content: PROBES });
  }

  /** usedJSHeapSize after a forced GC (Chromium runs with --expose-gc). */
  heapMb(): Promise<number> {
    const script = '(() => { const t = performance.now(); window.gc(); window.bench.gcs.push([t, performance.now()]); window.bench.skipFrame = true; return performance.memory.usedJSHeapSize / 1048576; })()';
    return within(10_000, 'heap', this.page.evaluate(script) as Promise<number>);
  }

  /** Click a tab in the page and wait until the frame showing it has been painted: input→paint. */
  async clickToPaintMs(tab: string): Promise<number> {
    const script = `(async () => {
      const tab = [...document.querySelectorAll('[role=tab]')].find((t) => t.textContent.includes(${JSON.stringify(tab)}));
      const t0 = performance.now();
      tab.click(); // React renders it in a microtask, before the next frame
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); // the second rAF runs after the paint
      if (tab.getAttribute('aria-selected') !== 'true') throw new Error('tab not shown by the next frame');
      return performance.now() - t0;
    })()`;
    return within(10_000, 'tab click', this.page.evaluate(script) as Promise<number>);
  }

  /** Milliseconds since the page's navigation started. */
  sinceNavigationMs(): Promise<number> {
    return this.page.evaluate('performance.now()') as Promise<number>;
  }

  /** Starts a measured phase: every probe, the patch counters too, from zero. */
  async begin(): Promise<void> {
    await this.page.evaluate('window.bench.lat.counts.fill(0); window.bench.frames.counts.fill(0); Object.assign(window.bench, { longTasks: 0, measuring: true, patches: { count: 0, totalMs: 0, maxMs: 0 } })');
  }

  /** Ends the phase. */
  async end(): Promise<PhaseFigures> {
    const pairs = (name: string, scale: number): string => `[...window.bench.${name}.counts].flatMap((c, i) => (c ? [[i / ${scale}, c]] : []))`;
    const f = (await this.page.evaluate(`({ lat: ${pairs('lat', 1)}, frames: ${pairs('frames', 10)}, longTasks: window.bench.longTasks, patches: { ...window.bench.patches } })`)) as PhaseFigures;
    await this.page.evaluate('window.bench.measuring = false');
    return f;
  }
}
