import { Line, Bar } from 'react-chartjs-2';
import type { ChartOptions } from 'chart.js';
import { Chart, timeOptions } from './setup';
import { zoneFormat } from '../../format';

export interface TimeSeries {
  label: string;
  color: string;
  /**
   * y null: not known then (a gap in the line, not a drop to 0). `part`: a bar counting part of its bucket only, in words ("so far (13 min)").
   * `to`: where a bar's bucket ends when not `bucketMs` after x (a DST change); `note`: more words for its tooltip.
   */
  data: { x: number; y: number | null; part?: string; to?: number; note?: string }[];
  fill?: boolean;
}

/** A bar's edge in its tooltip: the date too when bars are days or weeks ("Mon 00:00 – Mon 00:00" told nothing). */
const fmtTime = (ms: number, bucketMs: number, zone?: string): string =>
  zoneFormat(bucketMs >= 86_400_000 ? { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } : { weekday: 'short', hour: '2-digit', minute: '2-digit' }, zone).format(ms);

/**
 * A line, area or bar chart over time, with an accessible summary for screen readers.
 * Bars each count one bucket of `bucketMs` starting at their x: drawn across it, so they are as wide as it is.
 * `zone`: whose clock the axis and tooltips read (the gym's, on the Analytics tab).
 */
export function TimeChart({ title, series, kind, range, unit = '', bucketMs, note, yMax, zone }: { title: string; series: TimeSeries[]; kind: 'line' | 'area' | 'bar'; range: { from: number; to: number }; unit?: string; bucketMs?: number; note?: string; yMax?: number; zone?: string }) {
  const base = timeOptions(range, unit, zone);
  // A set top (one spike above it is drawn cut off and said in the note), or Chart.js's own fit.
  const options = yMax === undefined ? base : { ...base, scales: { ...base.scales, y: { ...base.scales!.y, max: yMax } } };
  const datasets = series.map((s) => ({
    label: s.label,
    data: s.data,
    borderColor: s.color,
    // A part-bar is pale with a full outline: it counts part of its bucket, not a whole one.
    backgroundColor: kind === 'line' ? s.color : kind === 'bar' ? (c: { raw?: unknown }) => `${s.color}${(c.raw as { part?: string } | undefined)?.part ? '1a' : '55'}` : `${s.color}55`,
    ...(kind === 'bar' ? { borderWidth: (c: { raw?: unknown }) => ((c.raw as { part?: string } | undefined)?.part ? 1.5 : 0) } : {}),
    fill: kind === 'area' || s.fill ? 'origin' : false,
    // Lines have no dots; a series of one or two known values (a few seconds of figures) would draw nothing at all.
    // Said either way: a dataset that once had dots kept them when its data grew (Chart.js merges options).
    ...(kind !== 'bar' ? { pointRadius: s.data.filter((p) => p.y !== null).length < 3 ? 3 : 0 } : {}),
  }));
  const last = series
    .map((s) => {
      // A bar is latest by its data: those after it (a range reaching past now) are not known yet.
      const y = (kind === 'bar' ? s.data.filter((p) => p.y !== null) : s.data).at(-1)?.y;
      return `${s.label} ${y === null ? 'not known' : `${Math.round((y ?? 0) * 10) / 10}${unit}`}`;
    })
    .join(', ');
  const label = `${title}: latest ${last}`;
  return (
    <figure className="card chart" aria-label={label}>
      <figcaption>
        {title}
        {note && <span className="chart-note"> · {note}</span>}
      </figcaption>
      <div className="chart-box">
        {kind === 'bar' ? (
          <Bar aria-label={label} data={{ datasets: bucketMs ? datasets.map((d) => ({ ...d, data: d.data.map((p) => ({ ...p, x: (p.x + (p.to ?? p.x + bucketMs)) / 2 })) })) : datasets }} options={barOptions(options, bucketMs, zone)} />
        ) : (
          <Line aria-label={label} data={{ datasets }} options={options} />
        )}
      </div>
    </figure>
  );
}

/** Stacked bars a bucket wide (every bucket is in the data, so Chart.js spaces them by it); whole counts; the bucket's span in the tooltip. */
function barOptions(options: ChartOptions<'line'>, bucketMs: number | undefined, zone?: string): ChartOptions<'bar'> {
  const o = options as unknown as ChartOptions<'bar'>;
  return {
    ...o,
    datasets: { bar: { barPercentage: 1, categoryPercentage: 0.85 } },
    plugins: {
      ...o.plugins,
      // The key shows a whole bar's colour: Chart.js draws it from the first bar, which may be a pale part-bar.
      legend: { ...o.plugins?.legend, labels: { ...o.plugins?.legend?.labels, generateLabels: (chart) => Chart.defaults.plugins.legend.labels.generateLabels(chart).map((l) => ({ ...l, fillStyle: `${String(l.strokeStyle)}55`, lineWidth: 0 })) } },
      tooltip: bucketMs
        ? {
            callbacks: {
              title: (items) => {
                const { part, note, to } = items[0]!.raw as { part?: string; note?: string; to?: number };
                const mid = items[0]!.parsed.x ?? 0;
                // Drawn at the middle of its bucket: from there back to its start and on to its end.
                const half = to === undefined ? bucketMs / 2 : to - mid;
                return `${fmtTime(mid - half, bucketMs, zone)} – ${fmtTime(mid + half, bucketMs, zone)}${part ? `: ${part}` : ''}${note ? ` (${note})` : ''}`;
              },
            },
          }
        : o.plugins?.tooltip,
    },
    scales: {
      ...o.scales,
      x: { ...(o.scales!.x as object), stacked: true, offset: false },
      y: { ...(o.scales!.y as object), stacked: true, ticks: { ...(o.scales!.y?.ticks as object), precision: 0 } },
    },
  };
}
