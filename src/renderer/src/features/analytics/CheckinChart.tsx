import type { AnalyticsView } from '../../../../shared/analytics';
import { TimeChart } from '../../components/charts/TimeChart';
import { formatClock, formatWhen } from '../../format';
import { checkinBars, partSpan, partWords } from './checkin-bars';

/** Allowed and denied check-ins as bars sized to the range: "Check-ins per 30 minutes" over 24h, on the gym's clock and calendar. */
export function CheckinChart({ view }: { view: AnalyticsView }) {
  const { zone } = view;
  const { per, bucketMs, bars } = checkinBars(view.series, view.range, zone);
  // The axis spans whole buckets: the bar of the hour now under way is drawn across all of it, never cut at "now".
  const span = bars.length ? { from: bars[0]!.start, to: bars.at(-1)!.end } : view.range;
  // Live data of a range ending now: its end is now, and the bar reaching past it is the one under way.
  const now = view.source.kind === 'live' && view.noForecast === null ? view.range.to : -Infinity;
  // A part of a day or week bar names its days ("only 09:00–14:00" did not say which).
  const clock = (ms: number): string => (bucketMs >= 86_400_000 ? formatWhen(ms, zone) : formatClock(ms, zone));
  const part = (b: (typeof bars)[number]): string | undefined => b.part && partWords(b.part, b.end, now, clock, partSpan);
  // The last bar said in the caption: it is the one read as "now", and a part of it read as a collapse.
  const last = bars.at(-1);
  const lastPart = last && part(last);
  // A bar the clocks made longer or shorter is said once under the title, not left to read as a dip or a spike.
  const changed = bars.find((b) => b.clocks);
  const notes = [per === 'week' && 'weeks run Monday to Sunday', lastPart && `pale bars are incomplete; the last: ${lastPart}`, changed && `the bar from ${formatWhen(changed.start, zone)} holds ${changed.clocks}`].filter(Boolean);
  return (
    <TimeChart
      title={`Check-ins per ${per}`}
      note={notes.length ? notes.join('; ') : undefined}
      kind="bar"
      range={span}
      bucketMs={bucketMs}
      zone={zone}
      series={[
        { label: 'Allowed', color: '#1f7a45', data: bars.map((b) => ({ x: b.start, to: b.end, y: b.allowed, part: part(b), note: b.clocks })) },
        { label: 'Denied', color: '#b3261e', data: bars.map((b) => ({ x: b.start, to: b.end, y: b.denied, part: part(b), note: b.clocks })) },
      ]}
    />
  );
}
