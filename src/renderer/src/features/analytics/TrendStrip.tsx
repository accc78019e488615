import type { AnalyticsView } from '../../../../shared/analytics';
import { emptyWords, forecastWords, halvesWords, METRIC_WORDS, notEnoughWords, outageWords, trendWords, type TrendKey } from './trend-words';
import { clockAcross, dateOf, formatClock, formatWhen, zoneFormat } from '../../format';
import { inZone } from '../../components/charts/zone-time';

const NO_FORECAST = {
  'past-range': 'No forecast: this range is in the past. Forecasts are for the next hour; pick 1h, 6h, 24h or 7d.',
  'future-range': 'No forecast for a range in the future: forecasts are for the next hour; pick 1h, 6h, 24h or 7d.',
  export: 'No forecast for an export: it is a record of the past, not live data.',
  // Hours the console ran only part of do not count: a forecast from them was a guess with a band from 34 to 311.
  history: 'No forecast yet: it needs the next hour recorded in full on at least two earlier days.',
} as const;

/** Trend per metric (the first half of the range against the second, ±10 %), or why there is none; and the next hour's forecast. */
export function TrendStrip({ view }: { view: AnalyticsView }) {
  const p = view.prediction;
  const { zone } = view;
  // On the gym's clock, as the forecast's hours are the gym's.
  const forecast = p && forecastWords(p, (ms) => formatClock(ms, zone), (ms) => inZone(ms, zone).minute === 0);
  const outages = outageWords(view.outages, (ms) => formatWhen(ms, zone));
  return (
    <section className="card trends" aria-label="Trends and forecast">
      {/* First, and whatever the trends: an outage sends no messages, so the error rate never shows it. */}
      {outages.length > 0 && (
        <ul data-testid="trend-outages">
          {outages.map((line) => (
            <li key={line} className="trend-bad" title="Time when no backend instance answered, from this console's own records; each alert is in the event log">
              <span aria-hidden="true">⚠</span> {line}
            </li>
          ))}
        </ul>
      )}
      {view.empty ? (
        <p className="muted trend-none" data-testid="trend-not-enough">
          {emptyWords(view.empty, view.source.kind === 'export', (ms) => zoneFormat({ dateStyle: 'medium', timeStyle: 'short' }, zone).format(ms))}
        </p>
      ) : view.measured.enough ? (
        <>
          <p className="muted trend-halves" data-testid="trend-halves">
            {halvesWords(view.range, (ms) => dateOf(ms, zone), clockAcross(view.range, zone))}
          </p>
          <ul>
            {(Object.keys(METRIC_WORDS) as TrendKey[]).map((k) => {
              const t = view.trends[k];
              if (!t) return null;
              const { text, arrow, tone } = trendWords(k, t);
              return (
                <li key={k} className={`trend-${tone}`} title="The first half of the range against the second, per hour the console was running; a change under 10 % counts as steady">
                  <span aria-hidden="true">{arrow}</span> {text}
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p className="muted trend-none" data-testid="trend-not-enough">
          {notEnoughWords(view.measured, view.source.kind === 'live' && view.noForecast === null)}
        </p>
      )}
      <p className="forecast" data-testid="forecast" title={p ? `Method: ${p.method}` : undefined}>
        {forecast ? (
          <>
            {forecast.text} <span className="muted">{forecast.note}</span>
          </>
        ) : (
          <span className="muted">{NO_FORECAST[view.noForecast ?? 'history']}</span>
        )}
      </p>
    </section>
  );
}
