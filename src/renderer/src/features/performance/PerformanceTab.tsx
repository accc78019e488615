import { useLayoutEffect, useState } from 'react';
import type { PerfPoint } from '../../../../shared/state';
import { LiveChart, type LiveSeries } from '../../components/charts/LiveChart';
import '../../components/charts/setup';
import { consoleStore, useConsole } from '../../store/console-store';
import { startHeapSampler } from './heap-sampler';
import { CHART_TEXT as T, nowWords } from './perf-words';

const WINDOWS = [5, 15, 60] as const;
const PALETTE = ['#2457c5', '#8a4bd6', '#1f8a70', '#b87d00', '#c9302c', '#5b6877', '#0e7490', '#a21caf'] as const;

const line = (label: string, color: string, points: PerfPoint[], f: (p: PerfPoint) => number | null): LiveSeries => {
  const data: { x: number; y: number }[] = [];
  for (const p of points) {
    const y = f(p);
    if (y !== null) data.push({ x: p.ts, y });
  }
  return { label, color, data };
};

/** Live reply times, messages, failures, memory, processor use and response delay over 5, 15 or 60 minutes. */
export function PerformanceTab() {
  const [windowMin, setWindowMin] = useState<(typeof WINDOWS)[number]>(5);
  const last = useConsole((s) => s.perf.at(-1));
  const heap = useConsole((s) => s.rendererHeap.at(-1)?.y);
  // While the tab is open, as the Memory chart needs it; a layout effect, so it subscribes before the charts' effects.
  useLayoutEffect(() => startHeapSampler(consoleStore), []);
  return (
    <div className="performance-tab">
      <div className="controls">
        <div className="range-picker" role="group" aria-label="Window">
          {WINDOWS.map((w) => (
            <button key={w} type="button" aria-pressed={w === windowMin} onClick={() => setWindowMin(w)}>
              {w} min
            </button>
          ))}
        </div>
        {last && (
          <p className="num muted" data-testid="perf-now">
            {nowWords(last, heap)}
          </p>
        )}
      </div>
      <div className="chart-grid" data-testid="perf-charts">
        <LiveChart
          title={T.latency.title}
          note={T.latency.note}
          unit=" ms"
          windowMin={windowMin}
          series={(pts) => {
            const ids = [...new Set(pts.flatMap((p) => Object.keys(p.rtts)))];
            return [
              line(T.latency.typical, '#0e7490', pts, (p) => p.p50),
              line(T.latency.slow, '#c9302c', pts, (p) => p.p95),
              ...ids.map((id, i) => ({ ...line(id, `${PALETTE[i % PALETTE.length]}88`, pts, (p) => p.rtts[id] ?? null), quiet: true })),
            ];
          }}
        />
        <LiveChart title={T.throughput.title} unit="/s" windowMin={windowMin} series={(pts) => [line(T.throughput.in, '#1f8a70', pts, (p) => p.inPerS), line(T.throughput.out, '#b87d00', pts, (p) => p.outPerS)]} />
        <LiveChart title={T.errors.title} unit="%" windowMin={windowMin} series={(pts) => [line(T.errors.line, '#c9302c', pts, (p) => p.errorRate * 100)]} />
        <LiveChart
          title={T.memory.title}
          unit=" MB"
          windowMin={windowMin}
          series={(pts, s) => [
            line(T.memory.total, '#2457c5', pts, (p) => p.rssMb),
            line(T.memory.data, '#8a4bd6', pts, (p) => p.heapMb),
            { label: T.memory.screen, color: '#0e7490', data: s.rendererHeap.filter((d) => d.x >= (pts[0]?.ts ?? 0)) },
          ]}
        />
        <LiveChart title={T.cpu.title} unit="%" windowMin={windowMin} series={(pts) => [line(T.cpu.line, '#b87d00', pts, (p) => p.cpuPct)]} />
        <LiveChart title={T.lag.title} unit=" ms" windowMin={windowMin} series={(pts) => [line(T.lag.line, '#5b6877', pts, (p) => p.lagMs)]} />
      </div>
    </div>
  );
}
