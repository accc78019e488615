import type { AnalyticsView } from '../../../../shared/analytics';
import { TimeChart } from '../../components/charts/TimeChart';
import { checkinBars } from './checkin-bars';

/** Allowed and denied check-ins as bars sized to the range: "Check-ins per 30 minutes" over 24h. */
export function CheckinChart({ view }: { view: AnalyticsView }) {
  const { per, bucketMs, bars } = checkinBars(view.series, view.range);
  // The axis spans whole buckets: the bar of the hour now under way is drawn across all of it, never cut at "now".
  const span = bars.length ? { from: bars[0]!.start, to: bars.at(-1)!.start + bucketMs } : view.range;
  return (
    <TimeChart
      title={`Check-ins per ${per}`}
      kind="bar"
      range={span}
      bucketMs={bucketMs}
      series={[
        { label: 'Allowed', color: '#1f7a45', data: bars.map((b) => ({ x: b.start, y: b.allowed })) },
        { label: 'Denied', color: '#b3261e', data: bars.map((b) => ({ x: b.start, y: b.denied })) },
      ]}
    />
  );
}
