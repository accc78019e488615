import type { AnalyticsView } from '../../../../shared/analytics';
import { TimeChart } from '../../components/charts/TimeChart';
import { formatClock, formatWhen } from '../../format';
import { checkinBars, partSpan, partWords } from './checkin-bars';

/** Allowed and denied check-ins as bars sized to the range: "Check-ins per 30 minutes" over 24h, on the gym's clock and calendar. */
export function CheckinChart({ view }: { view: AnalyticsView }) {
  const { zone } = view;
  // Cut where the data ends (now, or an export's end), not only at the range's: a custom range to midnight drew the hour under way whole.
  const { per, bucketMs, bars } = checkinBars(view.series, view.range, zone, view.now);
  // The axis spans whole buckets: the bar of the hour now under way is drawn across all of it, never cut at "now".
  const span = bars.length ? { from: bars[0]!.start, to: bars.at(-1)!.end } : view.range;
  // An export has ended: its last bar is cut at its end, not "so far".
  const ended = view.source.kind === 'export';
  // A part of a day or week bar names its days ("only 09:00–14:00" did not say which).
  const clock = (ms: number): string => (bucketMs >= 86_400_000 ? formatWhen(ms, zone) : formatClock(ms, zone));
  const part = (b: (typeof bars)[number]): string | undefined => b.part && partWords(b.part, b.end, view.now, clock, partSpan, ended);
  // The last bar with data said in the caption: it is the one read as "now", and a part of it read as a collapse.
  const last = bars.filter((b) => !b.ahead).at(-1);
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
        // A bar after the data's end is not known yet: no bar, not one of 0.
        { label: 'Allowed', color: '#1f7a45', data: bars.map((b) => ({ x: b.start, to: b.end, y: b.ahead ? null : b.allowed, part: part(b), note: b.clocks })) },
        { label: 'Denied', color: '#b3261e', data: bars.map((b) => ({ x: b.start, to: b.end, y: b.ahead ? null : b.denied, part: part(b), note: b.clocks })) },
      ]}
    />
  );
}
