import { useState } from 'react';
import { CATEGORIES, type Category, type Range } from '../../../../shared/analytics';
import { CATEGORY_WORDS } from '../../../../shared/words';
import { TimeChart } from '../../components/charts/TimeChart';
import { PieChart } from '../../components/charts/PieChart';
import '../../components/charts/setup';
import { useCall } from '../../components/useCall';
import { RangePicker } from './RangePicker';
import { CategoryFilter, CATEGORY_COLORS } from './CategoryFilter';
import { TrendStrip } from './TrendStrip';
import { EventLog } from './EventLog';
import { ExportPanel } from './ExportPanel';
import { useAnalytics } from './useAnalytics';
import { StorageCard } from './StorageCard';
import { AuditLog } from './AuditLog';
import { CheckinChart } from './CheckinChart';
import { LatencyChart } from './LatencyChart';
import { ReviewBanner } from './ReviewBanner';
import { DrawnNote } from './DrawnNote';
import { reviewKey, wholeExport } from './review-span';
import { useCan } from '../../store/auth-hooks';
import { useConsole } from '../../store/console-store';
import type { Opened } from './OpenExport';
import { ReviewNoExport } from './ReviewNoExport';

export function AnalyticsTab() {
  const [range, setRange] = useState<Range>({ last: '24h' });
  const [categories, setCategories] = useState<Category[]>([]);
  const [reload, setReload] = useState(0);
  const { view, error } = useAnalytics(range, categories, reload);
  const close = useCall();
  const canAudit = useCan('audit.list');
  // A review PC records no gym of its own: until an export is open, its charts, trends, storage and
  // event log would be empty furniture of a live console, so it shows what to do instead.
  const reviewPc = useConsole((s) => s.mode.review);
  // The range set by the tab itself (a review opened or closed): the picker's fields follow it.
  const [moved, setMoved] = useState(0);
  const moveTo = (r: Range): void => {
    setRange(r);
    setMoved((n) => n + 1);
  };
  // A review opens on what its files cover (a 7-day export showed the last 24 h of it), and going
  // back to live data returns to the range shown before. `seen`: the review last moved to.
  const [review, setReview] = useState<{ seen: string | null; before: Range | null }>({ seen: null, before: null });
  const showReview = (files: string[], span: { from: number; to: number }, before: Range | null): void => {
    setReview({ seen: reviewKey(files, span), before });
    moveTo(wholeExport(span));
  };
  // A review this tab did not open (opened before the tab was shown again): moved to once, as it renders.
  const source = view?.source;
  if (source?.kind === 'export' && reviewKey(source.files, source.span) !== review.seen) showReview(source.files, source.span, review.before);

  const backToLive = async (): Promise<void> => {
    await close.call('analytics.closeExport', undefined);
    moveTo(review.before ?? { last: '24h' });
    setReview({ seen: review.seen, before: null }); // the review's last view, until live data replaces it, moves nothing
    setReload((n) => n + 1);
  };
  const reviewEnd = view?.source.kind === 'export' && 'last' in range ? view.range.to : null;
  const pts = view?.series ?? [];
  const onOpened = (opened: Opened): void => {
    showReview(opened.files, opened, view?.source.kind === 'export' ? review.before : range);
    setReload((n) => n + 1);
  };

  if (reviewPc && view?.source.kind !== 'export') {
    return (
      <div className="analytics-tab">
        {error && <p className="error-text">{error}</p>}
        {(view || error) && <ReviewNoExport onOpened={onOpened} />}
        {canAudit && <AuditLog reviewing={false} />}
      </div>
    );
  }
  const xy = (f: (p: (typeof pts)[number]) => number | null) => pts.map((p) => ({ x: p.ts, y: f(p) }));

  return (
    <div className="analytics-tab">
      {view?.source.kind === 'export' && <ReviewBanner source={view.source} range={view.range} zone={view.zone} onBack={() => void backToLive()} onShowAll={moveTo} />}
      <div className="controls">
        {/* A preset counts back from an opened export's end, not from now: the fields then show the banner's span. */}
        <RangePicker key={`${reviewEnd ?? 'live'}:${moved}`} range={range} onChange={setRange} end={reviewEnd} zone={view?.zone} />
        <CategoryFilter value={categories} onChange={setCategories} />
      </div>
      {error && <p className="error-text">{error}</p>}
      {view && (
        <>
          <TrendStrip view={view} />
          <DrawnNote view={view} onZoom={moveTo} />
          <div className="chart-grid" data-testid="charts" data-tier={view.tier} data-points={pts.length}>
            <CheckinChart view={view} />
            <TimeChart title="Occupancy and connections" kind="line" range={view.range} zone={view.zone} series={[{ label: 'Inside', color: '#2457c5', data: xy((p) => p.v.occupancy) }, { label: 'Open connections', color: '#8a4bd6', data: xy((p) => p.v.connections) }]} />
            <TimeChart title="Throughput" kind="area" range={view.range} zone={view.zone} unit="/s" series={[{ label: 'In', color: '#1f8a70', data: xy((p) => p.v.inPerS) }, { label: 'Out', color: '#b87d00', data: xy((p) => p.v.outPerS) }]} />
            <LatencyChart view={view} />
            <PieChart title="Events by type" labels={CATEGORIES.map((c) => CATEGORY_WORDS[c])} values={CATEGORIES.map((c) => view.eventCounts[c])} colors={CATEGORIES.map((c) => CATEGORY_COLORS[c])} />
            {view.storage && <StorageCard view={view} />}
          </div>
        </>
      )}
      <div className="analytics-bottom">
        <EventLog range={range} categories={categories} live={view?.source.kind !== 'export'} zone={view?.zone} key={reload} />
        <ExportPanel range={range} categories={categories} onOpened={onOpened} />
      </div>
      {canAudit && <AuditLog reviewing={view?.source.kind === 'export'} />}
    </div>
  );
}
