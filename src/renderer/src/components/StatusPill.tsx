import type { LinkState } from '../../../shared/state';

const LABEL: Record<LinkState, string> = { connected: 'Connected', degraded: 'Degraded', offline: 'Offline' };

/** Colour and word together, so the state reads without colour vision. */
export function StatusPill({ state }: { state: LinkState }) {
  return (
    <span className={`pill pill-${state}`} role="status" aria-label={`Backend connection: ${LABEL[state]}`}>
      <span className="dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}
