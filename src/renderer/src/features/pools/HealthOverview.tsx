import { useConsole } from '../../store/console-store';
import { StatusPill } from '../../components/StatusPill';
import { HealthBar } from '../../components/HealthBar';

/** The whole system at a glance: each pool's share of healthy sockets, colour-coded. */
export function HealthOverview() {
  const pools = useConsole((s) => s.pools);
  const state = useConsole((s) => s.connection.state);
  const sockets = pools.flatMap((p) => p.sockets);
  const inRotation = sockets.filter((s) => s.inRotation).length;
  const configured = pools.reduce((n, p) => n + p.config.maxConnections, 0);
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">System health</h2>
      <div className="health-head">
        <StatusPill state={state} />
        <span className="big-num num">{configured ? Math.round((inRotation / configured) * 100) : 0}%</span>
        <span className="muted">
          {inRotation} of {configured} sockets healthy and in rotation
        </span>
      </div>
      <ul className="pool-ratios">
        {pools.map((p) => (
          <li key={p.config.name}>
            <span className="pool-name">{p.config.name}</span>
            <HealthBar value={p.healthRatio * 100} label={`Pool ${p.config.name} health`} />
            <span className="num">{Math.round(p.healthRatio * 100)}%</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
