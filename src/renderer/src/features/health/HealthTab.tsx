import { useCan } from '../../store/auth-hooks';
import { AlertList } from './AlertList';
import { AlertRules } from './AlertRules';
import { Availability } from './Availability';
import { CheckList } from './CheckList';
import { NotifyPermission } from './NotifyPermission';
import { Webhooks } from './Webhooks';

/** What is wrong, what was, and who gets told: checks, alerts, availability; rules and webhooks for managers. */
export function HealthTab() {
  const canConfigure = useCan('alerts.configure');
  return (
    <div className="health-tab">
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
