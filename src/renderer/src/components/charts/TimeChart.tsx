import { Line, Bar } from 'react-chartjs-2';
import type { ChartOptions } from 'chart.js';
import { timeOptions } from './setup';

export interface TimeSeries {
  label: string;
  color: string;
  /** y null: not known then (a gap in the line, not a drop to 0). */
  data: { x: number; y: number | null }[];
  fill?: boolean;
}

/** A line, area or bar chart over time, with an accessible summary for screen readers. */
export function TimeChart({ title, series, kind, range, unit = '' }: { title: string; series: TimeSeries[]; kind: 'line' | 'area' | 'bar'; range: { from: number; to: number }; unit?: string }) {
  const options = timeOptions(range, unit);
  const datasets = series.map((s) => ({
    label: s.label,
    data: s.data,
    borderColor: s.color,
    backgroundColor: kind === 'line' ? s.color : `${s.color}55`,
    fill: kind === 'area' || s.fill ? 'origin' : false,
  }));
  const last = series
    .map((s) => {
      const y = s.data.at(-1)?.y;
      return `${s.label} ${y === null ? 'not known' : `${Math.round((y ?? 0) * 10) / 10}${unit}`}`;
    })
    .join(', ');
  const label = `${title}: latest ${last}`;
  return (
    <figure className="card chart" aria-label={label}>
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        {kind === 'bar' ? (
          <Bar aria-label={label} data={{ datasets }} options={{ ...(options as unknown as ChartOptions<'bar'>), scales: { ...(options.scales as ChartOptions<'bar'>['scales']), x: { ...(options.scales!.x as object), stacked: true, offset: false }, y: { ...(options.scales!.y as object), stacked: true } } }} />
        ) : (
          <Line aria-label={label} data={{ datasets }} options={options} />
        )}
      </div>
    </figure>
  );
}
