import { useState } from 'react';
import { RANGES, resolveRange, type Range, type RangeName } from '../../../../shared/analytics';
import { readCustomTime, toInput } from './custom-range';


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
  // What a custom range took where the clocks made it not what was typed (a DST gap or repeated hour).
  const [took, setTook] = useState<string | null>(null);
  // A preset moves the date fields too, so they always show the span on screen.
  const pick = (r: RangeName): void => {
    const span = spanEnding(r, end);
    setFrom(span.from);
    setTo(span.to);
    setError(null);
    setTook(null);
    onChange({ last: r });
  };
  const applyCustom = (): void => {
    const f = readCustomTime(from, 'starts');
    const t = readCustomTime(to, 'ends');
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
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="Custom range from" />
        <span aria-hidden="true">–</span>
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-label="Custom range to" />
        <button type="button" aria-pressed={!('last' in range)} onClick={applyCustom}>
          Custom
        </button>
      </span>
      {error && <span className="error-text">{error}</span>}
      {took && !error && (
        <span className="muted" role="status" data-testid="range-took">
          {took}
        </span>
      )}
    </div>
  );
}
