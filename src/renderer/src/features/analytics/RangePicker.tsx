import { useState } from 'react';
import { RANGE_MS, RANGES, type Range, type RangeName } from '../../../../shared/analytics';

const toInput = (ms: number): string => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

const spanEndingNow = (r: RangeName): { from: string; to: string } => {
  const now = Date.now();
  return { from: toInput(now - RANGE_MS[r]), to: toInput(now) };
};

/** 1h / 6h / 24h / 7d, or an absolute from–to in local time. */
export function RangePicker({ range, onChange }: { range: Range; onChange: (r: Range) => void }) {
  const [from, setFrom] = useState(() => toInput('last' in range ? Date.now() - RANGE_MS[range.last] : range.from));
  const [to, setTo] = useState(() => toInput('last' in range ? Date.now() : range.to));
  const [error, setError] = useState<string | null>(null);
  // A preset moves the date fields too, so they always show the span on screen.
  const pick = (r: RangeName): void => {
    const span = spanEndingNow(r);
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
