import { useState } from 'react';
import { NEEDS_FIX_WORDS, type PoolView } from '../../../../shared/pools';
import { HealthBar } from '../../components/HealthBar';
import { useCall } from '../../components/useCall';
import { PoolSettings } from './PoolSettings';
import { SocketTable } from './SocketTable';
import { ErrorText } from '../../components/ErrorText';
import { useCan } from '../../store/auth-hooks';
import { useConsole } from '../../store/console-store';
import { TryNow } from '../../components/TryNow';

/** `main`: the pool Backend connection edits, so its addresses are changed there and not listed again here. */
export function PoolCard({ pool, main = false }: { pool: PoolView; main?: boolean }) {
  const { call, error } = useCall();
  const { name } = pool.config;
  // Not offered where it would be refused: the console's only pool, or the demo gym's built-in one.
  const demo = useConsole((s) => s.mode.demo);
  const only = useConsole((s) => s.pools.length === 1);
  const canDestroy = useCan('pools.destroy') && !only && !(demo && main);
  const canConfigure = useCan('pools.configure');
  // What trying the CA file just saved found, said under its box until the next save: kept here, since the save
  // changes the config and so remounts the settings form (its own state was lost before it was ever shown).
  const [caTrial, setCaTrial] = useState<string | null>(null);
  // Down and waiting; those down for a cause that never mends itself (a refused token) are offered only after the fix.
  const waitingFor = (fix: boolean): number =>
    pool.endpoints.filter((e) => e.nextRetryInMs !== null && !pool.sockets.some((s) => s.endpoint === e.url && s.state === 'open') && !!(e.cause && NEEDS_FIX_WORDS[e.cause.kind]) === fix).length;
  const destroy = (): void => {
    if (window.confirm(`Destroy pool "${name}"? Its sockets close; requests move to the other pools.`)) void call('pools.destroy', { name });
  };
  return (
    <section className="card pool" aria-labelledby={`pool-${name}`} data-testid={`pool-${name}`}>
      <header className="pool-head">
        <h2 id={`pool-${name}`}>Pool “{name}”</h2>
        <HealthBar value={pool.healthRatio * 100} label={`Pool ${name} health`} />
        <span className="num">{Math.round(pool.healthRatio * 100)}% healthy</span>
        <span className="spacer" />
        {canDestroy && (
          <button type="button" className="danger" onClick={destroy}>
            Destroy pool
          </button>
        )}
      </header>
      <ErrorText message={error} />
      <TryNow waiting={waitingFor(false)} afterFix={waitingFor(true)} testId={`pool-${name}-try-now`} />
      <div className="table-scroll">
        <SocketTable sockets={pool.sockets} endpoints={pool.endpoints} />
      </div>
      {canConfigure && <PoolSettings key={JSON.stringify(pool.config)} config={pool.config} addressesAbove={main} caTrial={caTrial} onCaTrial={setCaTrial} />}
    </section>
  );
}
