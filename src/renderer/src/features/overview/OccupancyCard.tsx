import { useConsole } from '../../store/console-store';
import { percent } from '../../format';

/** Who is inside now, against capacity; warns at 80% and 90%. */
export function OccupancyCard() {
  const { count, capacity } = useConsole((s) => s.occupancy);
  const pct = percent(count, capacity);
  const level = pct >= 90 ? 'crit' : pct >= 80 ? 'warn' : 'ok';
  return (
    <section className="card" aria-labelledby="occ-title">
      <h2 id="occ-title">Occupancy</h2>
      <p className="big" data-testid="occupancy">
        {count}
        <span className="muted"> / {capacity || '–'}</span>
      </p>
      <div className={`bar bar-${level}`} role="meter" aria-label="Occupancy" aria-valuemin={0} aria-valuemax={capacity} aria-valuenow={count}>
        <div style={{ width: `${Math.min(100, pct)}%` }} />
      </div>
      <p className={level === 'ok' ? 'muted' : level === 'warn' ? 'warn-text' : 'error-text'} data-testid="occupancy-note">
        {pct}% of capacity{pct >= 100 ? ': full' : level === 'crit' ? ': nearly full' : level === 'warn' ? ': getting busy' : ''}
      </p>
    </section>
  );
}
