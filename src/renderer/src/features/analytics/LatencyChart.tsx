import type { AnalyticsView } from '../../../../shared/analytics';
import { TimeChart } from '../../components/charts/TimeChart';
import { robustTop } from '../../components/charts/robust-top';
import { formatClock, formatMs } from '../../format';

/** Mean round trip over the range, scaled to its usual values: a short spike is drawn cut off and said in words. */
export function LatencyChart({ view }: { view: AnalyticsView }) {
  const data = view.series.map((p) => ({ x: p.ts, y: p.v.latencyMs }));
  const top = robustTop(data);
  const cut = top && top.cut;
  const note = cut ? `cut off above ${formatMs(top.max)}: ${cut.n === 1 ? 'a peak' : `${cut.n} peaks, the highest`} of ${formatMs(cut.highest.y)} at ${formatClock(cut.highest.x, view.zone)}` : undefined;
  return <TimeChart title="Latency" kind="line" range={view.range} zone={view.zone} unit=" ms" note={note} yMax={top?.max} series={[{ label: 'Mean round trip', color: '#c9302c', data }]} />;
}
