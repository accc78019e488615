import type { AnalyticsView, Range } from '../../../../shared/analytics';
import { drawnWords, zoomTo } from './review-span';

/**
 * Over an export's charts, when its figures cover a small part of the range shown (a few minutes of
 * a week's export): where they are, and a way to show only that time; otherwise the charts look empty.
 */
export function DrawnNote({ view, onZoom }: { view: AnalyticsView; onZoom: (r: Range) => void }) {
  const zoom = view.source.kind === 'export' ? zoomTo(view.drawn, view.range) : null;
  if (!zoom || !view.drawn) return null;
  return (
    <p className="notice drawn-note" role="status" data-testid="drawn-note">
      The charts have figures only from {drawnWords(view.drawn, view.zone)}; the rest of this range has none, so they look nearly empty.
      <button type="button" className="inline-action" onClick={() => onZoom(zoom)}>
        Show only that time
      </button>
    </p>
  );
}
