import { useLayoutEffect, useState } from 'react';
import type { PerfPoint } from '../../../../shared/state';
import { LiveChart, type LiveSeries } from '../../components/charts/LiveChart';
import '../../components/charts/setup';
import { consoleStore, useConsole } from '../../store/console-store';
import { startHeapSampler } from './heap-sampler';
import { formatMs } from '../../format';

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

/** Live latency, throughput, errors, memory, CPU and event-loop lag over 5, 15 or 60 minutes. */
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
            Now: p50 {formatMs(last.p50)}, p95 {formatMs(last.p95)} · in {last.inPerS.toFixed(1)}/s, out {last.outPerS.toFixed(1)}/s (last 10 s) · {(last.errorRate * 100).toFixed(1)}% errors · RSS {Math.round(last.rssMb)} MB{heap !== undefined && `, this screen ${heap.toFixed(1)} MB`} · CPU {last.cpuPct.toFixed(1)}% · lag {formatMs(last.lagMs)}
          </p>
        )}
      </div>
      <div className="chart-grid" data-testid="perf-charts">
        <LiveChart
          title="Latency"
          note="thin lines: each backend instance"
          unit=" ms"
          windowMin={windowMin}
          series={(pts) => {
            const ids = [...new Set(pts.flatMap((p) => Object.keys(p.rtts)))];
            return [
              line('p50', '#0e7490', pts, (p) => p.p50),
              line('p95', '#c9302c', pts, (p) => p.p95),
              ...ids.map((id, i) => ({ ...line(id, `${PALETTE[i % PALETTE.length]}88`, pts, (p) => p.rtts[id] ?? null), quiet: true })),
            ];
          }}
        />
        <LiveChart title="Throughput" unit="/s" windowMin={windowMin} series={(pts) => [line('In', '#1f8a70', pts, (p) => p.inPerS), line('Out', '#b87d00', pts, (p) => p.outPerS)]} />
        <LiveChart title="Error rate" unit="%" windowMin={windowMin} series={(pts) => [line('Errors', '#c9302c', pts, (p) => p.errorRate * 100)]} />
        <LiveChart
          title="Memory"
          unit=" MB"
          windowMin={windowMin}
          series={(pts, s) => [
            line('Main RSS', '#2457c5', pts, (p) => p.rssMb),
            line('Main heap', '#8a4bd6', pts, (p) => p.heapMb),
            { label: 'Renderer heap', color: '#0e7490', data: s.rendererHeap.filter((d) => d.x >= (pts[0]?.ts ?? 0)) },
          ]}
        />
        <LiveChart title="CPU (main)" unit="%" windowMin={windowMin} series={(pts) => [line('CPU', '#b87d00', pts, (p) => p.cpuPct)]} />
        <LiveChart title="Event-loop lag (p99)" unit=" ms" windowMin={windowMin} series={(pts) => [line('Lag', '#5b6877', pts, (p) => p.lagMs)]} />
      </div>
    </div>
  );
}
