import { useCan } from '../../store/auth-hooks';
import { useConsole } from '../../store/console-store';
import { CopyDiagnostics } from '../pools/CopyDiagnostics';
import { AlertList } from './AlertList';
import { AlertRules } from './AlertRules';
import { Availability } from './Availability';
import { CheckList } from './CheckList';
import { NotifyPermission } from './NotifyPermission';
import { Webhooks } from './Webhooks';

/** What is wrong, what was, and who gets told: checks, alerts, availability; rules and webhooks for managers. */
export function HealthTab() {
  const canConfigure = useCan('alerts.configure');
  // A review PC has no Connection Pools tab, where Copy diagnostics lives on a gym's console.
  const review = useConsole((s) => s.mode.review);
  return (
    <div className="health-tab">
      {review && <CopyDiagnostics />}
      <div className="health-main">
        <AlertList />
        <CheckList />
        <Availability />
      </div>
      <div className="side">
        <NotifyPermission />
        {canConfigure && <AlertRules />}
        {canConfigure && <Webhooks />}
      </div>
    </div>
  );
}
