import { troubleNow, worstHeadline, type HealthStatus } from '../../../shared/health';
import { useConsole } from '../store/console-store';

export const HEALTH_LABEL: Record<HealthStatus, string> = { ok: 'All systems OK', degraded: 'Degraded', failing: 'Failing', unknown: 'Not known yet' };
/** One check's status, in a word. */
export const STATUS_LABEL: Record<HealthStatus, string> = { ok: 'OK', degraded: 'Degraded', failing: 'Failing', unknown: 'Not known' };
export const HEALTH_CLASS: Record<HealthStatus, string> = { ok: 'pill-connected', degraded: 'pill-degraded', failing: 'pill-offline', unknown: 'pill-stale' };

/** The console's overall health in the header on every tab; a click opens the Health tab. */
export function HealthPill({ onOpen }: { onOpen: () => void }) {
  const overall = useConsole((s) => s.health.overall);
  // Named when the worst checks name their trouble: "Slow backend" says more than "Degraded".
  const headline = useConsole((s) => worstHeadline(s.health.overall, s.health.checks)) ?? HEALTH_LABEL[overall];
  // An alert in its keep-firing time is back to normal: it is not counted beside "All systems OK".
  const firing = useConsole((s) => s.health.alerts.filter(troubleNow).length);
  return (
    <button type="button" className={`pill ${HEALTH_CLASS[overall]}`} onClick={onOpen} data-testid="health-pill" aria-label={`Console health: ${headline}${firing ? `, ${firing} ${firing === 1 ? 'alert' : 'alerts'} firing` : ''}. Open the Health tab.`}>
      <span className="dot" aria-hidden="true" />
      Health: {headline}
      {firing > 0 && ` · ${firing} alert${firing > 1 ? 's' : ''}`}
    </button>
  );
}
