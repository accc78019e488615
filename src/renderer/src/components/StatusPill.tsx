import type { LinkState } from '../../../shared/state';
import { useStaleAsOf } from './StaleNote';

const LABEL: Record<LinkState, string> = { connected: 'Connected', degraded: 'Degraded', offline: 'Offline' };

/**
 * Colour and word together, so the state reads without colour vision. Unknown while the console link is lost.
 * `quiet`: on a member's screen (the kiosk), the dot, its words for staff in the tooltip (members read "Backend not
 * known (last seen …)" as something they did), but for Offline, said in a small word too: a kiosk has no mouse, and
 * staff passing by cannot tell a small red dot from a green one (readme23 R3).
 */
export function StatusPill({ state, quiet = false }: { state: LinkState; quiet?: boolean }) {
  const asOf = useStaleAsOf();
  if (quiet) {
    const words = asOf ? `Backend not known (last seen ${asOf})` : LABEL[state];
    return (
      <span className={`pill-quiet pill-${asOf ? 'stale' : state}`} role="status" aria-label={`Backend connection: ${asOf ? 'not known, not connected to the console' : LABEL[state]}`} title={words}>
        <span className="dot" aria-hidden="true" />
        {!asOf && state === 'offline' && <span className="quiet-word">{LABEL.offline}</span>}
      </span>
    );
  }
  if (asOf) {
    return (
      <span className="pill pill-stale" role="status" aria-label="Backend connection: not known, not connected to the console">
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
