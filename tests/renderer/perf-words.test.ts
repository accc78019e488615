import { describe, expect, it } from 'vitest';
import { CHART_TEXT, nowWords } from '../../src/renderer/src/features/performance/perf-words';
import type { PerfPoint } from '../../src/shared/state';

const JARGON = /\bp50\b|\bp95\b|\bp99\b|\bRSS\b|heap|\blag\b|event-loop|CPU|throughput|latency|\/s\b/i;
const point: PerfPoint = { ts: 0, rtts: {}, p50: 12.4, p95: 41, inPerS: 3.24, outPerS: 0.96, errorRate: 0.0123, rssMb: 143.6, heapMb: 20, cpuPct: 0.83, lagMs: 13.7 };

// Staff read "Now: p50 12 ms, p95 41 ms · in 3.2/s … RSS 144 MB, this screen 8.4 MB · CPU 0.8% · lag 14 ms".
describe('the Performance tab in words', () => {
  it('names each figure of the "right now" line in words, rounded', () => {
    const w = nowWords(point, 8.44);
    expect(w).toBe(
      'Last 10 seconds: replies in 12 ms (slowest 1 in 20: 41 ms) · messages 3.2 a second from the gym, 1.0 to it · 1 % of requests failed · memory used by the console 144 MB, by this screen 8.4 MB · processor 1 % · the console responds within 14 ms',
    );
    expect(w).not.toMatch(JARGON);
    expect(nowWords({ ...point, p50: null, p95: null, inPerS: 0, outPerS: 0 }, undefined)).toMatch(/^Last 10 seconds: no replies to time · messages 0 a second from the gym, 0 to it · /);
  });

  it('titles and lines of the charts carry no p50, RSS, heap, lag or CPU', () => {
    const words = Object.values(CHART_TEXT).flatMap((c) => Object.values(c));
    for (const w of words) expect(w).not.toMatch(JARGON);
    expect(CHART_TEXT.memory.total).toBe('Console, in all');
    expect(CHART_TEXT.lag.title).toBe('Console response delay');
  });
});
