import { fittingTicks, tickLabel } from './time-ticks';
import { zoneFormat } from '../../format';
import { toFont } from 'chart.js/helpers';
import {
  ArcElement,
  BarController,
  BarElement,
  Chart,
  Decimation,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  CategoryScale,
  type ChartOptions,
} from 'chart.js';

// Only what the console draws, so the bundle stays small.
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, DoughnutController, ArcElement, LinearScale, CategoryScale, Decimation, Filler, Legend, Tooltip);


/**
 * Fixed-budget live charts: pre-parsed, sorted data, no animation, decimated, no point dots.
 * `zone`: whose clock the axis and tooltips read (the gym's on the Analytics tab); this PC's when undefined.
 */
export function timeOptions(range: { from: number; to: number }, unit: string, zone?: string): ChartOptions<'line'> {
  const spanMs = range.to - range.from;
  const css = getComputedStyle(document.documentElement);
  const muted = css.getPropertyValue('--muted').trim() || '#888';
  const line = css.getPropertyValue('--line').trim() || '#ddd';
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      // A fixed budget: past 400 points a series is drawn as 300 (LTTB keeps its shape); 5 minutes
      // at 1 Hz stays whole, on Chart.js's fast path for undecimated lines.
      decimation: { enabled: true, algorithm: 'lttb', samples: 300, threshold: 400 },
      legend: { labels: { color: muted, boxWidth: 12 } },
      tooltip: { callbacks: { title: (items) => zoneFormat({ dateStyle: 'short', timeStyle: 'medium' }, zone).format(items[0]!.parsed.x ?? 0) } },
    },
    elements: { point: { radius: 0 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: {
        type: 'linear',
        min: range.from,
        max: range.to,
        // Ticks on round times of the zone's clock, whatever the window's edges are; as many as the labels fit.
        afterBuildTicks: (scale) => {
          const ctx = scale.ctx;
          ctx.save();
          ctx.font = toFont((scale.options as { ticks?: { font?: Parameters<typeof toFont>[0] } }).ticks?.font ?? {}).string;
          scale.ticks = fittingTicks(scale.min, scale.max, scale.width, (label) => ctx.measureText(label).width, 16, zone).map((value) => ({ value }));
          ctx.restore();
        },
        ticks: { color: muted, maxRotation: 0, autoSkipPadding: 16, callback: (v) => tickLabel(Number(v), spanMs, zone) },
        grid: { color: line },
      },
      y: { beginAtZero: true, ticks: { color: muted, callback: (v) => `${v}${unit}` }, grid: { color: line } },
    },
  };
}

export { Chart };
