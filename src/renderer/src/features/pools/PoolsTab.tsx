import { useConsole } from '../../store/console-store';
import { ActivityLog } from './ActivityLog';
import { CopyDiagnostics } from './CopyDiagnostics';
import { CreatePool } from './CreatePool';
import { DemoFaults } from './DemoFaults';
import { DeadLetters } from './DeadLetters';
import { HealthOverview } from './HealthOverview';
import { PoolCard } from './PoolCard';
import { BackendConnection } from './BackendConnection';
import { useCan } from '../../store/auth-hooks';
import { poolsLeftOutWords } from '../../../../shared/pools';

export function PoolsTab() {
  const pools = useConsole((s) => s.pools);
  const demo = useConsole((s) => s.mode.demo);
  const leftOut = useConsole((s) => s.connection.poolsLeftOut);
  const canConnect = useCan('backend.configure');
  const canFault = useCan('demo.fault');
  const canCreate = useCan('pools.create');
  return (
    <div className="pools-tab">
      {/* Said once in the events, it scrolled away: it stands here while pools.json's extra pools are not running. */}
      {leftOut && (
        <p className="notice pools-left-out" role="status" data-testid="pools-left-out">
          {poolsLeftOutWords(leftOut)}
        </p>
      )}
      <CopyDiagnostics />
      <div className="pools-main">
        <HealthOverview />
        {canConnect && <BackendConnection />}
        {pools.map((p, i) => (
          // The first pool is the one Backend connection edits: its addresses are listed there only.
          <PoolCard key={p.config.name} pool={p} main={i === 0} />
        ))}
      </div>
      <div className="side">
        {canFault && <DemoFaults />}
        <DeadLetters />
        {canCreate && <CreatePool />}
        {demo && canCreate && <p className="muted note">Demo gym: pool changes last until the console stops.</p>}
        <ActivityLog />
      </div>
    </div>
  );
}
