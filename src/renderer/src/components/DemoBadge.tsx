import { useConsole } from '../store/console-store';

/**
 * "DEMO GYM · simulated data", on the demo gym only: the desk's header and every kiosk screen read the same fact
 * (the console's mode), so a screen tried on the demo is never taken for a live site. `atKiosk`: pinned to the
 * kiosk's corner (it has no header), out of the way of the verdict the queue reads.
 */
export function DemoBadge({ atKiosk = false }: { atKiosk?: boolean }) {
  // app.info says it before any sign-in (the state stream comes after): a kiosk station not yet opened is marked too (readme24 R9).
  const demo = useConsole((s) => s.mode.demo || s.demoGym);
  if (!demo) return null;
  const badge = (
    <span className="demo-badge" data-testid="demo-badge" title="Simulated members on an embedded backend; nothing here is real.">
      DEMO GYM<span className="wide-only"> · simulated data</span>
    </span>
  );
  return atKiosk ? (
    <aside className="kiosk-demo" aria-label="Demo gym">
      {badge}
    </aside>
  ) : (
    badge
  );
}
