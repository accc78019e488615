import { useEffect, useRef } from 'react';
import type { PerfPoint } from '../../../../shared/state';
import { consoleStore, type ConsoleState } from '../../store/console-store';
import { Chart, timeOptions } from './setup';

export interface LiveSeries {
  label: string;
  color: string;
  data: { x: number; y: number }[];
  /** Drawn thin and left out of the legend (one line per socket would crowd it out). */
  quiet?: boolean;
}

/**
 * A live chart on a fixed budget: created once, fed outside React from the store (transient
 * updates), redrawn with update('none') at most once per patch, skipped while the window is hidden.
 */
export function LiveChart({ title, note, unit, windowMin, series }: { title: string; note?: string; unit: string; windowMin: number; series: (points: PerfPoint[], state: ConsoleState) => LiveSeries[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const figure = useRef<HTMLElement>(null);
  const pick = useRef(series);
  useEffect(() => {
    pick.current = series; // the latest selector, without re-creating the chart
  });

  useEffect(() => {
    const now = Date.now();
    const options = timeOptions({ from: now - windowMin * 60_000, to: now }, unit);
    options.plugins!.legend!.labels!.filter = (item, data) => !(data.datasets[item.datasetIndex!] as { quiet?: boolean }).quiet;
    const chart = new Chart(canvas.current!, { type: 'line', data: { datasets: [] }, options });
    // Always the latest state: a subscriber ahead of this one (the heap sampler) may have added to it.
    const draw = (): void => {
      if (document.hidden) return;
      const state = consoleStore.getState();
      const points = state.perf;
      const to = points.at(-1)?.ts ?? Date.now();
      const from = to - windowMin * 60_000;
      const shown = points.filter((p) => p.ts >= from);
      // Reuse each dataset (and so its controller and elements) by label; only the data changes.
      const byLabel = new Map(chart.data.datasets.map((d) => [d.label, d]));
      const next = pick.current(shown, state);
      chart.data.datasets = next.map((s) => {
        const d = byLabel.get(s.label) ?? { label: s.label, data: [], pointRadius: 0, borderWidth: s.quiet ? 1 : 1.5, quiet: s.quiet };
        byLabel.delete(s.label); // a repeated label gets a dataset of its own
        Object.assign(d, { data: s.data, borderColor: s.color, backgroundColor: s.color });
        return d;
      });
      figure.current!.dataset.points = String(next.reduce((n, s) => n + s.data.length, 0)); // fed, before decimation
      const x = chart.options.scales!.x as { min: number; max: number };
      x.min = from;
      x.max = to;
      chart.update('none');
    };
    draw();
    const unsubscribe = consoleStore.subscribe((s, prev) => s.perf !== prev.perf && draw());
    const onShown = (): void => draw(); // catch up at once, not at the next second
    document.addEventListener('visibilitychange', onShown);
    return () => {
      document.removeEventListener('visibilitychange', onShown);
      unsubscribe();
      chart.destroy();
    };
  }, [windowMin, unit]);

  return (
    <figure ref={figure} className="card chart" aria-label={`${title}, live, last ${windowMin} minutes`}>
      <figcaption>
        {title}
        {note && <span className="chart-note"> · {note}</span>}
      </figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={title} />
      </div>
    </figure>
  );
}
