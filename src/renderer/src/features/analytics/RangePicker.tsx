import { useState } from 'react';
import { RANGES, resolveRange, type Range, type RangeName } from '../../../../shared/analytics';

const toInput = (ms: number): string => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** A preset's span in the fields: counted back from `end`, or from now. */
const spanEnding = (r: RangeName, end: number | null): { from: string; to: string } => {
  const span = resolveRange({ last: r }, end ?? Date.now());
  return { from: toInput(span.from), to: toInput(span.to) };
};

/**
 * 1h / 6h / 24h / 7d, or an absolute from–to in local time. `end`: where a preset counts back from
 * when that is not now (an opened export's end), so the fields show the span the charts and banner
 * do; give the picker a new key when it changes.
 */
export function RangePicker({ range, onChange, end = null }: { range: Range; onChange: (r: Range) => void; end?: number | null }) {
  const [from, setFrom] = useState(() => ('last' in range ? spanEnding(range.last, end).from : toInput(range.from)));
  const [to, setTo] = useState(() => ('last' in range ? spanEnding(range.last, end).to : toInput(range.to)));
  const [error, setError] = useState<string | null>(null);
  // A preset moves the date fields too, so they always show the span on screen.
  const pick = (r: RangeName): void => {
    const span = spanEnding(r, end);
    setFrom(span.from);
    setTo(span.to);
    setError(null);
    onChange({ last: r });
  };
  const applyCustom = (): void => {
    const f = new Date(from).getTime();
    const t = new Date(to).getTime();
    if (!(t > f)) return setError('The range must end after it starts.');
    setError(null);
    onChange({ from: f, to: t });
  };
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r} type="button" aria-pressed={'last' in range && range.last === r} onClick={() => pick(r)}>
          {r}
        </button>
      ))}
      <span className="custom">
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="Custom range from" />
        <span aria-hidden="true">–</span>
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-label="Custom range to" />
        <button type="button" aria-pressed={!('last' in range)} onClick={applyCustom}>
          Custom
        </button>
      </span>
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
