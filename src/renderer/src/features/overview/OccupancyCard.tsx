import { useConsole } from '../../store/console-store';
import { occupancyLevel, occupancyWarnings, type OccupancyLevel } from '../../../../shared/desk';
import { StaleNote } from '../../components/StaleNote';
import { formatClock } from '../../format';
import { occupancyHint, wrongOccupancyWords } from '../../../../shared/words';
import { believedWords, countedHereWords, notCountedWords, occupancyWords } from './occupancy-words';

const BAR: Record<OccupancyLevel, string> = { ok: 'ok', busy: 'warn', 'nearly-full': 'crit', full: 'crit' };

/** Who is inside now, against the backend's capacity (the one that denies entry), with this gym's warnings. */
export function OccupancyCard() {
  const o = useConsole((s) => s.occupancy);
  const { count, capacity } = o;
  // The count comes from the backend: with every instance away it stops where it was.
  const backendAway = useConsole((s) => s.connection.state === 'offline');
  const cannotRecord = useConsole((s) => s.connection.cause?.kind === 'storage-unavailable');
  // A core that predates the thresholds in the gauge: the defaults, 80 % and 90 %.
  const warn = o.busyAt !== undefined && o.nearlyFullAt !== undefined ? { busyAt: o.busyAt, nearlyFullAt: o.nearlyFullAt } : occupancyWarnings({ busyAt: 0, nearlyFullAt: 0 }, capacity);
  // While the backend is away the desk decides by this PC's own count: the gauge shows that one (readme27 W3).
  const shown = o.here ?? count;
  const level = occupancyLevel(shown, capacity, warn);
  // The bar's width (the words are capacityShare's): a sliver with anyone inside, as "under 1%" says.
  const pct = capacity > 0 ? Math.floor((shown / capacity) * 100) : 0;
  const barPct = shown > 0 && capacity > 0 ? Math.max(1, Math.min(100, pct)) : Math.min(100, pct);
  const words = occupancyWords(o, level, backendAway);
  return (
    <section className="card" aria-labelledby="occ-title">
      <h2 id="occ-title">Occupancy</h2>
      <p className="big" data-testid="occupancy">
        {words.count}
        <span className="muted"> / {words.of}</span>
      </p>
      <div className={`bar bar-${BAR[level]}`} role="meter" aria-label="Occupancy" aria-valuemin={0} aria-valuemax={capacity} aria-valuenow={shown}>
        <div style={{ width: `${barPct}%` }} />
      </div>
      <p className={level === 'ok' ? 'muted' : level === 'busy' ? 'warn-text' : 'error-text'} data-testid="occupancy-note">
        {words.note}
      </p>
      {o.wrong && (
        <p className="error-text small" data-testid="occupancy-wrong">
          {wrongOccupancyWords(o.wrong)} {words.known ? believedWords(o.here !== undefined, count, o.at === undefined ? null : formatClock(o.at)) : 'Not known until it sends one that can be right.'}
        </p>
      )}
      {(backendAway || cannotRecord || o.here !== undefined) && words.known && (
        <p className="warn-text small" data-testid="occupancy-last-known">
          {o.here === undefined
            ? notCountedWords(backendAway ? 'away' : 'cannot-record', o.at === undefined ? null : formatClock(o.at))
            : countedHereWords(backendAway ? 'away' : cannotRecord ? 'cannot-record' : 'unanswered', count, o.at === undefined ? null : formatClock(o.at))}
        </p>
      )}
      {capacity > 0 && (
        <p className="muted small" data-testid="occupancy-warnings">
          {occupancyHint(warn, capacity)}
        </p>
      )}
      <StaleNote />
    </section>
  );
}
