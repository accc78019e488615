import type { AnalyticsView, Trend } from '../../../../shared/analytics';
import { formatTime } from '../../format';

const LABELS: Record<string, string> = { checkins: 'Check-ins', occupancy: 'Occupancy', latencyMs: 'Latency', errorRate: 'Error rate', connections: 'Sockets', inPerS: 'Inbound' };
const NO_FORECAST = {
  'past-range': 'No forecast: this range is in the past. Forecasts are for the hour after now; pick 1h, 6h, 24h or 7d.',
  export: 'No forecast for an export: it is a record of the past, not live data.',
  history: 'No forecast yet: it needs at least two days of history.',
} as const;
const ARROW: Record<Trend['direction'], string> = { up: '▲', down: '▼', stable: '▬' };

/** Trend per metric (least-squares slope across the range, ±10 % of the mean), and the next hour's forecast. */
export function TrendStrip({ view }: { view: AnalyticsView }) {
  const p = view.prediction;
  return (
    <section className="card trends" aria-label="Trends and forecast">
      <ul>
        {Object.entries(LABELS).map(([k, label]) => {
          const t = view.trends[k as keyof AnalyticsView['trends']];
          if (!t) return null;
          return (
            <li key={k} className={`trend-${t.direction}`} title="Least-squares slope across the range; ±10 % of the mean counts as a trend">
              <span aria-hidden="true">{ARROW[t.direction]}</span> {label} <strong>{t.direction}</strong>{' '}
              <span className="num muted">{t.changePct > 0 ? '+' : ''}{t.changePct}%</span>
            </li>
          );
        })}
      </ul>
      <p className="forecast" data-testid="forecast">
        {p ? (
          <>
            Next hour ({formatTime(p.hour)}): about <strong className="num">{p.checkins}</strong> check-ins (
            <span className="num">{p.low}–{p.high}</span>), {p.connections} sockets.{' '}
            <span className="muted">
              {p.method}; {p.backtestMape === null ? 'not enough history to score it yet' : `off by ${p.backtestMape}% on average over the last 48 h`}.
            </span>
          </>
        ) : (
          <span className="muted">{NO_FORECAST[view.noForecast ?? 'history']}</span>
        )}
      </p>
    </section>
  );
}
