import type { AnalyticsView } from '../../../../shared/analytics';
import { TimeChart } from '../../components/charts/TimeChart';
import { checkinBars } from './checkin-bars';

/** Allowed and denied check-ins as bars sized to the range: "Check-ins per 30 minutes" over 24h. */
export function CheckinChart({ view }: { view: AnalyticsView }) {
  const { per, bucketMs, bars } = checkinBars(view.series, view.range);
  return (
    <TimeChart
      title={`Check-ins per ${per}`}
      kind="bar"
      range={view.range}
      bucketMs={bucketMs}
      series={[
        { label: 'Allowed', color: '#1f7a45', data: bars.map((b) => ({ x: b.start, y: b.allowed })) },
        { label: 'Denied', color: '#b3261e', data: bars.map((b) => ({ x: b.start, y: b.denied })) },
      ]}
    />
  );
}
