import { useState } from 'react';
import { RANGES, resolveRange, type Range, type RangeName } from '../../../../shared/analytics';
import { readCustomTime, toInput } from './custom-range';
import { differsFromPc } from '../../components/charts/zone-time';

/** A preset's span in the fields: counted back from `end`, or from now, on the gym's calendar as the console counts it. */
const spanEnding = (r: RangeName, end: number | null, zone?: string): { from: string; to: string } => {
  const span = resolveRange({ last: r }, end ?? Date.now(), zone);
  return { from: toInput(span.from, zone), to: toInput(span.to, zone) };
};

/**
 * 1h / 6h / 24h / 7d, or an absolute from–to on the gym's clock (`zone`: its "Time zone", named beside the
 * fields when this PC's clock reads otherwise). `end`: where a preset counts back from when that is not now
 * (an opened export's end), so the fields show the span the charts and banner do; give the picker a new key
 * when `end` changes. A new `zone` (the view's first answer, or a new setting) moves the fields to it unless
 * staff have typed in them: a remount then cleared a range typed while the tab was still loading.
 */
export function RangePicker({ range, onChange, end = null, zone }: { range: Range; onChange: (r: Range) => void; end?: number | null; zone?: string }) {
  const fields = (z: string | undefined): { from: string; to: string } => ('last' in range ? spanEnding(range.last, end, z) : { from: toInput(range.from, z), to: toInput(range.to, z) });
  const [from, setFrom] = useState(() => fields(zone).from);
  const [to, setTo] = useState(() => fields(zone).to);
  const [error, setError] = useState<string | null>(null);
  const [mountedAt] = useState(() => Date.now());
  // Whether to name the gym's zone: its clock reads otherwise than this PC's around the time shown.
  const zoneDiffers = zone !== undefined && differsFromPc(zone, end ?? mountedAt);
  // Whether staff typed in the fields since a preset or a range applied.
  const [typed, setTyped] = useState(false);
  // A new zone (the view's first answer, or a new setting) moves the fields to it, unless staff typed in them: adjusted
  // while rendering, not in an effect, whose late run overwrote a preset clicked meanwhile with the range before it.
  const [shownZone, setShownZone] = useState(zone);
  if (shownZone !== zone) {
    setShownZone(zone);
    if (!typed) {
      const f = fields(zone);
      setFrom(f.from);
      setTo(f.to);
    }
  }
  // What a custom range took where the clocks made it not what was typed (a DST gap or repeated hour).
  const [took, setTook] = useState<string | null>(null);
  // A preset moves the date fields too, so they always show the span on screen.
  const pick = (r: RangeName): void => {
    const span = spanEnding(r, end, zone);
    setFrom(span.from);
    setTo(span.to);
    setTyped(false);
    setError(null);
    setTook(null);
    onChange({ last: r });
  };
  const applyCustom = (): void => {
    const f = readCustomTime(from, 'starts', zone);
    const t = readCustomTime(to, 'ends', zone);
    if (!(t.ms > f.ms)) return setError('The range must end after it starts.');
    setError(null);
    setTook([f.note, t.note].filter(Boolean).join(' ') || null);
    onChange({ from: f.ms, to: t.ms });
  };
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r} type="button" aria-pressed={'last' in range && range.last === r} onClick={() => pick(r)}>
          {r}
        </button>
      ))}
      <span className="custom">
        <input type="datetime-local" value={from} onChange={(e) => (setTyped(true), setFrom(e.target.value))} aria-label="Custom range from" />
        <span aria-hidden="true">–</span>
        <input type="datetime-local" value={to} onChange={(e) => (setTyped(true), setTo(e.target.value))} aria-label="Custom range to" />
        <button type="button" aria-pressed={!('last' in range)} onClick={applyCustom}>
          Custom
        </button>
      </span>
      {zoneDiffers && (
        <span className="muted" data-testid="range-zone" title="The Analytics time zone (Storage, Time zone): the gym's days and hours, which the bars and daily figures follow">
          Times in {zone} (the gym&apos;s time zone), not this PC&apos;s
        </span>
      )}
      {error && <span className="error-text">{error}</span>}
      {took && !error && (
        <span className="muted" role="status" data-testid="range-took">
          {took}
        </span>
      )}
    </div>
  );
}
