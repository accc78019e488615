import { describe, expect, it } from 'vitest';
import { createConsoleStore } from '../../src/renderer/src/store/console-store';
import { rendererHeapMb, startHeapSampler } from '../../src/renderer/src/features/performance/heap-sampler';
import type { PerfPoint } from '../../src/shared/state';

const tick = (ts: number) => ({ ts }) as PerfPoint;

describe('the renderer-heap sampler', () => {
  it('reads the heap once per new perf tick, at that tick, and nothing on other changes', () => {
    const store = createConsoleStore();
    let mb = 10;
    const stop = startHeapSampler(store, () => mb++);
    store.setState({ perf: [tick(1000)] });
    store.setState({ occupancy: { count: 3, capacity: 9 } });
    store.setState({ perf: [...store.getState().perf] }); // a new array, the same last tick
    store.setState({ perf: [tick(1000), tick(2000)] });
    expect(store.getState().rendererHeap).toEqual([{ x: 1000, y: 10 }, { x: 2000, y: 11 }]);
    stop();
    store.setState({ perf: [tick(3000)] });
    expect(store.getState().rendererHeap).toHaveLength(2);
  });

  it('reads at once for the tick already on screen, so the chart opens with it', () => {
    const store = createConsoleStore();
    store.setState({ perf: [tick(1000)] });
    startHeapSampler(store, () => 7);
    expect(store.getState().rendererHeap).toEqual([{ x: 1000, y: 7 }]);
  });

  it('records nothing where the browser does not report a heap', () => {
    const store = createConsoleStore();
    startHeapSampler(store, () => null);
    store.setState({ perf: [tick(1000)] });
    expect(store.getState().rendererHeap).toEqual([]);
  });

  it('keeps an hour of readings', () => {
    const store = createConsoleStore();
    startHeapSampler(store, () => 1);
    for (let s = 1; s <= 3_700; s++) store.setState({ perf: [tick(s)] });
    const heap = store.getState().rendererHeap;
    expect(heap).toHaveLength(3_600);
    expect(heap[0]!.x).toBe(101);
  });

  it("hands a chart subscribed after it the tick's reading with the tick", () => {
    const store = createConsoleStore();
    startHeapSampler(store, () => 42);
    const drawn: (number | undefined)[] = [];
    store.subscribe((s, prev) => void (s.perf !== prev.perf && drawn.push(store.getState().rendererHeap.at(-1)?.y)));
    store.setState({ perf: [tick(1000)] });
    expect(drawn).toEqual([42]);
  });

  it('reads no heap, never NaN, where performance.memory is not a heap reading (a test clock swaps it for a function)', () => {
    const withMemory = (memory: unknown): number | null => {
      Object.defineProperty(performance, 'memory', { value: memory, configurable: true });
      try {
        return rendererHeapMb();
      } finally {
        delete (performance as unknown as { memory?: unknown }).memory;
      }
    };
    expect(withMemory(() => 0)).toBeNull();
    expect(withMemory({ usedJSHeapSize: Number.NaN })).toBeNull();
    expect(withMemory({ usedJSHeapSize: 10 * 1048576 })).toBe(10);
  });
});
