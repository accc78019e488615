import type { LinkState } from '../../../shared/state';
import { useStaleAsOf } from './StaleNote';

const LABEL: Record<LinkState, string> = { connected: 'Connected', degraded: 'Degraded', offline: 'Offline' };

/** Colour and word together, so the state reads without colour vision. Unknown while the console link is lost. */
export function StatusPill({ state }: { state: LinkState }) {
  const asOf = useStaleAsOf();
  if (asOf) {
    return (
      <span className="pill pill-stale" role="status" aria-label="Backend connection: not known, console link lost">
        <span className="dot" aria-hidden="true" />
        Backend not known (last seen {asOf})
      </span>
    );
  }
  return (
    <span className={`pill pill-${state}`} role="status" aria-label={`Backend connection: ${LABEL[state]}`}>
      <span className="dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}
